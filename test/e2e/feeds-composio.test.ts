// Gmail through Composio, end to end: the real SDK verifies webhooks from the fake Composio, the
// feed workflow distils with the fake model, and the user sees one notification per message.
import { WorkflowNotFoundError } from '@temporalio/client';
import { feedWorkflowId, mailItemId } from '../../src/shared/ids';
import type { ChatRequest } from '../fakes/openai-server';
import { promptKind } from '../fakes/openai-server';
import { type FeedStack, startFeedStack } from '../helpers/feeds';
import { eventually } from '../helpers/stack';

const isTriage = (r: ChatRequest) => (r.messages[0]?.content ?? '').startsWith('You triage email');

let f: FeedStack;
beforeAll(async () => {
  f = await startFeedStack({
    script: (req) =>
      isTriage(req)
        ? { content: JSON.stringify({ priority: 'high', category: 'action', summary: 'Dana needs the Q3 numbers by Friday.', actionItems: ['Send the Q3 numbers'], reason: 'a direct request with a deadline' }) }
        : { content: 'ok' },
  });
});
afterAll(() => f.stop());

const notifications = async () => (await f.stack.api('/api/notifications')).body.notifications as { title: string; priority: string; source: string; ref: string; body: string }[];
const q3 = { id: 'q3-numbers-1', from: 'Dana Lee <dana@acme.example>', to: ['me@acme.example'], subject: 'Q3 numbers', text: 'Hi, could you send me the Q3 numbers by Friday? Thanks, Dana' };
const q3Id = `${q3.id}@mail.example.com`;

test('a signed webhook produces one notification', async () => {
  const res = await f.deliver(q3);
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ ok: true, duplicate: false, workflowId: feedWorkflowId(f.stack.userId, mailItemId(q3Id)) });
  const [n] = await eventually(async () => {
    const ns = await notifications();
    return ns.length > 0 && ns;
  }, 30_000, 'a notification');
  expect(n).toMatchObject({ title: 'Dana Lee: Q3 numbers', priority: 'high', source: 'gmail', ref: mailItemId(q3Id) });
  expect(n!.body).toContain('Send the Q3 numbers');

  // The model was asked once, with the mail fenced, and the assistant heard about it.
  const triage = f.stack.fake!.requests.filter(isTriage);
  expect(triage).toHaveLength(1);
  expect(triage[0]!.messages[1]!.content).toMatch(/<<<UNTRUSTED email>>>[\s\S]*could you send me the Q3 numbers[\s\S]*<<<END UNTRUSTED email>>>/);
  await eventually(() => f.stack.fake!.requests.some((r) => promptKind(r) === 'assistant' && JSON.stringify(r.messages).includes('Q3 numbers')), 20_000, 'the assistant to see the item');
  const assistantPrompt = f.stack.fake!.requests.find((r) => promptKind(r) === 'assistant')!;
  expect(assistantPrompt.messages.at(-1)!.content).toContain('(already notified)');
  expect(await notifications()).toHaveLength(1);
});

test('a replayed (duplicate) webhook produces none', async () => {
  const before = await notifications();
  // Composio retrying the very same delivery, and the same mail arriving again in an older payload format.
  const again = f.composio.signWebhook(f.composio.makeGmailMessageEvent(q3, { version: 'V3' }));
  const first = await f.post(again.headers, again.body);
  const retried = await f.post(again.headers, again.body);
  const v1 = await f.deliver(q3, 'V1');
  // duplicate: Temporal refused a second workflow with the same ID, so nothing can run later.
  for (const r of [first, retried, v1]) expect(r).toMatchObject({ status: 200, body: { ok: true, duplicate: true } });
  expect(await notifications()).toEqual(before);
  expect(f.stack.fake!.requests.filter(isTriage)).toHaveLength(1);
});

test('a bad signature gets 401 and starts nothing', async () => {
  const msg = { id: 'forged-1', from: 'Dana Lee <dana@acme.example>', subject: 'Wire the money', text: 'Please wire 10k today.' };
  const forged = f.composio.signWebhook(f.composio.makeGmailMessageEvent(msg, { version: 'V3' }), { secret: 'whsec_not-the-real-secret-at-all' });
  const res = await f.post(forged.headers, forged.body);
  expect(res.status).toBe(401);
  expect(res.body.error).toMatch(/signature/i);
  // A valid signature on another body does not verify this one either.
  const genuine = f.composio.signWebhook({ hello: 'world' });
  expect((await f.post(genuine.headers, forged.body)).status).toBe(401);
  const unsigned = await f.post({ 'content-type': 'application/json' }, forged.body);
  expect(unsigned.status).toBe(401);

  const id = 'forged-1@mail.example.com';
  expect(await f.stack.store.context.get(f.stack.userId, mailItemId(id))).toBeUndefined();
  await expect(f.stack.client.workflow.getHandle(feedWorkflowId(f.stack.userId, mailItemId(id))).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

test('a malformed body gets 400 with a message', async () => {
  const notJson = f.composio.signWebhook('{"type": "composio.trigger.message", ');
  const res = await f.post(notJson.headers, notJson.body);
  expect(res.status).toBe(400);
  expect(res.body.error).toMatch(/JSON/);

  const event = f.composio.makeGmailMessageEvent({ id: 'no-sender', from: 'x@y.example', subject: 's', text: 't' }, { version: 'V3' });
  delete ((event.data as Record<string, unknown>).sender);
  const noSender = f.composio.signWebhook(event);
  const res2 = await f.post(noSender.headers, noSender.body);
  expect(res2.status).toBe(400);
  expect(res2.body.error).toMatch(/sender/);
  expect(await f.stack.store.context.get(f.stack.userId, mailItemId('no-sender@mail.example.com'))).toBeUndefined();
});

test('a newsletter is filed without a notification', async () => {
  const before = (await notifications()).length;
  const res = await f.deliver({
    id: 'weekly-digest-9',
    from: 'The Weekly Byte <news@weeklybyte.example>',
    subject: 'URGENT: this week in tech',
    text: 'Ten stories you should read this week. Deadline for our survey: Friday.',
    headers: { 'List-Unsubscribe': '<mailto:unsubscribe@weeklybyte.example>', 'List-Id': 'weekly.weeklybyte.example' },
  });
  expect(res.status).toBe(202);
  const outcome = await f.stack.client.workflow.getHandle(res.body.workflowId).result();
  expect(outcome).toMatchObject({ priority: 'low', category: 'newsletter', notified: false });
  expect((await f.stack.store.context.get(f.stack.userId, mailItemId('weekly-digest-9@mail.example.com')))?.distillation).toMatchObject({ priority: 'low', category: 'newsletter' });
  expect(await notifications()).toHaveLength(before);
});

test('an expired Gmail connection and a disabled trigger are told to the user', async () => {
  const expired = f.composio.signWebhook(f.composio.makeAccountExpiredEvent());
  expect((await f.post(expired.headers, expired.body)).status).toBe(200);
  const disabled = f.composio.signWebhook(f.composio.makeTriggerDisabledEvent());
  expect((await f.post(disabled.headers, disabled.body)).status).toBe(200);
  const titles = (await notifications()).map((n) => n.title);
  expect(titles).toEqual(expect.arrayContaining(['Your Gmail connection expired', 'The Gmail trigger was disabled']));
  const settings = await f.stack.api('/api/settings');
  expect(settings.body.sources.find((s: { name: string }) => s.name === 'gmail')).toMatchObject({ connected: false, healthy: false });
});
