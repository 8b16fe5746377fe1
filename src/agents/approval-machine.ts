// The approval state machine, as plain data and verdicts: an agent's approvals from request to
// outcome. Each approval is requested, then recorded in the store (where the user can see and
// answer it) or dropped when recording fails; an answer is `deciding` while its decision is being
// recorded; it ends approved, edited, rejected, expired or cancelled, exactly once. The workflow
// (src/workflows/approval.ts) does what the verdicts say: wait, refuse, record. No Temporal import.

/** What the agent acts on once the user has answered (or not). */
export type ApprovalOutcome =
  | { decision: 'approve' | 'edit'; args: Record<string, unknown> }
  | { decision: 'reject'; reason?: string }
  | { decision: 'expired'; ttlHours: number };

/** How an approval ended; a cancelled task stops the agent, so it never acts on `cancelled`. */
export type ApprovalEnd = ApprovalOutcome | { decision: 'cancelled' };

export type ApprovalPhase = 'requested' | 'recorded' | 'dropped';

export interface ApprovalState {
  tool: string;
  args: Record<string, unknown>;
  phase: ApprovalPhase;
  /** An answer is being recorded: a second one is refused, expiry waits for it. */
  deciding: boolean;
  end?: ApprovalEnd;
}

/** Whether an answer may start (the update's validator): it changes nothing. */
export type AnswerCheck = 'ok' | 'not-found' | 'conflict';
/**
 * An answer that starts: `wait-for-record` when the user answered from the store before the
 * workflow heard the request was recorded (it must be recorded first), `proceed` otherwise.
 */
export type AnswerVerdict = 'wait-for-record' | 'proceed' | 'not-found' | 'conflict';
/** After the wait for the record: a dropped request has nothing left to answer. */
export type RecordVerdict = 'proceed' | 'withdrawn';
/** The answer's decision is recorded: `superseded` when the approval had already ended (cancelled). */
export type DecideVerdict = 'decided' | 'superseded';
/** The time-to-live ran out: an answer already being recorded is waited for and honoured. */
export type ExpireVerdict = 'expire' | 'wait-for-decision' | 'settled';
/** The task was cancelled while waiting: an open approval is closed as rejected. */
export type CancelVerdict = 'cancel' | 'settled';

export class ApprovalMachine {
  private readonly approvals = new Map<string, ApprovalState>();

  get(id: string): Readonly<ApprovalState> | undefined {
    return this.approvals.get(id);
  }

  /** Known before it is recorded: the store may show it, and the user answer it, first. */
  request(id: string, tool: string, args: Record<string, unknown>): void {
    this.approvals.set(id, { tool, args, phase: 'requested', deciding: false });
  }

  recorded(id: string): void {
    const a = this.approvals.get(id);
    if (a?.phase === 'requested') a.phase = 'recorded';
  }

  dropped(id: string): void {
    const a = this.approvals.get(id);
    if (a?.phase === 'requested') a.phase = 'dropped';
  }

  check(id: string): AnswerCheck {
    const a = this.approvals.get(id);
    if (!a || a.phase === 'dropped') return 'not-found';
    if (a.end || a.deciding) return 'conflict';
    return 'ok';
  }

  answer(id: string): AnswerVerdict {
    const verdict = this.check(id);
    if (verdict !== 'ok') return verdict;
    const a = this.approvals.get(id)!;
    a.deciding = true;
    return a.phase === 'requested' ? 'wait-for-record' : 'proceed';
  }

  /** The condition an answer waits on before it records anything. */
  recordSettled(id: string): boolean {
    const a = this.approvals.get(id);
    return a === undefined || a.phase !== 'requested';
  }

  afterRecord(id: string): RecordVerdict {
    return this.approvals.get(id)?.phase === 'recorded' ? 'proceed' : 'withdrawn';
  }

  /** The answer's decision is in the store; the first ending stands. */
  decide(id: string, outcome: ApprovalOutcome): DecideVerdict {
    const a = this.approvals.get(id)!;
    a.deciding = false;
    if (a.end) return 'superseded';
    a.end = outcome;
    return 'decided';
  }

  /** The answer failed (bad arguments, withdrawn, an activity gave up): the approval stays open. */
  answerFailed(id: string): void {
    const a = this.approvals.get(id);
    if (a) a.deciding = false;
  }

  isSettled(id: string): boolean {
    return this.approvals.get(id)?.end !== undefined;
  }

  isDeciding(id: string): boolean {
    return this.approvals.get(id)?.deciding === true;
  }

  expire(id: string, ttlHours: number): ExpireVerdict {
    const a = this.approvals.get(id)!;
    if (a.end) return 'settled';
    if (a.deciding) return 'wait-for-decision';
    a.end = { decision: 'expired', ttlHours };
    return 'expire';
  }

  cancel(id: string): CancelVerdict {
    const a = this.approvals.get(id)!;
    if (a.end) return 'settled';
    a.end = { decision: 'cancelled' };
    return 'cancel';
  }

  /** What the agent acts on: undefined while open, and for a cancelled task (which stops instead). */
  outcome(id: string): ApprovalOutcome | undefined {
    const end = this.approvals.get(id)?.end;
    return end && end.decision !== 'cancelled' ? end : undefined;
  }

  /** Approvals the user can still answer, oldest first. */
  get pending(): string[] {
    return [...this.approvals.entries()].filter(([, a]) => a.phase === 'recorded' && !a.end).map(([id]) => id);
  }
}
