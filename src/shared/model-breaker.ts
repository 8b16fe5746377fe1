// The model's circuit breaker as plain data and pure transitions. It lives in shared (not in
// integrations) because three layers read it: the model guard moves it, the store keeps it where
// every worker process sees it, and the health route shows it.
//   closed --(N consecutive failures)--> open --(cool-down elapsed)--> half-open
//   half-open --success--> closed;  half-open --failure--> open again (a fresh cool-down)

export interface BreakerSettings {
  /** Consecutive failures that open the breaker. */
  failures: number;
  cooldownMs: number;
}

/** What the store keeps; `half-open` is never stored, it is `open` whose cool-down has elapsed. */
export interface BreakerRecord {
  state: 'closed' | 'open';
  /** Consecutive failures since the last success. */
  failures: number;
  /** When an open breaker lets a probe through (ISO time). */
  retryAt?: string;
  lastError?: string;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export const CLOSED: BreakerRecord = { state: 'closed', failures: 0 };

export function breakerState(record: BreakerRecord, now: Date): BreakerState {
  if (record.state === 'closed') return 'closed';
  return record.retryAt && Date.parse(record.retryAt) <= now.getTime() ? 'half-open' : 'open';
}

/** Whether a request may go to the model now (closed, or a half-open probe). */
export function mayCall(record: BreakerRecord, now: Date): boolean {
  return breakerState(record, now) !== 'open';
}

export function afterSuccess(): BreakerRecord {
  return CLOSED;
}

export function afterFailure(record: BreakerRecord, error: string, now: Date, settings: BreakerSettings): BreakerRecord {
  const failures = record.failures + 1;
  // A failed probe reopens at once: the model has not recovered.
  const open = breakerState(record, now) === 'half-open' || failures >= settings.failures;
  if (!open) return { state: 'closed', failures, lastError: error };
  return { state: 'open', failures, retryAt: new Date(now.getTime() + settings.cooldownMs).toISOString(), lastError: error };
}
