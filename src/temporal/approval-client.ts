// Answering an approval: the store says whether it exists and is still pending; the Update on the
// agent workflow that waits for it decides, so the caller gets the real outcome (or why not).
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Approval } from '../shared/approval';
import type { Store } from '../store';
import { APPROVAL_BAD_ARGS, APPROVAL_CONFLICT, APPROVAL_NOT_FOUND, type ApprovalUpdateInput } from '../shared/approval';
import { approvalUpdate } from '../shared/agent-messages';

export type AnswerResult =
  | { status: 200; approval: Approval }
  | { status: 400 | 404 | 409; error: string; approval?: Approval };

export async function answerApproval(client: Client, store: Store, userId: string, input: ApprovalUpdateInput): Promise<AnswerResult> {
  const approval = store.approvals.get(input.approvalId);
  if (!approval || approval.userId !== userId) return { status: 404, error: `no approval ${input.approvalId}` };
  if (approval.status !== 'pending') return { status: 409, error: `approval ${approval.id} is already ${approval.status}`, approval };
  try {
    const decided = await client.workflow.getHandle(approval.workflowId).executeUpdate(approvalUpdate, {
      args: [input],
      // The same answer sent twice (a retried request) is one decision.
      updateId: `approval:${input.approvalId}:${input.decision}:${JSON.stringify(input.args ?? {})}:${input.reason ?? ''}`.slice(0, 900),
    });
    return { status: 200, approval: decided };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      return { status: 409, error: `the agent waiting for approval ${approval.id} has ended`, approval: store.approvals.get(approval.id) };
    }
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      const type = cause instanceof ApplicationFailure ? cause.type : undefined;
      const message = (cause as Error | undefined)?.message ?? err.message;
      if (type === APPROVAL_NOT_FOUND) return { status: 404, error: message };
      if (type === APPROVAL_BAD_ARGS) return { status: 400, error: message };
      if (type === APPROVAL_CONFLICT) return { status: 409, error: message, approval: store.approvals.get(approval.id) };
    }
    // A closed workflow refuses updates with a service error rather than "not found".
    if ((err as Error).message?.includes('workflow execution already completed')) {
      return { status: 409, error: `the agent waiting for approval ${approval.id} has ended`, approval: store.approvals.get(approval.id) };
    }
    throw err;
  }
}
