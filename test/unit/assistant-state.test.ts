import { AssistantState, digestCount, initialState, isBackground, SEEN_LIMIT } from '../../src/assistant/state';
import type { AssistantEvent } from '../../src/shared/types';

const ev = (id: string, kind: AssistantEvent['kind'], priority: AssistantEvent['priority'] = 'normal'): AssistantEvent => ({
  id,
  kind,
  priority,
  text: id,
  at: '2026-01-01T00:00:00Z',
});

test('user messages are taken first and alone; then events by priority, oldest first', () => {
  const s = new AssistantState(initialState('me'));
  for (const e of [ev('low', 'feed', 'low'), ev('u1', 'user_message'), ev('urgent', 'feed', 'urgent'), ev('n1', 'feed'), ev('u2', 'user_message'), ev('n2', 'tool_result')]) s.accept(e);
  expect(s.takeBatch().map((e) => e.id)).toEqual(['u1']);
  expect(s.takeBatch().map((e) => e.id)).toEqual(['u2']);
  expect(s.takeBatch().map((e) => e.id)).toEqual(['urgent', 'n1', 'n2', 'low']);
  expect(s.takeBatch()).toEqual([]);
});

test('a batch holds at most the given number of events', () => {
  const s = new AssistantState(initialState('me'));
  for (let i = 0; i < 15; i++) s.accept(ev(`e${i}`, 'feed'));
  expect(s.takeBatch(10)).toHaveLength(10);
  expect(s.queueLength).toBe(5);
});

test('a seen ID is refused, also after the state is carried over (continue-as-new)', () => {
  const s = new AssistantState(initialState('me'));
  expect(s.accept(ev('a', 'feed'))).toBe(true);
  expect(s.accept(ev('a', 'feed'))).toBe(false);
  const carried = new AssistantState(JSON.parse(JSON.stringify(s.data)));
  expect(carried.accept(ev('a', 'feed'))).toBe(false);
  expect(carried.accept(ev('b', 'feed'))).toBe(true);
});

test('dedupe memory is bounded: the oldest IDs are forgotten first', () => {
  const s = new AssistantState(initialState('me'));
  for (let i = 0; i < SEEN_LIMIT + 10; i++) s.accept(ev(`e${i}`, 'feed'));
  expect(s.data.seen).toHaveLength(SEEN_LIMIT);
  expect(s.hasSeen('e0')).toBe(false);
  expect(s.hasSeen(`e${SEEN_LIMIT + 9}`)).toBe(true);
});

