// Starting a reminder, and cancelling a task. A task agent's or a reminder's workflow is cancelled
// (the cancellation reaches a running activity through the next heartbeat); a named agent's
// instruction is cancelled by signal and the agent itself keeps running. Either way the workflow reports the task back as cancelled,
// to the store and to the assistant.
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Config } from '../config';
import { cancelInstructionSignal } from '../shared/agent-messages';
import { toolWorkflowId } from '../shared/ids';
import { reminderStart } from '../shared/reminder-start';
import { type CancelAction, cancelActionFor } from '../shared/task-cancel';
import type { Store } from '../store';
import type { reminderWorkflow } from '../workflows/reminder';
import { type Failure, fail } from './result';

export type CancelResult = { ok: true; action: CancelAction } | Failure;

export class TasksClient {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
    private readonly store: Store,
  ) {}

  /** A reminder is a task of its own, under the ID of the tool call that set it. */
  reminderWorkflowId(userId: string, reminderId: string): string {
    return toolWorkflowId(userId, reminderId);
  }

  /** Starts the reminder's workflow; `duplicate` when it was already started (a retried call). */
  async startReminder(r: { userId: string; reminderId: string; text: string; fireAt: string }): Promise<{ workflowId: string; duplicate: boolean }> {
    const start = reminderStart(r);
    const workflowId = start.options.workflowId;
    try {
      await this.client.workflow.start<typeof reminderWorkflow>(start.workflowType, { ...start.options, taskQueue: this.config.temporal.taskQueue });
      return { workflowId, duplicate: false };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, duplicate: true };
      throw err;
    }
  }

  async cancel(userId: string, taskId: string): Promise<CancelResult> {
    const task = await this.store.tasks.get(taskId);
    if (!task || task.userId !== userId) return fail('not_found', `no task ${taskId}`);
    if (task.status !== 'running' || !task.workflowId) return fail('conflict', `task ${taskId} is already ${task.status}`);
    const action = cancelActionFor(task)!;
    const handle = this.client.workflow.getHandle(action.workflowId);
    try {
      if (action.kind === 'cancel_instruction') await handle.signal(cancelInstructionSignal, { id: action.instructionId });
      else await handle.cancel();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return fail('conflict', `task ${taskId} has already ended`);
      throw err;
    }
    return { ok: true, action };
  }
}
