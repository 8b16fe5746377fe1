// Cancelling a task: a named agent keeps running and only the instruction stops; any other task's
// workflow is cancelled whole.
import { cancelActionFor } from '../../src/shared/task-cancel';

test('a task given to a named agent is cancelled by signalling the agent', () => {
  expect(cancelActionFor({ tool: 'delegate_to_agent' })).toBe('signal_cancel_instruction');
});

test('a task agent or a reminder is cancelled by cancelling its workflow', () => {
  expect(cancelActionFor({ tool: 'delegate_task' })).toBe('cancel_workflow');
  expect(cancelActionFor({ tool: 'set_reminder' })).toBe('cancel_workflow');
});
