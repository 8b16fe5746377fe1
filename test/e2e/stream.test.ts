// GET /api/stream: live messages and notifications as server-sent events, and a reconnect with
// Last-Event-ID that replays everything missed while disconnected.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ script: () => ({ content: 'pong' }) });
});
afterAll(() => stack.stop());

function listen(headers: Record<string, string> = {}) {
  const events: EventSourceMessage[] = [];
  const abort = new AbortController();
  const parser = createParser({ onEvent: (e) => events.push(e) });
  const done = fetch(`${stack.baseUrl}/api/stream`, { headers: { authorization: `Bearer ${stack.token}`, ...headers }, signal: abort.signal })
    .then(async (res) => {
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    })
    .catch((err) => {
      if ((err as Error).name !== 'AbortError') throw err;
    });
  return { events, close: async () => (abort.abort(), done) };
}

test('new messages arrive live, and a reconnect with Last-Event-ID gets what was missed', async () => {
  const live = listen();
  await eventually(() => live.events.some((e) => e.event === 'ready'), 5000, 'the ready event');
  await stack.api('/api/chat', { body: { message: 'ping' } });
  const got = await eventually(() => {
    const msgs = live.events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data));
    return msgs.length >= 2 && msgs;
  }, 10_000, 'two message events');
  expect(got.map((m: { role: string; text: string }) => [m.role, m.text])).toEqual([
    ['user', 'ping'],
    ['assistant', 'pong'],
  ]);
  const lastId = live.events.filter((e) => e.id).at(-1)!.id!;
  await live.close();

  // While disconnected: another turn and a notification.
  await stack.api('/api/chat', { body: { message: 'ping again' } });
  await stack.store.notifications.add('n-missed', stack.userId, { title: 'While you were away', body: '', priority: 'high' });

  const again = listen({ 'Last-Event-ID': lastId });
  const replayed = await eventually(() => {
    const kinds = again.events.filter((e) => e.id).map((e) => `${e.event}:${JSON.parse(e.data).text ?? JSON.parse(e.data).title}`);
    return kinds.length >= 3 && kinds;
  }, 10_000, 'the missed events');
  expect(replayed).toEqual(['message:ping again', 'message:pong', 'notification:While you were away']);
  expect(again.events.filter((e) => e.id).map((e) => Number(e.id)).every((id) => id > Number(lastId))).toBe(true);
  await again.close();
});

test('a Last-Event-ID beyond the newest event (a reset log) starts from the newest and tells the page to reload', async () => {
  const newest = await stack.store.stream.lastSeq(stack.userId);
  const stale = listen({ 'Last-Event-ID': String(newest + 1000) });
  const reset = await eventually(() => stale.events.find((e) => e.event === 'reset'), 5000, 'the reset event');
  expect(reset.id).toBe(String(newest));
  expect(JSON.parse(reset.data)).toMatchObject({ lastEventId: newest, reload: true });
  // What follows is delivered, not skipped until the log catches up with the stale id.
  await stack.store.notifications.add('n-after-reset', stack.userId, { title: 'After the reset', body: '', priority: 'high' });
  const next = await eventually(() => stale.events.find((e) => e.event === 'notification'), 10_000, 'the next event');
  expect(JSON.parse(next.data).title).toBe('After the reset');
  await stale.close();
});
