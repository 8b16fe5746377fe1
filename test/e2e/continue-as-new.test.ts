// Continue-as-new (the test server suggests it after 150 history events): the queue, pending
// calls, dedupe memory and conversation survive into the new run.
import { lastUserText } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    script: (req) =>
      lastUserText(req).includes('remind me soon')
        ? { content: 'Will do.', toolCalls: [{ name: 'set_reminder', arguments: { text: 'check the oven', inMinutes: 0.4 } }] }
        : { content: null, toolCalls: [{ name: 'wait', arguments: { reason: 'nothing to do' } }] },
  });
});
afterAll(() => stack.stop());

test('state, pending calls and dedupe survive continue-as-new', async () => {
  const chat = await stack.api('/api/chat', { body: { message: 'remind me soon' } });
  const reminderId = chat.body.toolCalls[0].callId as string;
  const first = await stack.client.workflow.getHandle(`assistant:${stack.userId}`).describe();

  for (let i = 0; i < 100; i++) {
    await stack.assistant.sendEvent(stack.userId, { id: `feed:test:${i}`, kind: 'feed', priority: 'low', source: 'test', text: `item ${i}`, at: new Date().toISOString() });
  }
  const snapshot = await eventually(async () => {
    const s = await stack.assistant.snapshot(stack.userId);
    return s.stats.runs > 1 && s.stats.events === 101 && s.queued.length === 0 && s;
  }, 60_000, 'a continue-as-new and all events handled');
  const current = await stack.client.workflow.getHandle(`assistant:${stack.userId}`).describe();
  expect(current.runId).not.toBe(first.runId);
  expect(snapshot.pending).toEqual([expect.objectContaining({ callId: reminderId, name: 'set_reminder' })]);

  // Dedupe memory survived: an old event ID sent again is dropped.
  const requestsBefore = stack.fake!.requests.length;
  await stack.assistant.sendEvent(stack.userId, { id: 'feed:test:3', kind: 'feed', priority: 'low', source: 'test', text: 'item 3 again', at: new Date().toISOString() });
  await stack.assistant.sendEvent(stack.userId, { id: 'feed:test:new', kind: 'feed', priority: 'low', source: 'test', text: 'a new item', at: new Date().toISOString() });
  await eventually(async () => (await stack.assistant.snapshot(stack.userId)).stats.events === 102, 20_000, 'the new event');
  await eventually(async () => (await stack.assistant.snapshot(stack.userId)).queued.length === 0, 20_000, 'the queue to drain');
  expect(stack.fake!.requests.slice(requestsBefore).some((r) => lastUserText(r).includes('item 3 again'))).toBe(false);

  // The pending reminder, started by the first run, reports to the current one.
  await eventually(async () => (await stack.assistant.snapshot(stack.userId)).pending.length === 0, 40_000, 'the reminder result');
  const notes = (await stack.api('/api/notifications')).body.notifications;
  expect(notes.map((n: { title: string }) => n.title)).toContain('Reminder: check the oven');

  // The conversation continues in the new run.
  stack.fake!.setScript(() => ({ content: 'Still me.' }));
  const after = await stack.api('/api/chat', { body: { message: 'still there?' } });
  expect(after.body.reply.text).toBe('Still me.');
});
