// How a running task is cancelled, decided once for the API and the assistant's `cancel_task`:
// a named agent outlives any one instruction, so only that instruction is cancelled (by signal);
// any other task is its own workflow, which is cancelled whole.
import type { TaskRecord } from './types';

export type CancelAction = 'signal_cancel_instruction' | 'cancel_workflow';

/** The tool that gives work to a named agent; its task lives inside the agent's workflow. */
export const NAMED_AGENT_TOOL = 'delegate_to_agent';

export function cancelActionFor(task: Pick<TaskRecord, 'tool'>): CancelAction {
  return task.tool === NAMED_AGENT_TOOL ? 'signal_cancel_instruction' : 'cancel_workflow';
}
