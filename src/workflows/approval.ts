// The durable wait before a side effect. The agent parks in `condition()` (with the approval's
// time-to-live as timeout) until the `approval` Update answers it; the wait is part of the
// workflow's history, so it survives worker and server restarts. Used by both agent workflows.
// What each step means (which answer counts, who wins a race) is src/agents/approval-machine.ts;
// this file only wires its verdicts to the handler, the conditions and the activities.
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
import { approvalRecord } from './activity-options';
import { mergeArgs } from '../agents/approval';
import { ApprovalMachine, type ApprovalOutcome } from '../agents/approval-machine';
import { fenceUntrusted } from '../triage/fence';
import { approvalUpdate } from '../shared/agent-messages';
import {
  APPROVAL_BAD_ARGS,
  APPROVAL_CONFLICT,
  APPROVAL_NOT_FOUND,
  type Approval,
  ApprovalAnswer,
  type ApprovalPreview,
  type ApprovalUpdateInput,
} from '../shared/approval';
import { signalAssistant } from './notify-assistant';
import { type Provenance, reported } from '../shared/provenance';

export type { ApprovalOutcome } from '../agents/approval-machine';

const { requestApproval, decideApproval, checkToolArgs } = proxyActivities<Activities>(approvalRecord);

const refuse = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

function refusal(verdict: 'not-found' | 'conflict', approvalId: string): ApplicationFailure {
  return verdict === 'not-found'
    ? refuse(APPROVAL_NOT_FOUND, `this agent is not waiting for approval ${approvalId}`)
    : refuse(APPROVAL_CONFLICT, `approval ${approvalId} is already decided or expired`);
}

export class ApprovalDesk {
  private readonly machine = new ApprovalMachine();
  /** Time spent waiting for the user, which does not count against a task's working deadline. */
  waitedMs = 0;

  private constructor(private readonly userId: string, private readonly workflowId: string) {}

  /** The desk of this workflow, answering the `approval` update from now on. */
  static install(userId: string, workflowId: string): ApprovalDesk {
    const desk = new ApprovalDesk(userId, workflowId);
    setHandler(approvalUpdate, (input) => desk.answer(input), { validator: (input) => desk.validate(input) });
    return desk;
  }

  get pending(): string[] {
    return this.machine.pending;
  }

  private validate(input: unknown): void {
    const parsed = ApprovalAnswer.safeParse(input);
    if (!parsed.success) {
      throw refuse(APPROVAL_BAD_ARGS, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    }
    const { approvalId } = input as { approvalId: string };
    const check = this.machine.check(approvalId);
    if (check !== 'ok') throw refusal(check, approvalId);
  }

  private async answer(input: ApprovalUpdateInput): Promise<Approval> {
    const id = input.approvalId;
    const verdict = this.machine.answer(id);
    if (verdict === 'not-found' || verdict === 'conflict') throw refusal(verdict, id);
    try {
      // An answer can arrive in the same workflow task as the request's own completion (the user
      // saw it in the store first); the decision must be recorded after the request. Awaited even
      // when already recorded, so the commands keep the order the recorded histories have.
      await condition(() => this.machine.recordSettled(id));
      if (this.machine.afterRecord(id) === 'withdrawn') throw refuse(APPROVAL_NOT_FOUND, `approval ${id} was withdrawn`);
      if (input.decision === 'reject') {
        const approval = await decideApproval({ approvalId: id, status: 'rejected', reason: input.reason });
        this.machine.decide(id, { decision: 'reject', reason: input.reason });
        return approval;
      }
      const { tool, args: proposed } = this.machine.get(id)!;
      let args = proposed;
      if (input.decision === 'edit') {
        const checked = await checkToolArgs({ userId: this.userId, tool, args: mergeArgs(proposed, input.args ?? {}) });
        if (!checked.ok) throw refuse(APPROVAL_BAD_ARGS, checked.error);
        args = checked.args;
      }
      // A cancellation that won meanwhile already closed it; the store keeps the first decision and
      // the caller gets the approval as stored.
      const approval = await decideApproval({ approvalId: id, status: 'approved', ...(input.decision === 'edit' ? { args } : {}) });
      this.machine.decide(id, { decision: input.decision, args });
      return approval;
    } catch (err) {
      this.machine.answerFailed(id);
      throw err;
    }
  }

  /**
   * Asks the user and waits durably. Cancelling the surrounding scope (task cancelled) closes the
   * request as rejected, so it does not stay pending in the list.
   */
  async request(req: { taskId: string; tool: string; args: Record<string, unknown>; preview: ApprovalPreview; provenance?: Provenance }): Promise<ApprovalOutcome> {
    const approvalId = uuid4();
    this.machine.request(approvalId, req.tool, req.args);
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
        ...(req.provenance ? { provenance: req.provenance } : {}),
      }));
    } catch (err) {
      this.machine.dropped(approvalId);
      throw err;
    }
    this.machine.recorded(approvalId);
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
      ...(req.provenance ? { provenance: reported(req.provenance) } : {}),
    });
    const began = Date.now();
    try {
      const answered = await condition(() => this.machine.isSettled(approvalId), Math.max(1, Date.parse(expiresAt) - Date.now()));
      if (!answered) {
        let verdict = this.machine.expire(approvalId, ttlHours);
        if (verdict === 'wait-for-decision') {
          await condition(() => !this.machine.isDeciding(approvalId));
          verdict = this.machine.expire(approvalId, ttlHours);
        }
        if (verdict === 'expire') await decideApproval({ approvalId, status: 'expired' });
      }
      return this.machine.outcome(approvalId)!;
    } catch (err) {
      if (isCancellation(err) && this.machine.cancel(approvalId) === 'cancel') {
        await CancellationScope.nonCancellable(() => decideApproval({ approvalId, status: 'rejected', reason: 'the task was cancelled' }));
      }
      throw err;
    } finally {
      this.waitedMs += Date.now() - began;
    }
  }
}
