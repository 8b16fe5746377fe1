// Follow-ups: starting one for a thread (after an approved send, or asked for in chat), telling the
// ones that watch a thread that a mail arrived or that it is resolved, listing and cancelling them.
// Which workflows watch a thread is in the store, so a mail with no follow-up costs no Temporal call.
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Config } from '../config';
import type { FollowUpReply } from '../agents/follow-up';
import { type FollowUpInput, followUpReplySignal, followUpResolveSignal, followUpStart } from '../shared/follow-up-messages';
import type { TaskRecord } from '../shared/types';
import type { Store } from '../store';
import type { followUpWorkflow } from '../workflows/follow-up';
import type { CancelResult, TasksClient } from './tasks';

/** The task rows' tools: started after a send, or by the assistant's tool. */
export const FOLLOW_UP_TOOLS = ['follow_up', 'track_follow_up'];

export class FollowUpsClient {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
    private readonly store: Store,
    private readonly tasks: TasksClient,
  ) {}

  /** Starts watching; `duplicate` when the thread is already watched (one follow-up per thread). */
  async start(input: FollowUpInput): Promise<{ workflowId: string; duplicate: boolean }> {
    const start = followUpStart(input);
    const workflowId = start.options.workflowId;
    try {
      await this.client.workflow.start<typeof followUpWorkflow>(start.workflowType, { ...start.options, taskQueue: this.config.temporal.taskQueue });
      return { workflowId, duplicate: false };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, duplicate: true };
      throw err;
    }
  }

  /** Tells every follow-up of the thread that a mail arrived; how many heard it. */
  async replyArrived(userId: string, threadId: string, reply: FollowUpReply): Promise<number> {
    return this.signalThread(userId, threadId, (h) => h.signal(followUpReplySignal, reply));
  }

  async resolve(userId: string, threadId: string, by?: { from: string }): Promise<number> {
    return this.signalThread(userId, threadId, (h) => (by ? h.signal(followUpResolveSignal, by) : h.signal(followUpResolveSignal)));
  }

  async list(userId: string): Promise<TaskRecord[]> {
    return (await this.store.tasks.list(userId)).filter((t) => FOLLOW_UP_TOOLS.includes(t.tool));
  }

  /** Like any task: the workflow is cancelled and reports itself cancelled. */
  cancel(userId: string, taskId: string): Promise<CancelResult> {
    return this.tasks.cancel(userId, taskId);
  }

  private async signalThread(userId: string, threadId: string, send: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<void>): Promise<number> {
    let reached = 0;
    for (const workflowId of await this.store.followUps.watching(userId, threadId)) {
      try {
        await send(this.client.workflow.getHandle(workflowId));
        reached++;
      } catch (err) {
        // Ended without saying so (terminated from the Temporal UI): stop looking for it.
        if (err instanceof WorkflowNotFoundError) await this.store.followUps.ended(workflowId);
        else throw err;
      }
    }
    return reached;
  }
}
