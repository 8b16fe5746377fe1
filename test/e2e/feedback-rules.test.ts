// Learning from feedback, end to end without a model: "not important" on a notification makes a
// rule that files the sender's next mail silently; "always tell me" makes even their small talk
// notify; the rules are listed, edited and deleted over the API.
import { type FeedStack, startFeedStack } from '../helpers/feeds';
import { eventually } from '../helpers/stack';
import { mailItemId } from '../../src/shared/ids';

let f: FeedStack;
beforeAll(async () => {
  f = await startFeedStack({ offline: true });
});
afterAll(() => f.stop());

interface N {
  id: string;
  title: string;
  priority: string;
  ref?: string;
}
const notifications = async () => (await f.stack.api('/api/notifications')).body.notifications as N[];
// Mail is stored under `mail:<Message-ID>`; the tests name it by its Message-ID.
const notificationFor = (messageId: string) => eventually(async () => (await notifications()).find((n) => n.ref === mailItemId(messageId)), 30_000, `the notification for ${messageId}`);
const filed = (messageId: string) => eventually(async () => (await f.stack.store.context.get(f.stack.userId, mailItemId(messageId)))?.distillation, 30_000, `${messageId} to be distilled`);

test('"not important" on a sender files their next mail silently, and the rule is visible', async () => {
  // A deadline tomorrow makes this urgent by the built-in rules.
  await f.deliver({ id: 'vendor-1', from: 'Kim Vendor <kim@vendor.example>', to: ['sam@acme.example'], subject: 'Renewal quote', text: 'Please confirm the renewal quote by tomorrow 10am.' });
  const first = await notificationFor('vendor-1@mail.example.com');
  expect(first.priority).toBe('urgent');

  const fb = await f.stack.api(`/api/notifications/${encodeURIComponent(first.id)}/feedback`, { method: 'POST', body: { verdict: 'not_important' } });
  expect(fb.status).toBe(201);
  expect(fb.body.rule).toMatchObject({ scope: 'sender', value: 'kim@vendor.example', effect: 'never_notify', notificationId: first.id });
  const rules = (await f.stack.api('/api/rules')).body.rules;
  expect(rules).toEqual([expect.objectContaining({ id: fb.body.rule.id, value: 'kim@vendor.example' })]);

  await f.deliver({ id: 'vendor-2', from: 'Kim Vendor <kim@vendor.example>', to: ['sam@acme.example'], subject: 'Renewal quote (reminder)', text: 'Please confirm the renewal quote by tomorrow 10am.' });
  const d = await filed('vendor-2@mail.example.com');
  expect(d.priority).toBe('ignore');
  expect(d.reason).toMatch(/your rule: never notify mail from kim@vendor\.example/i);
  expect((await notifications()).find((n) => n.ref === mailItemId('vendor-2@mail.example.com'))).toBeUndefined();
});

test('"always tell me" makes a low-priority mail from that sender notify', async () => {
  await f.deliver({ id: 'coach-1', from: 'Robin Coach <robin@club.example>', to: ['sam@acme.example'], subject: 'Match moved', text: 'Could you confirm by tomorrow 9am whether Leo plays on Saturday?' });
  const first = await notificationFor('coach-1@mail.example.com');
  const fb = await f.stack.api(`/api/notifications/${encodeURIComponent(first.id)}/feedback`, { method: 'POST', body: { verdict: 'always_tell_me' } });
  expect(fb.status).toBe(201);
  expect(fb.body.rule).toMatchObject({ scope: 'sender', value: 'robin@club.example', effect: 'always_notify' });

  // Without the rule this is normal, below the default threshold (high).
  await f.deliver({ id: 'coach-2', from: 'Robin Coach <robin@club.example>', to: ['sam@acme.example'], subject: 'Photos from the match', text: 'Some photos from last week are on the club site.' });
  const n = await notificationFor('coach-2@mail.example.com');
  expect(n.priority).toBe('high');
  expect((await f.stack.store.context.get(f.stack.userId, mailItemId('coach-2@mail.example.com')))?.distillation?.reason).toMatch(/always tell me about mail from robin@club\.example/i);
});

test('rules are edited and deleted over the API, with checked values', async () => {
  const [rule] = (await f.stack.api('/api/rules')).body.rules as { id: string; value: string }[];
  const bad = await f.stack.api(`/api/rules/${rule!.id}`, { method: 'PUT', body: { scope: 'domain', value: 'not a domain', effect: 'never_notify' } });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatch(/domain/);
  const put = await f.stack.api(`/api/rules/${rule!.id}`, { method: 'PUT', body: { scope: 'domain', value: '@Club.example', effect: 'always_notify', note: 'the whole club' } });
  expect(put.status).toBe(200);
  expect(put.body.rule).toMatchObject({ id: rule!.id, scope: 'domain', value: 'club.example', note: 'the whole club' });
  expect((await f.stack.api(`/api/rules/${rule!.id}`, { method: 'DELETE' })).status).toBe(200);
  expect(((await f.stack.api('/api/rules')).body.rules as { id: string }[]).map((r) => r.id)).not.toContain(rule!.id);
  expect((await f.stack.api(`/api/rules/${rule!.id}`, { method: 'DELETE' })).status).toBe(404);
  expect((await f.stack.api('/api/notifications/nope/feedback', { method: 'POST', body: { verdict: 'not_important' } })).status).toBe(404);
});
