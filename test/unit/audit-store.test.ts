// The audit log on both engines: written once per ID, paged newest first, per user, found by the
// ref a notification or task carries, and fed by the approvals store.
import type { AuditEntryInput } from '../../src/shared/audit';
import { Approvals } from '../../src/store/approvals';
import { AuditLog } from '../../src/store/audit';
import type { Sql } from '../../src/store/sql';
import { ENGINES, openTestSql } from '../helpers/test-sql';

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

describe.each(ENGINES)('%s', (engine) => {
  let sql: Sql;
  let audit: AuditLog;
  beforeEach(async () => {
    sql = await openTestSql(engine);
    audit = new AuditLog(sql);
  });
  afterEach(() => sql.close());

  test('an entry is written once per ID and lists newest first, page by page, only for its user', async () => {
    await audit.record(entry('a'));
    await audit.record(entry('a', { detail: 'a retry must not change it' }));
    await audit.record(entry('b', { taskId: 't1' }));
    await audit.record(entry('c', { userId: 'someone-else' }));
    await audit.record(entry('d', { approvalId: 'ap1' }));
    const all = await audit.list('me', { limit: 10 });
    expect(all.map((e) => e.id)).toEqual(['d', 'b', 'a']);
    expect(all[2]!.detail).toBe('needs approval');
    const first = await audit.list('me', { limit: 2 });
    expect(first.map((e) => e.id)).toEqual(['d', 'b']);
    expect((await audit.list('me', { limit: 2, before: first[1]!.seq })).map((e) => e.id)).toEqual(['a']);
    expect(await audit.get('me', 'c')).toBeUndefined();
    expect(await audit.get('me', 'a')).toMatchObject({ provenance: { origin: 'untrusted', sources: [{ from: 'eve@evil.example' }] } });
    expect((await audit.byRef('me', 'task:t1'))?.id).toBe('b');
    expect((await audit.byRef('me', 'approval:ap1'))?.id).toBe('d');
    expect((await audit.byRef('me', 'mail:<m1@x>'))?.id).toBe('d');
    expect(await audit.byRef('me', 'task:nope')).toBeUndefined();
  });

  test('a source ref is matched exactly, among several sources, only for its user', async () => {
    const sources = [
      { kind: 'web' as const, ref: 'https://example.org/a' },
      { kind: 'mail' as const, ref: 'mail:<Two@x>' },
    ];
    await audit.record(entry('two-sources', { provenance: { origin: 'untrusted', sources } }));
    await audit.record(entry('no-sources', { provenance: { origin: 'user', sources: [] } }));
    await audit.record(entry('other-user', { userId: 'someone-else', provenance: { origin: 'untrusted', sources: [{ kind: 'mail', ref: 'mail:<only-theirs@x>' }] } }));
    expect((await audit.byRef('me', 'mail:<Two@x>'))?.id).toBe('two-sources');
    expect((await audit.byRef('me', 'https://example.org/a'))?.id).toBe('two-sources');
    expect(await audit.byRef('me', 'mail:<two@x>')).toBeUndefined();
    expect(await audit.byRef('me', 'mail:<only-theirs@x>')).toBeUndefined();
    expect((await audit.byRef('someone-else', 'mail:<only-theirs@x>'))?.id).toBe('other-user');
  });

  test('the same entry written concurrently is recorded once', async () => {
    const written = await Promise.all(Array.from({ length: 10 }, (_, i) => audit.record(entry('once', { detail: `attempt ${i}` }))));
    expect(new Set(written.map((e) => e.detail)).size).toBe(1);
    expect(await audit.list('me')).toHaveLength(1);
  });

  test('approvals log their request and their one decision', async () => {
    const approvals = new Approvals(sql, audit);
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
    await approvals.create(a);
    await approvals.create(a);
    await approvals.decide('ap', { status: 'approved' });
    await approvals.decide('ap', { status: 'rejected' });
    const log = await audit.list('me');
    expect(log.map((e) => [e.outcome, e.actor])).toEqual([
      ['approved', 'user'],
      ['waiting_for_approval', 'task:t9'],
    ]);
    expect(log[0]).toMatchObject({ approvalId: 'ap', taskId: 't9', workflowId: 'tool:me:t9', detail: 'Send an email to a@b.org' });
  });

  test('an approval whose audit entry cannot be written is not recorded either', async () => {
    const failing = Object.assign(Object.create(AuditLog.prototype) as AuditLog, {
      record: async () => {
        throw new Error('audit unavailable');
      },
    });
    const approvals = new Approvals(sql, failing);
    await expect(
      approvals.create({ id: 'x', userId: 'me', taskId: 't', workflowId: 'w', tool: 'gmail_send', args: {}, preview: { kind: 'email', summary: 's' }, expiresAt: new Date().toISOString() }),
    ).rejects.toThrow('audit unavailable');
    expect(await approvals.get('x')).toBeUndefined();
  });
});
