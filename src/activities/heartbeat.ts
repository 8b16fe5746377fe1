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
  // A local activity has no heartbeat (the core only warns); its cancellation still arrives on the signal.
  if (ctx.info.isLocal) return fn(ctx.cancellationSignal);
  const started = Date.now();
  const beat = () => ctx!.heartbeat({ ...details, elapsedSeconds: Math.round((Date.now() - started) / 1000) });
  beat();
  const timer = setInterval(beat, beatIntervalMs(ctx.info.heartbeatTimeoutMs));
  try {
    return await fn(ctx.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}

/**
 * How often to beat. The core sends the latest beat to the server once per throttle interval (80% of
 * the heartbeat timeout), so a few beats per timeout keep the activity alive and bring a cancellation
 * as soon as beating every second did; each beat costs an encode, an encryption and a call into the
 * core, which 40 running agents paid 40 times a second.
 */
export function beatIntervalMs(heartbeatTimeoutMs: number | undefined): number {
  return Math.min(5_000, Math.max(200, Math.floor((heartbeatTimeoutMs ?? 20_000) / 4)));
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
