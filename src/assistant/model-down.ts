// What the assistant does when the model's breaker is open and when a chat outlives its deadline.
// No Temporal import: the workflow asks these functions and runs the timer they imply.
import type { AssistantEvent } from '../shared/types';
import type { Decision } from './decision';
import type { StepPlan } from './planner';
export { HOLDING_REPLY, holdingAnswer } from '../shared/holding-answer';

export const MODEL_UNAVAILABLE_REPLY = "The model is unavailable right now; I'll come back to this.";
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

/**
 * The plan of a step the model was down for, with its reply under an ID of its own: the real reply
 * to the same message comes later under the message's usual reply ID, and the transcript keeps both.
 */
export function withUnavailableReplyId(plan: StepPlan): StepPlan {
  const id = plan.reply.id.replace(/^reply:/, 'unavailable:');
  return {
    ...plan,
    reply: { ...plan.reply, id },
    deliver: { ...plan.deliver, messages: plan.deliver.messages.map((m) => (m.id === plan.reply.id ? { ...m, id } : m)) },
  };
}
