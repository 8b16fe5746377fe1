// A reminder fires through a durable timer in its own workflow (offline rules, no model).
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ offline: true });
});
afterAll(() => stack.stop());

test('"remind me in 3 seconds to stretch" notifies the user when due', async () => {
  const res = await stack.api('/api/chat', { body: { message: 'remind me in 3 seconds to stretch' } });
  expect(res.status).toBe(200);
  expect(res.body.reply.text).toMatch(/remind you to stretch in 3 seconds \(/);
  const [call] = res.body.toolCalls;
  expect(call).toMatchObject({ name: 'set_reminder' });

  const handle = stack.client.workflow.getHandle(`tool:${stack.userId}:${call.callId}`);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  expect((await stack.api('/api/notifications')).body.notifications).toEqual([]);

  const note = await eventually(async () => (await stack.api('/api/notifications')).body.notifications[0], 20_000, 'the reminder');
  expect(note).toMatchObject({ title: 'Reminder: stretch', priority: 'high', source: 'reminder' });
  // The notification is written just before the workflow reports back and completes.
  await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 10_000, 'the reminder workflow to complete');
  // The assistant hears about it too, and the reminder is no longer pending.
  await eventually(async () => (await stack.assistant.snapshot(stack.userId)).pending.length === 0, 10_000, 'pending to clear');
  // The step that cleared it delivers its message next; wait for it rather than race it.
  const last = await eventually(async () => {
    const text = (await stack.api('/api/conversation')).body.messages.at(-1)?.text as string | undefined;
    return text && !text.startsWith('OK') ? text : undefined;
  }, 10_000, 'the assistant to say the reminder is due');
  expect(last).toMatch(/Reminder due: stretch/);
});

test('offline, the assistant says what it can do instead of pretending', async () => {
  const res = await stack.api('/api/chat', { body: { message: 'write me a poem about tax law' } });
  expect(res.body.reply.text).toMatch(/without a language model/);
  const help = await stack.api('/api/chat', { body: { message: 'help' } });
  expect(help.body.reply.text).toMatch(/remind me/);
});

test('a cancelled reminder ends as cancelled and no longer holds a pending call', async () => {
  const res = await stack.api('/api/chat', { body: { message: 'remind me in 2 hours to water the plants' } });
  const [call] = res.body.toolCalls;
  expect(call).toMatchObject({ name: 'set_reminder' });
  const isPending = async () => (await stack.assistant.snapshot(stack.userId)).pending.some((p: { callId: string }) => p.callId === call.callId);
  await eventually(isPending, 10_000, 'the reminder to be pending');

  expect((await stack.api(`/api/tasks/${call.callId}/cancel`, { method: 'POST' })).status).toBe(200);
  // The workflow, not the route, records the end: the row and the assistant hear it from the same place.
  const done = await eventually(async () => {
    const t = (await stack.api('/api/tasks')).body.tasks.find((x: { id: string }) => x.id === call.callId);
    return t?.status === 'cancelled' && t;
  }, 20_000, 'the reminder to be cancelled');
  expect(done.result).toBe('Cancelled.');
  await eventually(async () => !(await isPending()), 20_000, 'the pending call to resolve');
  const handle = stack.client.workflow.getHandle(`tool:${stack.userId}:${call.callId}`);
  await eventually(async () => (await handle.describe()).status.name !== 'RUNNING', 10_000, 'the reminder workflow to end');
});
