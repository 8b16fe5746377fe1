// The audit log on a real SQLite file: written once per ID, paged newest first, per user, found by
// the ref a notification or task carries, and fed by the approvals store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEntryInput } from '../../src/shared/audit';
import { openStore } from '../../src/store';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-audit-'));
const entry = (id: string, over: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  id,
  userId: 'me',
  action: 'gmail_send',
  actor: 'task:t1',
  provenance: { origin: 'untrusted', sources: [{ kind: 'mail', ref: 'mail:<m1@x>', from: 'eve@evil.example' }] },
  outcome: 'refused',
  detail: 'needs approval',
  ...over,
});

test('an entry is written once per ID and lists newest first, page by page, only for its user', async () => {
  const store = await openStore(dir());
  store.audit.record(entry('a'));
  store.audit.record(entry('a', { detail: 'a retry must not change it' }));
  store.audit.record(entry('b', { taskId: 't1' }));
  store.audit.record(entry('c', { userId: 'someone-else' }));
  store.audit.record(entry('d', { approvalId: 'ap1' }));
  const all = store.audit.list('me', { limit: 10 });
  expect(all.map((e) => e.id)).toEqual(['d', 'b', 'a']);
  expect(all[2]!.detail).toBe('needs approval');
  const first = store.audit.list('me', { limit: 2 });
  expect(first.map((e) => e.id)).toEqual(['d', 'b']);
  expect(store.audit.list('me', { limit: 2, before: first[1]!.seq }).map((e) => e.id)).toEqual(['a']);
  expect(store.audit.get('me', 'c')).toBeUndefined();
  expect(store.audit.get('me', 'a')).toMatchObject({ provenance: { origin: 'untrusted', sources: [{ from: 'eve@evil.example' }] } });
  expect(store.audit.byRef('me', 'task:t1')?.id).toBe('b');
  expect(store.audit.byRef('me', 'approval:ap1')?.id).toBe('d');
  expect(store.audit.byRef('me', 'mail:<m1@x>')?.id).toBe('d');
  expect(store.audit.byRef('me', 'task:nope')).toBeUndefined();
  store.close();
});

test('approvals log their request and their one decision', async () => {
  const store = await openStore(dir());
  const a = {
    id: 'ap',
    userId: 'me',
    taskId: 't9',
    workflowId: 'tool:me:t9',
    tool: 'gmail_send',
    args: { to: ['a@b.org'] },
    preview: { kind: 'email' as const, summary: 'Send an email to a@b.org' },
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  };
  store.approvals.create(a);
  store.approvals.create(a);
  store.approvals.decide('ap', { status: 'approved' });
  store.approvals.decide('ap', { status: 'rejected' });
  const log = store.audit.list('me');
  expect(log.map((e) => [e.outcome, e.actor])).toEqual([
    ['approved', 'user'],
    ['waiting_for_approval', 'task:t9'],
  ]);
  expect(log[0]).toMatchObject({ approvalId: 'ap', taskId: 't9', workflowId: 'tool:me:t9', detail: 'Send an email to a@b.org' });
  store.close();
});
