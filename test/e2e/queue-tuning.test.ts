// PAPRIKA_QUEUE_MAX and PAPRIKA_BATCH_SIZE, end to end: a burst that arrives while the worker is
// down is more than the queue may hold, so the lowest-priority events reach the model folded into
// one digest; every event is seen exactly once, and no model call gets more than a batch.
import { lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ script: () => ({ content: 'ok' }), env: { PAPRIKA_QUEUE_MAX: '5', PAPRIKA_BATCH_SIZE: '3' }, worker: 'none' });
});
afterAll(() => stack.stop());

const BURST = 20;

test('a burst over the queue limit reaches the assistant as a digest, every event accounted for once', async () => {
  const at = new Date().toISOString();
  await stack.assistant.sendEvent(stack.userId, { id: 'urgent-1', kind: 'feed', priority: 'high', source: 'webhook:ci', text: 'deploy failed #urgent;', at });
  for (let i = 0; i < BURST; i++) {
    await stack.assistant.sendEvent(stack.userId, { id: `burst-${i}`, kind: 'feed', priority: 'low', source: 'webhook:ci', text: `burst item #${i};`, at });
  }
  await stack.startWorker();

  const batches = await eventually(() => {
    const texts = stack.fake!.requests.filter((r) => promptKind(r) === 'assistant').map(lastUserText);
    const mentioned = new Set(texts.flatMap((t) => [...t.matchAll(/burst item #(\d+);/g)].map((m) => m[1])));
    return mentioned.size === BURST && texts.some((t) => t.includes('deploy failed')) && texts;
  }, 60_000, 'every event to reach the model');

  // Each event is in exactly one prompt, once: directly or listed in the digest.
  const mentions = batches.flatMap((t) => [...t.matchAll(/burst item #(\d+);/g)].map((m) => Number(m[1])));
  expect(mentions.sort((a, b) => a - b)).toEqual(Array.from({ length: BURST }, (_, i) => i));
  const digests = batches.filter((t) => t.includes('Feed event from digest'));
  expect(digests).toHaveLength(1);
  const folded = Number(/Digest of (\d+) lower-priority events/.exec(digests[0]!)?.[1]);
  // The queue held 5: the urgent event, three low ones and the digest of the rest.
  expect(folded).toBe(BURST - 3);
  // The urgent event was never folded, and went first.
  expect(batches[0]).toContain('deploy failed');
  for (const text of batches) expect(text.match(/^Feed event from /gm)!.length).toBeLessThanOrEqual(3);

  const snapshot = await stack.assistant.snapshot(stack.userId);
  expect(snapshot.seenCount).toBe(BURST + 1);
  expect(snapshot.stats.events).toBe(BURST + 1);
});
