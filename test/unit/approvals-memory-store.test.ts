// The approvals and memory stores on a real SQLite file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-apr-'));
const approval = (id: string, createdOffset = 0) => ({
  id,
  userId: 'me',
  taskId: `t-${id}`,
  workflowId: `tool:me:t-${id}`,
  tool: 'gmail_send',
  args: { to: ['a@b.org'], subject: 's', body: 'b' },
  preview: { kind: 'email' as const, to: 'a@b.org', subject: 's', body: 'b', summary: 'Send' },
  expiresAt: new Date(Date.now() + 3600_000 + createdOffset).toISOString(),
});

test('approvals: created once, decided once, listed pending first, and kept across a reopen', async () => {
  const d = dir();
  let store = await openStore(d);
  store.approvals.create(approval('a1'));
  store.approvals.create({ ...approval('a1'), tool: 'changed' });
  store.approvals.create(approval('a2'));
  expect(store.approvals.get('a1')).toMatchObject({ tool: 'gmail_send', status: 'pending' });
  const decided = store.approvals.decide('a1', { status: 'approved', args: { to: ['c@d.org'], subject: 's', body: 'edited' } });
  expect(decided).toMatchObject({ status: 'approved', args: { body: 'edited' } });
  expect(decided!.decidedAt).toEqual(expect.any(String));
  // A late second decision changes nothing.
  expect(store.approvals.decide('a1', { status: 'rejected', reason: 'late' })).toMatchObject({ status: 'approved' });
  store.close();
  store = await openStore(d);
  expect(store.approvals.list('me').map((a) => [a.id, a.status])).toEqual([
    ['a2', 'pending'],
    ['a1', 'approved'],
  ]);
  expect(store.approvals.list('me', { status: 'pending' }).map((a) => a.id)).toEqual(['a2']);
  expect(store.approvals.list('someone-else')).toEqual([]);
  store.close();
});

test('auto-approve rules are per user and replaced as a whole', async () => {
  const store = await openStore(dir());
  expect(store.approvals.autoApproved('me')).toEqual([]);
  expect(store.approvals.setAutoApproved('me', ['gmail_send', 'calendar_create_event', 'gmail_send'])).toEqual(['calendar_create_event', 'gmail_send']);
  expect(store.approvals.isAutoApproved('me', 'gmail_send')).toBe(true);
  expect(store.approvals.isAutoApproved('you', 'gmail_send')).toBe(false);
  expect(store.approvals.setAutoApproved('me', [])).toEqual([]);
  store.close();
});

test('memory: facts are idempotent by ID and text, recalled by shared words, deletable', async () => {
  const store = await openStore(dir());
  const a = store.memory.add('me', 'Prefers meetings after 10:00', { id: 'f1', source: 'task:t1' });
  expect(store.memory.add('me', 'something else', { id: 'f1' })).toEqual(a);
  expect(store.memory.add('me', 'Prefers meetings after 10:00').id).toBe('f1');
  store.memory.add('me', 'Daughter is called Mia');
  expect(store.memory.recall('me', 'when are meetings ok?').map((f) => f.id)).toEqual(['f1']);
  expect(store.memory.recall('me', '')).toHaveLength(2);
  expect(() => store.memory.add('me', '   ')).toThrow(/empty/);
  expect(store.memory.delete('me', 'f1')).toBe(true);
  expect(store.memory.delete('me', 'f1')).toBe(false);
  expect(store.memory.list('me').map((f) => f.text)).toEqual(['Daughter is called Mia']);
  store.close();
});
