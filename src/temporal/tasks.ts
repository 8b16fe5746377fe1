// Cancelling a task. A task agent's or a reminder's workflow is cancelled (the cancellation reaches
// a running activity through the next heartbeat); a named agent's instruction is cancelled by signal
// and the agent itself keeps running. Either way the workflow reports the task back as cancelled,
// to the store and to the assistant.
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { cancelInstructionSignal } from '../shared/agent-messages';
import { type CancelAction, cancelActionFor } from '../shared/task-cancel';
import type { Store } from '../store';
import { type Failure, fail } from './result';

export type CancelResult = { ok: true; action: CancelAction } | Failure;

export class TasksClient {
  constructor(
    private readonly client: Client,
    private readonly store: Store,
  ) {}

  async cancel(userId: string, taskId: string): Promise<CancelResult> {
    const task = this.store.tasks.get(taskId);
    if (!task || task.userId !== userId) return fail('not_found', `no task ${taskId}`);
    if (task.status !== 'running' || !task.workflowId) return fail('conflict', `task ${taskId} is already ${task.status}`);
    const handle = this.client.workflow.getHandle(task.workflowId);
    const action = cancelActionFor(task);
    try {
      if (action === 'signal_cancel_instruction') await handle.signal(cancelInstructionSignal, { id: task.id });
      else await handle.cancel();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return fail('conflict', `task ${taskId} has already ended`);
      throw err;
    }
    return { ok: true, action };
  }
}
