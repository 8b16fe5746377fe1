// Retention: the daily Schedule prunes what is older than PAPRIKA_RETENTION_DAYS and keeps what a
// pending approval or a running task still points at; the user can make Paprika forget one item
// or everything from one sender.
import { retentionScheduleId } from '../../src/shared/ids';
import { ensureSchedules, deleteSchedules } from '../../src/temporal/schedules';
import { eventually, type Stack, startStack } from '../helpers/stack';

let s: Stack;
beforeAll(async () => {
  s = await startStack({ offline: true, env: { PAPRIKA_RETENTION_DAYS: '30' } });
});
afterAll(async () => {
  await deleteSchedules(s.client, s.userId).catch(() => undefined);
  await s.stop();
});

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

async function mail(id: string, from: string, subject: string) {
  await s.store.context.put(s.userId, { id, source: 'gmail', kind: 'email', title: subject, sender: from, body: `Body of ${subject}`, occurredAt: daysAgo(1) });
}

/** Moves a stored row (and its stream events' record) back in time, as if it had been kept that long. */
async function age(table: 'context_items' | 'notifications', id: string, days: number) {
  const { sql } = s.store;
  await sql.run(`UPDATE ${table} SET created_at = ? WHERE id = ?`, [daysAgo(days), id]);
  await sql.run(
    sql.engine === 'postgres'
      ? `UPDATE stream_events SET payload = jsonb_set(payload::jsonb, '{createdAt}', to_jsonb(?::text))::text WHERE (payload::jsonb ->> 'id') = ?`
      : `UPDATE stream_events SET payload = json_set(payload, '$.createdAt', ?) WHERE json_extract(payload, '$.id') = ?`,
    [daysAgo(days), id],
  );
}

const contextIds = async () => (await s.store.sql.all<{ id: string }>('SELECT id FROM context_items WHERE user_id = ? ORDER BY id', [s.userId])).map((r) => r.id);
const notificationIds = async () => ((await s.api('/api/notifications')).body.notifications as { id: string }[]).map((n) => n.id).sort();
const messageTexts = async () => ((await s.api('/api/conversation')).body.messages as { text: string }[]).map((m) => m.text).sort();
const streamIds = async () => (await s.store.stream.after(s.userId, 0)).map((e) => (e.event.data as { id: string }).id);

