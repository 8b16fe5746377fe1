// Long activities heartbeat so a dead worker is noticed within the heartbeat timeout, and so a
// cancellation (task cancelled, deadline) reaches them: Temporal delivers it on a heartbeat.
import { Context } from '@temporalio/activity';

export async function withHeartbeat<T>(details: Record<string, unknown>, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    ctx = undefined; // outside an activity (unit tests, scripts)
  }
  if (!ctx) return fn(new AbortController().signal);
  // A local activity runs inside its workflow task and has no heartbeat to send.
  if (ctx.info.isLocal) return fn(ctx.cancellationSignal);
  const started = Date.now();
  const beat = () => ctx!.heartbeat({ ...details, elapsedSeconds: Math.round((Date.now() - started) / 1000) });
  beat();
  const timer = setInterval(beat, 1000);
  try {
    return await fn(ctx.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}

/** When Temporal cancelled this activity, rethrows as its CancelledFailure so it ends as cancelled, not failed. */
export function rethrowIfCancelled(err: unknown): void {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    return;
  }
  if (ctx.cancellationSignal.aborted) {
    const reason = ctx.cancellationSignal.reason;
    throw reason instanceof Error ? reason : err;
  }
}

type AnyActivity = (...args: any[]) => Promise<unknown>;

/**
 * Every activity heartbeats while it runs, so each option set can carry a short heartbeat timeout
 * and a killed worker delays an activity by that timeout, not by its start-to-close timeout.
 */
export function heartbeatingAll<T extends Record<string, AnyActivity>>(activities: T): T {
  const out: Record<string, AnyActivity> = {};
  for (const [name, fn] of Object.entries(activities)) {
    out[name] = { [name]: (...args: unknown[]) => withHeartbeat({ activity: name }, () => fn(...args)) }[name]!;
  }
  return out as T;
}
