// A user message never waits behind background thinking: a chat sent while a feed batch is being
// thought about is answered first, and the preempted batch is thought about again, once.
import { type ChatRequest, lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
let releaseFirstFeedThink!: () => void;
const firstFeedThinkReleased = new Promise<void>((resolve) => {
  releaseFirstFeedThink = resolve;
});
let feedThinks = 0;

const itemsIn = (text: string) => [...text.matchAll(/\bitem-\d+\b/g)].map((m) => m[0]);

async function script(req: ChatRequest) {
  if (promptKind(req) !== 'assistant') return { content: 'ok' };
  const text = lastUserText(req);
  if (text.includes('User (')) return { content: 'Answered at once.' };
  // The first feed batch thinks until the test lets it go: the model is busy with background work.
  if (++feedThinks === 1) await firstFeedThinkReleased;
  const items = [...new Set(itemsIn(text))];
  return { content: null, toolCalls: items.map((item) => ({ name: 'notify_user', arguments: { title: `seen ${item}` } })) };
}

beforeAll(async () => {
  stack = await startStack({ script });
});
afterAll(async () => {
  releaseFirstFeedThink();
  await stack.stop();
});

const feed = (n: number) => ({ id: `bg-${n}`, kind: 'feed' as const, priority: 'normal' as const, source: 'webhook', text: `item-${n} arrived`, at: new Date().toISOString() });
const assistantRequests = () => stack.fake!.requests.filter((r) => promptKind(r) === 'assistant').map(lastUserText);

test('a chat during a feed batch is answered before that batch, and every feed item is handled once', async () => {
  await stack.assistant.sendEvent(stack.userId, feed(0));
  await eventually(() => assistantRequests().some((t) => t.includes('item-0')), 30_000, 'the feed batch to be in the model');
  await stack.assistant.sendEvent(stack.userId, feed(1));
  await stack.assistant.sendEvent(stack.userId, feed(2));

  // The first feed think is still held by the model, so this answer cannot have waited for it.
  const res = await stack.api('/api/chat', { body: { message: 'are you free?' } });
  expect(res.status).toBe(200);
  expect(res.body.reply.text).toBe('Answered at once.');
  const beforeRelease = assistantRequests();
  expect(beforeRelease.findIndex((t) => t.includes('are you free?'))).toBeGreaterThan(beforeRelease.findIndex((t) => t.includes('item-0')));

  releaseFirstFeedThink();
  const titles = await eventually(async () => {
    const t = (await stack.store.notifications.list(stack.userId, { limit: 100 })).map((n) => n.title);
    return t.length >= 3 && t;
  }, 30_000, 'the feed items to be notified');
  expect([...titles].sort()).toEqual(['seen item-0', 'seen item-1', 'seen item-2']);

  // The preempted batch came back to the queue and was thought about again after the chat.
  const all = assistantRequests();
  const chatAt = all.findIndex((t) => t.includes('are you free?'));
  expect(all.slice(chatAt + 1).some((t) => t.includes('item-0'))).toBe(true);
  const snapshot = await stack.assistant.snapshot(stack.userId);
  expect(snapshot.queued).toEqual([]);
  expect(snapshot.stats.events).toBe(4);
});