test('the daily Schedule prunes old items and keeps recent ones and those live work refers to', async () => {
  await mail('old-mail', 'Ann <ann@old.example>', 'Old newsletter');
  await mail('new-mail', 'Ann <ann@old.example>', 'This week');
  await mail('old-awaiting', 'Bo <bo@acme.example>', 'Contract to answer');
  await mail('old-in-task', 'Bo <bo@acme.example>', 'Report to summarise');
  for (const id of ['old-mail', 'old-awaiting', 'old-in-task']) await age('context_items', id, 45);

  // A pending approval of a reply to one old mail; a running task working on another.
  await s.store.tasks.start({ id: 'task-reply', userId: s.userId, tool: 'gmail_reply', title: 'Reply to the contract' });
  await s.store.approvals.create({
    id: 'appr-1', userId: s.userId, taskId: 'task-reply', workflowId: 'tool:x', tool: 'gmail_reply',
    args: { messageId: 'old-awaiting', body: 'Yes' }, preview: { title: 'Reply' } as never, expiresAt: daysAgo(-1),
  });
  await s.store.tasks.start({ id: 'task-summary', userId: s.userId, tool: 'task_agent', title: 'Summarise old-in-task' });

  await s.store.notifications.add('n-old-read', s.userId, { title: 'Old and read', body: '', priority: 'normal', source: 'gmail', ref: 'old-mail' });
  await s.store.notifications.add('n-old-unread', s.userId, { title: 'Old, never read', body: '', priority: 'normal', source: 'gmail' });
  await s.store.notifications.add('n-old-approval', s.userId, { title: 'Approve the reply', body: '', priority: 'high', source: 'approval', ref: 'approval:appr-1' });
  await s.store.notifications.add('n-new-read', s.userId, { title: 'Recent and read', body: '', priority: 'normal', source: 'gmail' });
  for (const id of ['n-old-read', 'n-old-approval', 'n-new-read']) await s.store.notifications.markRead(s.userId, id);
  for (const id of ['n-old-read', 'n-old-unread', 'n-old-approval']) await age('notifications', id, 45);

  await s.store.transcript.add({ id: 'm-old', userId: s.userId, role: 'user', text: 'an old question', createdAt: daysAgo(40) });
  await s.store.transcript.add({ id: 'm-new', userId: s.userId, role: 'user', text: 'a recent question', createdAt: daysAgo(2) });

  await ensureSchedules(s.client, s.config, await s.store.settings.get(s.userId), s.userId);
  const schedule = await s.client.schedule.getHandle(retentionScheduleId(s.userId)).describe();
  expect(schedule.action).toMatchObject({ workflowType: 'retentionWorkflow' });
  await s.client.schedule.getHandle(retentionScheduleId(s.userId)).trigger();

  await eventually(async () => !(await contextIds()).includes('old-mail'), 30_000, 'the retention workflow to prune');
  expect(await contextIds()).toEqual(['new-mail', 'old-awaiting', 'old-in-task']);
  expect(await notificationIds()).toEqual(['n-new-read', 'n-old-approval', 'n-old-unread']);
  expect(await messageTexts()).toEqual(['a recent question']);
  expect(await streamIds()).not.toContain('m-old');
  expect(await streamIds()).not.toContain('n-old-read');
  expect(await streamIds()).toEqual(expect.arrayContaining(['m-new', 'n-old-unread', 'task-reply', 'task-summary']));
  // Full-text search no longer finds the pruned mail.
  expect((await s.store.context.search(s.userId, 'newsletter')).map((h) => h.id)).toEqual([]);
});

test('DELETE /api/context/:id removes the item, its distillation and its notifications', async () => {
  await mail('forget-me', 'Cy <cy@acme.example>', 'Private matter');
  await s.store.context.saveDistillation(s.userId, 'forget-me', { priority: 'high', category: 'other', summary: 'Cy writes about a private matter', actionItems: [], reason: 'rules' } as never);
  await s.store.notifications.add('n-forget', s.userId, { title: 'Cy: Private matter', body: 'Cy writes about a private matter', priority: 'high', source: 'gmail', ref: 'forget-me' });

  const res = await s.api('/api/context/forget-me', { method: 'DELETE' });
  expect(res.status).toBe(200);
  expect(res.body.removed).toMatchObject({ contextItems: 1, notifications: 1, streamEvents: 1 });
  expect(await s.store.context.get(s.userId, 'forget-me')).toBeUndefined();
  expect(await notificationIds()).not.toContain('n-forget');
  expect(await streamIds()).not.toContain('n-forget');
  expect(await s.store.context.search(s.userId, 'private matter')).toEqual([]);
  expect((await s.api('/api/context/forget-me', { method: 'DELETE' })).status).toBe(404);
});

test('forget this sender removes every item from that address, and nothing else', async () => {
  await mail('dee-1', 'Dee <dee@spam.example>', 'Offer one');
  await mail('dee-2', 'Dee <DEE@spam.example>', 'Offer two');
  await mail('eve-1', 'Eve <eve@spam.example>', 'Not Dee');
  await s.store.notifications.add('n-dee', s.userId, { title: 'Dee: Offer one', body: '', priority: 'normal', source: 'gmail', ref: 'dee-1' });

  const res = await s.api('/api/context/forget-sender', { body: { address: 'Dee@Spam.example' } });
  expect(res.status).toBe(200);
  expect(res.body.removed).toMatchObject({ contextItems: 2, notifications: 1 });
  expect(await contextIds()).toEqual(expect.arrayContaining(['eve-1']));
  expect(await contextIds()).not.toEqual(expect.arrayContaining(['dee-1']));
  expect(await contextIds()).not.toContain('dee-2');
  expect((await s.api('/api/context/forget-sender', { body: { address: 'not an address' } })).status).toBe(400);
});
