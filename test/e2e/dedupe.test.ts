// Every accepted event is processed exactly once: a duplicate event ID is dropped.
import { lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    script: (req) =>
      promptKind(req) === 'assistant' && lastUserText(req).includes('Server down')
        ? { toolCalls: [{ name: 'notify_user', arguments: { title: 'Server down', priority: 'urgent' } }] }
        : { content: 'ok' },
  });
});
afterAll(() => stack.stop());

test('the same event delivered twice produces one step and one notification', async () => {
  const event = { id: 'webhook:ci:42', kind: 'feed' as const, priority: 'urgent' as const, source: 'ci', text: 'Server down: api-1', at: new Date().toISOString() };
  await stack.assistant.sendEvent(stack.userId, event);
  await stack.assistant.sendEvent(stack.userId, event);
  await eventually(async () => (await stack.api('/api/notifications')).body.notifications.length > 0, 20_000, 'a notification');
  // A later event proves the loop went past both deliveries.
  await stack.assistant.sendEvent(stack.userId, { ...event, id: 'webhook:ci:43', text: 'All good', priority: 'low' });
  await eventually(async () => (await stack.assistant.snapshot(stack.userId)).stats.events === 2 && (await stack.assistant.snapshot(stack.userId)).queued.length === 0, 20_000, 'both events handled');
  expect(stack.fake!.requests.filter((r) => lastUserText(r).includes('Server down'))).toHaveLength(1);
  expect((await stack.api('/api/notifications')).body.notifications).toHaveLength(1);
});
