import { decisionWhileModelDown, HOLDING_REPLY, holdingAnswer, MODEL_UNAVAILABLE_REPLY, modelDownUntil } from '../../src/assistant/model-down';
import { AssistantState, initialState } from '../../src/assistant/state';
import type { AssistantEvent } from '../../src/shared/types';

const now = new Date('2030-01-01T10:00:00Z');
const user: AssistantEvent = { id: 'm1', kind: 'user_message', priority: 'urgent', text: 'hi', at: now.toISOString() };
const feed = { id: 'f1', kind: 'feed', priority: 'high', source: 'webhook:ci', text: 'build failed', at: now.toISOString() } as AssistantEvent;
const circuitOpen = (retryAt?: string) => ({ message: 'Activity task failed', cause: { type: 'ModelCircuitOpen', details: [{ retryAt }] } });

test('an open breaker defers the batch until its probe time; other failures do not', () => {
  expect(modelDownUntil(circuitOpen('2030-01-01T10:01:00.000Z'), now, 5000)).toBe('2030-01-01T10:01:00.000Z');
  expect(modelDownUntil(circuitOpen(undefined), now, 5000)).toBe('2030-01-01T10:00:05.000Z');
  // A probe time already past still waits a little, so the loop does not spin.
  expect(modelDownUntil(circuitOpen('2030-01-01T09:00:00.000Z'), now, 5000)).toBe('2030-01-01T10:00:01.000Z');
  expect(modelDownUntil({ cause: { type: 'ModelUnavailable' } }, now, 5000)).toBeUndefined();
});

test('the user hears at once that the model is down, once per message; feed events wait silently', () => {
  expect(decisionWhileModelDown([user], () => false).reply).toBe(MODEL_UNAVAILABLE_REPLY);
  expect(decisionWhileModelDown([user], () => true).reply).toBeNull();
  expect(decisionWhileModelDown([feed], () => false)).toEqual({ reply: null, notifications: [], toolCalls: [], rejected: [] });
});

test('a deferred batch comes back to the queue, and its IDs stay seen', () => {
  const state = new AssistantState(initialState('u'));
  state.accept(feed);
  const batch = state.takeBatch();
  state.defer(batch, '2030-01-01T10:01:00.000Z');
  expect(state.queueLength).toBe(0);
  expect(state.accept(feed)).toBe(false);
  expect(state.releaseDeferred()).toBe(1);
  expect(state.takeBatch()).toEqual([feed]);
  expect(state.data.deferred).toBeUndefined();
});

test('the holding answer is a reply of its own, not the real one', () => {
  const a = holdingAnswer('m1', now.toISOString());
  expect(a).toEqual({ id: 'm1', reply: { id: 'hold:m1', text: HOLDING_REPLY, at: now.toISOString() }, toolCalls: [] });
});

test("the unavailable reply does not take the message's reply ID, which the real reply needs later", async () => {
  const { planStep } = await import('../../src/assistant/planner');
  const { withUnavailableReplyId } = await import('../../src/assistant/model-down');
  const { DEFAULT_WORKFLOW_SETTINGS } = await import('../../src/shared/workflow-settings');
  const state = initialState('u');
  const plan = withUnavailableReplyId(planStep(state, decisionWhileModelDown([user], () => false), [user], DEFAULT_WORKFLOW_SETTINGS, { stepNo: 1, now, newId: () => 'x' }));
  expect(plan.reply.id).toBe('unavailable:m1');
  expect(plan.deliver.messages.map((m) => m.id)).toEqual(['msg:m1', 'unavailable:m1']);
});
