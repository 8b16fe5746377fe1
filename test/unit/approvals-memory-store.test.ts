// The approvals and memory stores, on both engines.
import { Approvals } from '../../src/store/approvals';
import { AuditLog } from '../../src/store/audit';
import { Memory } from '../../src/store/memory';
import type { Sql } from '../../src/store/sql';
import { migrate } from '../../src/store/schema';
import { ENGINES, openEmptySql, openTestSql, openTestSqlPair } from '../helpers/test-sql';

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

describe.each(ENGINES)('%s', (engine) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = await openTestSql(engine);
  });
  afterEach(() => sql.close());

  test('approvals: created once, decided once, listed pending first, and kept across a reopen', async () => {
    const [first, second] = await openTestSqlPair(engine);
    let approvals = new Approvals(first);
    await approvals.create(approval('a1'));
    await approvals.create({ ...approval('a1'), tool: 'changed' });
    await approvals.create(approval('a2'));
    expect(await approvals.get('a1')).toMatchObject({ tool: 'gmail_send', status: 'pending' });
    const decided = await approvals.decide('a1', { status: 'approved', args: { to: ['c@d.org'], subject: 's', body: 'edited' } });
    expect(decided).toMatchObject({ status: 'approved', args: { body: 'edited' } });
    expect(decided!.decidedAt).toEqual(expect.any(String));
    // A late second decision changes nothing.
    expect(await approvals.decide('a1', { status: 'rejected', reason: 'late' })).toMatchObject({ status: 'approved' });
    await first.close();
    approvals = new Approvals(second);
    expect((await approvals.list('me')).map((a) => [a.id, a.status])).toEqual([
      ['a2', 'pending'],
      ['a1', 'approved'],
    ]);
    expect((await approvals.list('me', { status: 'pending' })).map((a) => a.id)).toEqual(['a2']);
    expect(await approvals.list('someone-else')).toEqual([]);
    await second.close();
  });

  test('approvals: pending oldest first, decided newest first, even within one millisecond', async () => {
    const approvals = new Approvals(sql);
    const ids = Array.from({ length: 12 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    for (const id of ids) await approvals.create(approval(id));
    for (const id of ids.slice(6)) await approvals.decide(id, { status: 'rejected' });
    expect((await approvals.list('me')).map((a) => a.id)).toEqual([...ids.slice(0, 6), ...ids.slice(6).reverse()]);
    expect((await approvals.list('me', { limit: 2 })).map((a) => a.id)).toEqual(ids.slice(0, 2));
  });

  test('approvals: of ten concurrent decisions exactly one is kept, and logged once', async () => {
    const audit = new AuditLog(sql);
    const approvals = new Approvals(sql, audit);
    await approvals.create(approval('race'));
    const statuses = ['approved', 'rejected'] as const;
    const results = await Promise.all(statuses.flatMap((status) => Array.from({ length: 5 }, (_, i) => approvals.decide('race', { status, reason: `${status} ${i}` }))));
    const kept = await approvals.get('race');
    expect(kept!.status).not.toBe('pending');
    // Every caller is told the decision that stands, not its own.
    expect(results.map((r) => [r!.status, r!.reason])).toEqual(results.map(() => [kept!.status, kept!.reason]));
    const decisions = (await audit.list('me')).filter((e) => e.outcome !== 'waiting_for_approval');
    expect(decisions.map((e) => e.outcome)).toEqual([kept!.status]);
  });

  test('auto-approve rules are per user and replaced as a whole', async () => {
    const approvals = new Approvals(sql);
    expect(await approvals.autoApproved('me')).toEqual([]);
    expect(await approvals.setAutoApproved('me', ['gmail_send', 'calendar_create_event', 'gmail_send'])).toEqual(['calendar_create_event', 'gmail_send']);
    expect(await approvals.isAutoApproved('me', 'gmail_send')).toBe(true);
    expect(await approvals.isAutoApproved('you', 'gmail_send')).toBe(false);
    expect(await approvals.setAutoApproved('me', [])).toEqual([]);
  });

  test('memory: facts are idempotent by ID and text, recalled by shared words, deletable', async () => {
    const memory = new Memory(sql);
    const a = await memory.add('me', 'Prefers meetings after 10:00', { id: 'f1', source: 'task:t1' });
    expect(await memory.add('me', 'something else', { id: 'f1' })).toEqual(a);
    expect((await memory.add('me', 'Prefers meetings after 10:00')).id).toBe('f1');
    await memory.add('me', 'Daughter is called Mia');
    expect((await memory.recall('me', 'when are meetings ok?')).map((f) => f.id)).toEqual(['f1']);
    expect(await memory.recall('me', '')).toHaveLength(2);
    await expect(memory.add('me', '   ')).rejects.toThrow(/empty/);
    expect(await memory.delete('me', 'f1')).toBe(true);
    expect(await memory.delete('me', 'f1')).toBe(false);
    expect((await memory.list('me')).map((f) => f.text)).toEqual(['Daughter is called Mia']);
  });

  test('memory: facts added within one millisecond keep their order; the newest are recalled first', async () => {
    const memory = new Memory(sql);
    const texts = Array.from({ length: 15 }, (_, i) => `fact number ${i}`);
    for (const t of texts) await memory.add('me', t);
    expect((await memory.list('me')).map((f) => f.text)).toEqual(texts);
    expect((await memory.recall('me', '', 3)).map((f) => f.text)).toEqual(texts.slice(-3).reverse());
  });

  test('memory: the same sentence remembered concurrently under different IDs is one fact', async () => {
    const memory = new Memory(sql);
    const added = await Promise.all(Array.from({ length: 10 }, (_, i) => memory.add('me', 'Likes green tea', { id: `g${i}` })));
    expect(new Set(added.map((f) => f.id)).size).toBe(1);
    expect(await memory.list('me')).toHaveLength(1);
  });
});

test('a SQLite file from before approvals kept their provenance gets the column and keeps its approvals', async () => {
  const sql = await openEmptySql('sqlite');
  await sql.exec(`CREATE TABLE approvals (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, task_id TEXT NOT NULL, workflow_id TEXT NOT NULL,
    tool TEXT NOT NULL, args TEXT NOT NULL, preview TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, decided_at TEXT)`);
  await sql.run(`INSERT INTO approvals VALUES ('old', 'me', 't', 'w', 'gmail_send', '{}', '{"kind":"email","summary":"Send"}', 'pending', NULL, ?, ?, NULL)`, [
    new Date().toISOString(),
    new Date().toISOString(),
  ]);
  await migrate(sql);
  const approvals = new Approvals(sql);
  expect(await approvals.get('old')).toMatchObject({ status: 'pending' });
  expect((await approvals.get('old'))!.provenance).toBeUndefined();
  const withProvenance = await approvals.create({ ...approval('new'), provenance: { origin: 'user', sources: [] } });
  expect(withProvenance.provenance).toEqual({ origin: 'user', sources: [] });
  await sql.close();
});
