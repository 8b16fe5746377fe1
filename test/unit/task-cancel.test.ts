// Cancelling a task is decided once for the API and the assistant's cancel_task tool.
import { cancelActionFor } from '../../src/shared/task-cancel';

test('a named agent keeps running: only the instruction is cancelled, by signal', () => {
  expect(cancelActionFor({ id: 'c1', tool: 'delegate_to_agent', workflowId: 'agent:me:inbox' })).toEqual({
    kind: 'cancel_instruction',
    workflowId: 'agent:me:inbox',
    instructionId: 'c1',
  });
});

test('a task agent or a reminder is its own workflow and is cancelled whole', () => {
  expect(cancelActionFor({ id: 't1', tool: 'delegate_task', workflowId: 'tool:me:t1' })).toEqual({ kind: 'cancel_workflow', workflowId: 'tool:me:t1' });
  expect(cancelActionFor({ id: 'r1', tool: 'set_reminder', workflowId: 'tool:me:r1' })).toEqual({ kind: 'cancel_workflow', workflowId: 'tool:me:r1' });
});

test('a task without a workflow has nothing to cancel', () => {
  expect(cancelActionFor({ id: 'x', tool: 'delegate_task' })).toBeUndefined();
});
