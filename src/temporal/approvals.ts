// Answering an approval: the store says whether it exists and is still pending; the Update on the
// agent workflow that waits for it decides, so the caller gets the real outcome (or why not).
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Store } from '../store';
import { approvalUpdate } from '../shared/agent-messages';
import { APPROVAL_BAD_ARGS, APPROVAL_CONFLICT, APPROVAL_NOT_FOUND, type Approval, type ApprovalUpdateInput } from '../shared/approval';
import { approvalUpdateId } from '../shared/ids';
import { type Failure, fail } from './result';

/** On a conflict, the approval as it now is, so the caller can show who answered first. */
export type AnswerResult = { ok: true; approval: Approval } | (Failure & { approval?: Approval });

const UPDATE_FAILURES: Record<string, Failure['error']> = {
  [APPROVAL_NOT_FOUND]: 'not_found',
  [APPROVAL_BAD_ARGS]: 'bad_args',
  [APPROVAL_CONFLICT]: 'conflict',
};

export class ApprovalsClient {
  constructor(
    private readonly client: Client,
    private readonly store: Store,
  ) {}

  async answer(userId: string, input: ApprovalUpdateInput): Promise<AnswerResult> {
    const approval = await this.store.approvals.get(input.approvalId);
    if (!approval || approval.userId !== userId) return fail('not_found', `no approval ${input.approvalId}`);
    if (approval.status !== 'pending') return await this.conflict(`approval ${approval.id} is already ${approval.status}`, approval.id);
    try {
      const decided = await this.client.workflow.getHandle(approval.workflowId).executeUpdate(approvalUpdate, {
        args: [input],
        // The same answer sent twice (a retried request) is one decision.
        updateId: approvalUpdateId(input),
      });
      return { ok: true, approval: decided };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return await this.conflict(`the agent waiting for approval ${approval.id} has ended`, approval.id);
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause;
        const reason = cause instanceof ApplicationFailure && cause.type ? UPDATE_FAILURES[cause.type] : undefined;
        const message = (cause as Error | undefined)?.message ?? err.message;
        if (reason === 'conflict') return await this.conflict(message, approval.id);
        if (reason) return fail(reason, message);
      }
      // A closed workflow refuses updates with a service error rather than "not found".
      if ((err as Error).message?.includes('workflow execution already completed')) {
        return await this.conflict(`the agent waiting for approval ${approval.id} has ended`, approval.id);
      }
      throw err;
    }
  }

  private async conflict(message: string, approvalId: string): Promise<AnswerResult> {
    const now = await this.store.approvals.get(approvalId);
    return { ...fail('conflict', message), ...(now ? { approval: now } : {}) };
  }
}
