// What the assistant does when the model's breaker is open and when a chat outlives its deadline.
// No Temporal import: the workflow asks these functions and runs the timer they imply.
import type { AssistantEvent } from '../shared/types';
import type { Decision } from './decision';
import type { ChatAnswer } from './state';

export const MODEL_UNAVAILABLE_REPLY = "The model is unavailable right now; I'll come back to this.";
export const HOLDING_REPLY = "Still working on this — I'll reply here when I have it.";
/** Never retry a deferred batch sooner than this, even when the breaker's time has passed. */
export const MIN_DEFER_MS = 1000;

/**
 * When `think` failed because the model's breaker is open, the time its batch may be thought about
 * again (the breaker's probe time); undefined for any other failure. Duck-typed on the failure's
 * cause so this file needs no Temporal import.
 */
export function modelDownUntil(err: unknown, now: Date, fallbackMs: number): string | undefined {
  const cause = (err as { cause?: { type?: string; details?: unknown[] } } | undefined)?.cause;
  if (cause?.type !== 'ModelCircuitOpen') return undefined;
  const retryAt = (cause.details?.[0] as { retryAt?: unknown } | undefined)?.retryAt;
  const at = typeof retryAt === 'string' ? Date.parse(retryAt) : NaN;
  return new Date(Math.max(Number.isNaN(at) ? now.getTime() + fallbackMs : at, now.getTime() + MIN_DEFER_MS)).toISOString();
}

/**
 * The step's decision while the model is down: a user's new message hears so at once (once: not
 * again each time its deferred batch finds the model still down); other events wait silently.
 */
export function decisionWhileModelDown(batch: AssistantEvent[], answered: (messageId: string) => boolean): Decision {
  const userAsked = batch.some((e) => e.kind === 'user_message' && !answered(e.id));
  return { reply: userAsked ? MODEL_UNAVAILABLE_REPLY : null, notifications: [], toolCalls: [], rejected: [] };
}

/** The answer a chat gets when its deadline passes first; not recorded, so a retry gets the real one. */
export function holdingAnswer(messageId: string, at: string): ChatAnswer {
  return { id: messageId, reply: { id: `hold:${messageId}`, text: HOLDING_REPLY, at }, toolCalls: [] };
}
