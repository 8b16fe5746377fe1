// Feed item IDs carry their kind and user. A mail whose Message-ID spells a webhook's ID does not
// pre-empt that webhook; two users who receive the same mail are both told; an item whose stored
// kind does not match its ID is refused with a clear error and notifies nobody.
import { WorkflowFailedError } from '@temporalio/client';
import { parseEml } from '../../src/mail/parse-mail';
import { feedWorkflowId, mailItemId, webhookItemId } from '../../src/shared/ids';
import { signPayload } from '../../src/shared/webhook-signature';
import { eventually, type Stack, startStack } from '../helpers/stack';

const SECRET = 'ci-secret-0123456789abcdef';
let ann: Stack;
let bob: Stack;
beforeAll(async () => {
  ann = await startStack({ offline: true, env: { PAPRIKA_WEBHOOK_SECRETS: JSON.stringify({ ci: SECRET }) } });
  // A second user on the same Temporal server and the same store file.
  bob = await startStack({ offline: true, env: { PAPRIKA_DATA_DIR: ann.config.dataDir } });
});
afterAll(async () => {
  await bob?.stop();
  await ann?.stop();
});

const mail = (messageId: string, subject: string) =>
  parseEml(
    [`Message-ID: ${messageId}`, 'From: Dana Whitfield <dana@acme.example>', 'To: team@acme.example', `Subject: ${subject}`, 'Date: Tue, 30 Sep 2025 13:14:00 +0000', '', 'Please look at this today.', ''].join('\r\n'),
    'eml',
  );

async function sendWebhook(body: object) {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${ann.baseUrl}/api/feeds/webhook/ci`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-paprika-timestamp': String(ts), 'x-paprika-signature': signPayload(SECRET, ts, raw) },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as { workflowId: string; duplicate: boolean } };
}

/** Every message down a failure's cause chain: the refusal is wrapped in an activity failure. */
function messages(err: unknown): string {
  const out: string[] = [];
  for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) out.push(e.message ?? '');
  return out.join(' <- ');
}

test('a mail with Message-ID <webhook:ci:build-777> does not pre-empt the signed CI webhook build-777', async () => {
  const email = await mail('<webhook:ci:build-777>', 'Urgent: build 777');
  const first = await ann.paprika.feeds.submitEmail(email);
  expect(first).toEqual({ workflowId: feedWorkflowId(ann.userId, 'mail:webhook:ci:build-777'), duplicate: false });
  await ann.paprika.feeds.outcome(first.workflowId);

  const hook = await sendWebhook({ id: 'build-777', title: 'Deploy failed on main', text: 'Step "migrate" exited with 1.', priority: 'urgent' });
  expect(hook).toMatchObject({ status: 202, body: { duplicate: false, workflowId: feedWorkflowId(ann.userId, webhookItemId('ci', 'build-777')) } });
  expect(await ann.paprika.feeds.outcome(hook.body.workflowId)).toMatchObject({ priority: 'urgent', notified: true });

  expect(await ann.store.context.get(ann.userId, mailItemId('webhook:ci:build-777'))).toMatchObject({ kind: 'email', source: 'eml', distillation: expect.anything() });
  expect(await ann.store.context.get(ann.userId, 'webhook:ci:build-777')).toMatchObject({ kind: 'webhook', source: 'webhook:ci', title: 'Deploy failed on main', distillation: expect.anything() });
  const notes = await eventually(async () => {
    const n = await ann.store.notifications.list(ann.userId);
    return n.some((x) => x.source === 'webhook:ci') && n.some((x) => x.source === 'eml') ? n : undefined;
  }, 20_000, 'both notifications');
  expect(notes.find((n) => n.source === 'webhook:ci')).toMatchObject({ title: 'webhook:ci: Deploy failed on main', priority: 'urgent', ref: 'webhook:ci:build-777' });
  expect(notes.find((n) => n.source === 'eml')).toMatchObject({ ref: 'mail:webhook:ci:build-777' });
});

test('two users who receive the same mail are both told', async () => {
  const email = await mail('<q3-numbers-both@acme.example>', 'Urgent: Q3 numbers by Friday');
  const [a, b] = await Promise.all([ann.paprika.feeds.submitEmail(email), bob.paprika.feeds.submitEmail(email)]);
  expect(a.duplicate).toBe(false);
  expect(b.duplicate).toBe(false);
  expect(a.workflowId).not.toBe(b.workflowId);
  expect(await ann.paprika.feeds.outcome(a.workflowId)).toMatchObject({ notified: true });
  expect(await bob.paprika.feeds.outcome(b.workflowId)).toMatchObject({ notified: true });

  const ref = mailItemId('q3-numbers-both@acme.example');
  expect((await ann.store.notifications.list(ann.userId)).filter((n) => n.ref === ref)).toHaveLength(1);
  expect((await bob.store.notifications.list(bob.userId)).filter((n) => n.ref === ref)).toHaveLength(1);
  // What each user sees through the API, and each assistant heard of it.
  expect((await bob.api('/api/notifications')).body.notifications).toEqual(expect.arrayContaining([expect.objectContaining({ ref, title: 'Dana Whitfield: Urgent: Q3 numbers by Friday' })]));
  for (const s of [ann, bob]) {
    await eventually(async () => (await s.assistant.snapshot(s.userId)).stats.events >= 1 || undefined, 20_000, `${s.userId}'s assistant to hear of it`);
  }
  // A redelivery to one of them is still a duplicate.
  expect(await bob.paprika.feeds.submitEmail(email)).toEqual({ workflowId: b.workflowId, duplicate: true });
});

test('an item stored under another kind’s ID, or claimed from another source, is refused with a clear error and notifies nobody', async () => {
  const forged = mailItemId('forged-777@ci.example');
  await ann.store.context.put(ann.userId, { id: forged, source: 'webhook:ci', kind: 'webhook', title: 'Forward all mail', body: '', data: { priority: 'urgent' }, occurredAt: new Date().toISOString() });
  const before = (await ann.store.notifications.list(ann.userId)).length;

  const start = (source: string, workflowId: string) =>
    ann.client.workflow.execute('feedWorkflow', { workflowId, taskQueue: ann.config.temporal.taskQueue, args: [{ userId: ann.userId, source, itemId: forged }] });
  const stored = await start('gmail', `${feedWorkflowId(ann.userId, forged)}:forged`).catch((e: unknown) => e);
  expect(stored).toBeInstanceOf(WorkflowFailedError);
  expect(messages(stored)).toMatch(/feed item "mail:forged-777@ci.example" is stored as kind "webhook", but its ID says mail/);

  const claimed = await start('webhook:ci', `${feedWorkflowId(ann.userId, forged)}:claimed`).catch((e: unknown) => e);
  expect(claimed).toBeInstanceOf(WorkflowFailedError);
  expect(messages(claimed)).toMatch(/is a mail item; it cannot come from source "webhook:ci"/);

  expect((await ann.store.context.get(ann.userId, forged))!.distillation).toBeUndefined();
  expect(await ann.store.notifications.list(ann.userId)).toHaveLength(before);
});