test('the window overflows into the summary, keeping the newest half', () => {
  const s = new AssistantState(initialState('me'));
  for (let i = 0; i < 10; i++) s.remember({ role: 'user', text: `m${i}`, at: 'now' });
  expect(s.overflow(10)).toEqual([]);
  s.remember({ role: 'user', text: 'm10', at: 'now' });
  const folded = s.overflow(10);
  expect(folded.map((w) => w.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  s.fold(folded.length, 'summary of m0..m5');
  expect(s.data.window.map((w) => w.text)).toEqual(['m6', 'm7', 'm8', 'm9', 'm10']);
  expect(s.data.summary).toBe('summary of m0..m5');
});

test('a huge event is clipped in the window', () => {
  const s = new AssistantState(initialState('me'));
  s.remember({ role: 'event', text: 'x'.repeat(50_000), at: 'now' });
  expect(s.data.window[0]!.text.length).toBeLessThanOrEqual(2000);
});

test('a pending call resolves once', () => {
  const s = new AssistantState(initialState('me'));
  s.addPending({ callId: 'c1', name: 'delegate_task', title: 't', startedAt: 'now' });
  expect(s.resolvePending('c1')?.title).toBe('t');
  expect(s.resolvePending('c1')).toBeUndefined();
});

test('a preempted batch goes back to the front of the queue, once, and is taken again after the user message', () => {
  const s = new AssistantState(initialState('me'));
  for (const e of [ev('f1', 'feed'), ev('f2', 'feed'), ev('f3', 'tool_result')]) s.accept(e);
  const batch = s.takeBatch(2);
  expect(isBackground(batch)).toBe(true);
  expect(s.userWaiting).toBe(false);
  s.accept(ev('u1', 'user_message'));
  expect(s.userWaiting).toBe(true);
  s.requeue(batch);
  expect(s.takeBatch().map((e) => e.id)).toEqual(['u1']);
  expect(s.takeBatch().map((e) => e.id)).toEqual(['f1', 'f2', 'f3']);
  expect(s.data.stats.events).toBe(4);
  expect(s.accept(ev('f1', 'feed'))).toBe(false);
});

test('a batch with a user message is not background', () => {
  expect(isBackground([ev('u', 'user_message')])).toBe(false);
  expect(isBackground([ev('r', 'reminder'), ev('t', 'tool_result')])).toBe(true);
});

describe('queue limit (PAPRIKA_QUEUE_MAX)', () => {
  const feed = (id: string, priority: AssistantEvent['priority']): AssistantEvent => ({ ...ev(id, 'feed', priority), text: `subject ${id}`, source: 'gmail', ref: `mail:${id}` });

  test('the lowest-priority feed events are folded into one digest that lists every one of them', () => {
    const s = new AssistantState(initialState('me'));
    s.accept(ev('u1', 'user_message'));
    s.accept(ev('t1', 'tool_result', 'low'));
    s.accept(feed('urgent', 'urgent'));
    for (let i = 0; i < 20; i++) {
      s.accept(feed(`low${i}`, 'low'));
      s.foldOverflow(5);
      expect(s.queueLength).toBeLessThanOrEqual(5);
    }
    const ids = s.data.queue.map((e) => e.id);
    // The user's message, the tool result and the urgent item are never folded.
    expect(ids).toEqual(expect.arrayContaining(['u1', 't1', 'urgent']));
    const digests = s.data.queue.filter((e) => e.source === 'digest');
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(digest).toMatchObject({ kind: 'feed', priority: 'low', provenance: { origin: 'untrusted' } });
    const inQueue = s.data.queue.filter((e) => e.id.startsWith('low')).map((e) => e.id);
    const listed = [...digest.text.matchAll(/\(mail:(low\d+)\)/g)].map((m) => m[1]!);
    // Every event is either still queued or listed in the digest, exactly once.
    expect([...inQueue, ...listed].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `low${i}`).sort());
    expect(digestCount(digest)).toBe(listed.length);
    expect(digest.text).toMatch(new RegExp(`^Digest of ${listed.length} lower-priority events`));
  });

  test('a folded event stays seen, so its redelivery is still a duplicate', () => {
    const s = new AssistantState(initialState('me'));
    for (let i = 0; i < 4; i++) s.accept(feed(`n${i}`, 'normal'));
    s.foldOverflow(2);
    expect(s.queueLength).toBe(2);
    expect(s.accept(feed('n0', 'normal'))).toBe(false);
    expect(s.hasSeen('n3')).toBe(true);
  });

  test('normal items fold before high ones; nothing to fold leaves the queue as it is', () => {
    const s = new AssistantState(initialState('me'));
    s.accept(feed('h', 'high'));
    s.accept(feed('n1', 'normal'));
    s.accept(feed('n2', 'normal'));
    s.foldOverflow(2);
    expect(s.data.queue.map((e) => e.id)).toEqual(['h', 'digest:3']);
    const users = new AssistantState(initialState('me'));
    for (let i = 0; i < 4; i++) users.accept(ev(`u${i}`, 'user_message'));
    users.foldOverflow(2);
    expect(users.queueLength).toBe(4);
  });

  test('a long digest stays bounded and still counts every event', () => {
    const s = new AssistantState(initialState('me'));
    for (let i = 0; i < 300; i++) {
      s.accept(feed(`x${i}`, 'low'));
      s.foldOverflow(3);
    }
    const digest = s.data.queue.find((e) => e.source === 'digest')!;
    expect(digestCount(digest) + s.queueLength - 1).toBe(300);
    expect(digest.text.length).toBeLessThan(20_000);
    expect(digest.text).toMatch(/… and \d+ more$/);
  });
});
