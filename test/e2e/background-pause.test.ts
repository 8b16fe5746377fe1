// While the user is chatting, feed batches wait for a pause in the conversation
// (PAPRIKA_BACKGROUND_QUIET_SECONDS after the last answer): a background think started between two
// messages would only be cancelled by the next one. A new message ends the wait; the batch is
// thought about once the user stops, exactly once, and its notification is not held back.
import { type ChatRequest, lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

const QUIET_SECONDS = 6;
let stack: Stack;

function script(req: ChatRequest) {
  if (promptKind(req) !== 'assistant') return { content: 'ok' };
  const text = lastUserText(req);
  if (text.includes('User (')) return { content: 'Answered.' };
  return { content: null, toolCalls: [{ name: 'notify_user', arguments: { title: 'thought about the feed' } }] };
}

beforeAll(async () => {
  stack = await startStack({ script, env: { PAPRIKA_BACKGROUND_QUIET_SECONDS: String(QUIET_SECONDS) } });
});
afterAll(() => stack.stop());

const feedThinks = () => stack.fake!.requests.filter((r) => promptKind(r) === 'assistant' && lastUserText(r).includes('pause-item')).length;
const chat = async (message: string) => {
  const res = await stack.api('/api/chat', { body: { message } });
  expect(res.status).toBe(200);
  return Date.now();
};

test('a feed batch waits while the user chats, then is thought about once after the pause', async () => {
  await chat('hello');
  await stack.assistant.sendEvent(stack.userId, { id: 'pause-1', kind: 'feed', priority: 'normal', source: 'webhook', text: 'pause-item arrived', at: new Date().toISOString() });
  await eventually(async () => (await stack.assistant.snapshot(stack.userId)).stats.events >= 2, 30_000, 'the feed event to be accepted');
  // Each message restarts the wait, so the feed is still waiting after the last one.
  await chat('one more thing');
  const lastAnswerAt = await chat('and another');
  expect(feedThinks()).toBe(0);
  expect((await stack.assistant.snapshot(stack.userId)).queued.map((e) => e.id)).toEqual(['pause-1']);

  await eventually(() => feedThinks() >= 1 || undefined, 60_000, 'the feed batch to be thought about after the pause');
  // Not before the quiet time after the last answer (a little slack for the clocks of worker and test).
  expect(Date.now() - lastAnswerAt).toBeGreaterThanOrEqual(QUIET_SECONDS * 1000 - 500);
  await eventually(async () => (await stack.store.notifications.list(stack.userId, { limit: 20 })).some((n) => n.title === 'thought about the feed') || undefined, 30_000, 'the feed think to be delivered');
  expect(feedThinks()).toBe(1);
  expect((await stack.assistant.snapshot(stack.userId)).queued).toEqual([]);
});
