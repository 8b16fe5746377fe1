// The durable wait before a side effect. The agent parks in `condition()` (with the approval's
// time-to-live as timeout) until the `approval` Update answers it; the wait is part of the
// workflow's history, so it survives worker and server restarts. Used by both agent workflows.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  uuid4,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ApprovalAnswer, type ApprovalPreview, mergeArgs } from '../agents/approval';
import { fenceUntrusted } from '../triage/fence';
import { APPROVAL_BAD_ARGS, APPROVAL_CONFLICT, APPROVAL_NOT_FOUND, approvalUpdate } from '../shared/agent-messages';
import { signalAssistant } from './notify-assistant';

export type ApprovalOutcome =
  | { decision: 'approve' | 'edit'; args: Record<string, unknown> }
  | { decision: 'reject'; reason?: string }
  | { decision: 'expired'; ttlHours: number };

interface Wait {
  tool: string;
  args: Record<string, unknown>;
  /** The request is in the store (and so visible to the user); an answer waits for it. */
  recorded: boolean;
  /** Recording the request failed (or was cancelled): there is nothing to answer. */
  dropped?: boolean;
  /** An answer is being recorded; a second one is refused, expiry waits for it. */
  deciding: boolean;
  outcome?: ApprovalOutcome;
}

const { requestApproval, decideApproval, checkToolArgs } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export class ApprovalDesk {
  private readonly waits = new Map<string, Wait>();
  /** Time spent waiting for the user, which does not count against a task's working deadline. */
  waitedMs = 0;

  constructor(private readonly userId: string, private readonly workflowId: string) {
    setHandler(
      approvalUpdate,
      async (input) => {
        const wait = this.waits.get(input.approvalId)!;
        wait.deciding = true;
        try {
          // An answer can arrive in the same workflow task as the request's own completion (the
          // user saw it in the store first); the decision must be recorded after the request.
          await condition(() => wait.recorded || wait.dropped === true);
          if (!wait.recorded) throw ApplicationFailure.create({ type: APPROVAL_NOT_FOUND, message: `approval ${input.approvalId} was withdrawn`, nonRetryable: true });
          if (input.decision === 'reject') {
            const approval = await decideApproval({ approvalId: input.approvalId, status: 'rejected', reason: input.reason });
            wait.outcome = { decision: 'reject', reason: input.reason };
            return approval;
          }
          let args = wait.args;
          if (input.decision === 'edit') {
            const checked = await checkToolArgs({ userId: this.userId, tool: wait.tool, args: mergeArgs(wait.args, input.args ?? {}) });
            if (!checked.ok) throw ApplicationFailure.create({ type: APPROVAL_BAD_ARGS, message: checked.error, nonRetryable: true });
            args = checked.args;
          }
          const approval = await decideApproval({
            approvalId: input.approvalId,
            status: 'approved',
            ...(input.decision === 'edit' ? { args } : {}),
          });
          wait.outcome = { decision: input.decision, args };
          return approval;
        } finally {
          if (!wait.outcome) wait.deciding = false;
        }
      },
      {
        validator: (input) => {
          const parsed = ApprovalAnswer.safeParse(input);
          if (!parsed.success) {
            throw ApplicationFailure.create({ type: APPROVAL_BAD_ARGS, message: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), nonRetryable: true });
          }
          const wait = this.waits.get(input.approvalId);
          if (!wait) throw ApplicationFailure.create({ type: APPROVAL_NOT_FOUND, message: `this agent is not waiting for approval ${input.approvalId}`, nonRetryable: true });
          if (wait.outcome || wait.deciding) {
            throw ApplicationFailure.create({ type: APPROVAL_CONFLICT, message: `approval ${input.approvalId} is already decided or expired`, nonRetryable: true });
          }
        },
      },
    );
  }

  get pending(): string[] {
    return [...this.waits.entries()].filter(([, w]) => w.recorded && !w.outcome).map(([id]) => id);
  }

  /**
   * Asks the user and waits durably. Cancelling the surrounding scope (task cancelled) closes the
   * request as rejected, so it does not stay pending in the list.
   */
  async request(req: { taskId: string; tool: string; args: Record<string, unknown>; preview: ApprovalPreview }): Promise<ApprovalOutcome> {
    const approvalId = uuid4();
    const wait: Wait = { tool: req.tool, args: req.args, recorded: false, deciding: false };
    // Known before it is recorded: the API answers only approvals already in the store, and that
    // answer may be handled before this workflow sees requestApproval complete.
    this.waits.set(approvalId, wait);
    let expiresAt: string;
    let ttlHours: number;
    try {
      ({ expiresAt, ttlHours } = await requestApproval({
        approvalId,
        userId: this.userId,
        taskId: req.taskId,
        workflowId: this.workflowId,
        tool: req.tool,
        args: req.args,
        preview: req.preview,
      }));
    } catch (err) {
      wait.dropped = true;
      this.waits.delete(approvalId);
      throw err;
    }
    wait.recorded = true;
    // The assistant relays it in chat and can answer it there ("yes, send it").
    await signalAssistant(this.userId, {
      id: `approval:${approvalId}`,
      kind: 'system',
      priority: 'high',
      source: 'approval',
      ref: `approval:${approvalId}`,
      text:
        `Approval needed (approvalId ${approvalId}, task ${req.taskId}, expires ${expiresAt}): ${req.preview.summary}. ` +
        `Tell the user exactly what will happen and ask; answer with answer_approval when they decide.\n` +
        fenceUntrusted('proposed action', JSON.stringify({ tool: req.tool, ...req.preview }, null, 1)),
      at: new Date().toISOString(),
    });
    const began = Date.now();
    try {
      const answered = await condition(() => wait.outcome !== undefined, Math.max(1, Date.parse(expiresAt) - Date.now()));
      if (!answered) {
        // An answer that arrived just before the deadline is honoured.
        if (wait.deciding) await condition(() => wait.outcome !== undefined || !wait.deciding);
        if (!wait.outcome) {
          wait.outcome = { decision: 'expired', ttlHours };
          await decideApproval({ approvalId, status: 'expired' });
        }
      }
      return wait.outcome!;
    } catch (err) {
      if (isCancellation(err) && !wait.outcome) {
        wait.outcome = { decision: 'reject', reason: 'the task was cancelled' };
        await CancellationScope.nonCancellable(() => decideApproval({ approvalId, status: 'rejected', reason: 'the task was cancelled' }));
      }
      throw err;
    } finally {
      this.waitedMs += Date.now() - began;
    }
  }
}
