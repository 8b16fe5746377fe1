// The context store on both engines (a real SQLite file, a real Postgres database): idempotent
// puts, full-text search that survives any user input, sender and thread lookups, distillations.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { readMailboxAll } from '../../src/mail/parse-mail';
import type { Distillation, RawEmail } from '../../src/shared/feed';
import { ContextStore, emailToContextItem, ftsQuery } from '../../src/store/context';
import { mailItemId } from '../../src/shared/ids';
import type { PostgresSql } from '../../src/store/postgres';
import { openPostgres } from '../../src/store/postgres';
import { migrate } from '../../src/store/schema';
import type { Sql } from '../../src/store/sql';
import { openSqlite, type SqliteSql } from '../../src/store/sqlite';
import { ENGINES, openTestSql } from '../helpers/test-sql';

const SAMPLE = path.join(__dirname, '../../samples/inbox.mbox');
const ids = (items: { id: string }[]) => items.map((i) => i.id);
const DANA_MESSAGE_ID = '20250930131400.dana.q3budget@acme.example';
const DANA = mailItemId(DANA_MESSAGE_ID);

let emails: RawEmail[];
beforeAll(async () => {
  emails = await readMailboxAll(SAMPLE);
});

/** A second connection to the same database, as a restarted process would open it. */
async function reopen(sql: Sql): Promise<Sql> {
  const again =
    sql.engine === 'postgres'
      ? openPostgres((sql as PostgresSql).pool.options.connectionString!)
      : openSqlite(path.dirname((sql as SqliteSql).db.name), { fileName: path.basename((sql as SqliteSql).db.name) });
  await migrate(again);
  return again;
}

test('ftsQuery quotes every word', () => {
  expect(ftsQuery('say "hi" NEAR(x')).toBe('"say" """hi""" "NEAR(x"');
  expect(ftsQuery('budget dinner', 'any')).toBe('"budget" OR "dinner"');
  expect(ftsQuery('* - <->')).toBeUndefined();
});

describe.each(ENGINES)('%s', (engine) => {
  let sql: Sql;
  let store: ContextStore;

  beforeEach(async () => {
    sql = await openTestSql(engine);
    store = new ContextStore(sql);
    for (const e of emails) await store.putEmail('me', e);
  });
  afterEach(() => sql.close());

  test('put is idempotent by id: a redelivery changes nothing', async () => {
    const item = { id: 'hook-1', source: 'ci', kind: 'webhook' as const, title: 'Deploy finished', body: 'v1', occurredAt: '2025-10-01T10:00:00Z' };
    expect(await store.put('me', item)).toEqual({ inserted: true });
    expect(await store.put('me', { ...item, title: 'changed', body: 'v2' })).toEqual({ inserted: false });
    expect(await store.get('me', 'hook-1')).toMatchObject({ title: 'Deploy finished', body: 'v1', kind: 'webhook', userId: 'me', data: {} });
    expect(await store.search('me', 'changed')).toEqual([]);
    expect(await store.putEmail('me', emails[0]!)).toEqual({ inserted: false });
    expect(await store.get('me', 'missing')).toBeUndefined();
  });

  test('two concurrent puts of one id: exactly one inserts', async () => {
    const item = { id: 'hook-race', source: 'ci', kind: 'webhook' as const, title: 'Race', occurredAt: '2025-10-01T10:00:00Z' };
    const results = await Promise.all(Array.from({ length: 8 }, () => store.put('me', item)));
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(ids(await store.search('me', 'Race'))).toEqual(['hook-race']);
  });

  test('an email comes back whole by id, with dates stored as UTC', async () => {
    const dana = emails.find((e) => e.id === DANA_MESSAGE_ID)!;
    expect(await store.getEmail('me', DANA)).toEqual(dana);
    const item = (await store.get('me', DANA))!;
    expect(item).toMatchObject({ kind: 'email', source: 'mbox', sender: 'Dana Whitfield <dana@acme.example>', senderAddress: 'dana@acme.example', occurredAt: '2025-09-30T13:14:00.000Z' });
    expect(await store.getEmail('me', 'hook-1')).toBeUndefined();
  });

  test('search finds mail by subject, body and sender name, best match first, per user', async () => {
    expect(ids(await store.search('me', 'budget'))[0]).toBe(DANA);
    expect(ids(await store.search('me', 'Whitfield'))).toEqual([DANA]);
    expect(ids(await store.search('me', 'postgres volume'))).toEqual(['mail:marcus-dbdisk-0930@acme.example']);
    expect((await store.search('me', 'Chloe'))[0]?.id).toBe('mail:maya-0930-dinner@mail.example.org'); // diacritics folded
    expect(await store.search('someone-else', 'budget')).toEqual([]);
    const hit = (await store.search('me', 'contractor hours'))[0]!;
    expect(hit.snippet).toMatch(/contractor hours/);
    expect(hit.snippet.length).toBeLessThan(hit.body.length);
  });

  test('search is case-insensitive and ranks a title match over a body match', async () => {
    await store.put('me', { id: 'n-body', source: 'notes', kind: 'note', title: 'Groceries', body: 'buy zephyrine and milk', occurredAt: '2025-10-05T10:00:00Z' });
    await store.put('me', { id: 'n-title', source: 'notes', kind: 'note', title: 'Zephyrine plan', body: 'nothing else', occurredAt: '2025-10-01T10:00:00Z' });
    expect(ids(await store.search('me', 'ZEPHYRINE'))).toEqual(['n-title', 'n-body']);
    // Same rank: the newer first.
    await store.put('me', { id: 'n-title-new', source: 'notes', kind: 'note', title: 'Zephyrine plan', body: 'nothing else', occurredAt: '2025-10-02T10:00:00Z' });
    expect(ids(await store.search('me', 'zephyrine')).slice(0, 2)).toEqual(['n-title-new', 'n-title']);
    expect(ids(await store.search('me', 'zephyrine', { limit: 1 }))).toEqual(['n-title-new']);
  });

  test('search input with quotes and FTS or tsquery operators is treated as words, never as syntax', async () => {
    const nasty = [
      '"budget', 'budget AND', 'NEAR(budget q3', '*', '-dana', 'title:budget', 'budget OR "', '") OR 1=1 --', '^budget', 'budget*', '{title}: x', '',
      'budget & dana', 'budget | lunch', '!budget', 'budget <-> dana', '<->', 'budget:*', "budget'", "'budget' & !'dana'", '\\', 'a:b:c', '(budget', 'budget <2> q3',
    ];
    for (const q of nasty) {
      // An engine syntax error would reject; better-sqlite3's arrays come from another realm, hence isArray.
      expect(Array.isArray(await store.search('me', q))).toBe(true);
      expect(Array.isArray(await store.search('me', q, { match: 'any' }))).toBe(true);
    }
    expect(ids(await store.search('me', '"budget'))).toContain(DANA);
    expect(ids(await store.search('me', '!budget'))).toContain(DANA);
    expect(ids(await store.search('me', 'budget:*'))).toContain(DANA);
    expect(ids(await store.search('me', 'title:budget'))).toEqual([]); // the phrase "title budget" is not in any mail
    // `-` and `!` do not negate, `|` does not widen: all words must still be there.
    expect(ids(await store.search('me', 'budget | lunch'))).toEqual([]);
    expect(await store.search('me', '*')).toEqual([]);
    expect(await store.search('me', '<->')).toEqual([]);
    expect(await store.search('me', '')).toEqual([]);
  });

  test('search can match any word, and filter by sender address or domain and by kind', async () => {
    expect(await store.search('me', 'budget lunch')).toEqual([]);
    expect(ids(await store.search('me', 'budget dinner', { match: 'any' })).sort()).toEqual([DANA, 'mail:maya-0930-dinner@mail.example.org'].sort());
    expect(ids(await store.search('me', 'Q3', { sender: 'dana@acme.example' }))).toEqual([DANA]);
    expect(ids(await store.search('me', 'Q3', { sender: 'DANA@ACME.example' }))).toEqual([DANA]);
    const acme = ids(await store.search('me', 'Q4 Thursday budget', { match: 'any', sender: '@acme.example' }));
    expect(acme.length).toBeGreaterThan(0);
    for (const id of acme) expect((await store.get('me', id))!.senderAddress).toMatch(/@acme\.example$/);
    expect(ids(await store.search('me', 'Q4 Thursday budget', { match: 'any', sender: '@ACME.example' })).sort()).toEqual([...acme].sort());
    expect(await store.search('me', 'budget', { kind: 'webhook' })).toEqual([]);
    expect(ids(await store.search('me', 'budget', { kind: 'email' }))).toContain(DANA);
    expect(await store.search('me', 'budget', { sender: '@cme.example' })).toEqual([]);
    // LIKE wildcards in a domain are literal.
    expect(await store.search('me', 'budget', { sender: '@%' })).toEqual([]);
    expect(await store.search('me', 'budget', { sender: '@acme_example' })).toEqual([]);
  });

  test('a deleted item leaves the search index', async () => {
    expect(ids(await store.search('me', 'Whitfield'))).toEqual([DANA]);
    await sql.run('DELETE FROM context_items WHERE user_id = ? AND id = ?', ['me', DANA]);
    expect(await store.search('me', 'Whitfield')).toEqual([]);
    expect(await store.get('me', DANA)).toBeUndefined();
  });

  test('recent, bySender and inThread', async () => {
    await store.put('me', { id: 'evt-1', source: 'googlecalendar', kind: 'event', title: 'Q4 planning kickoff', sender: 'leo@acme.example', occurredAt: '2025-10-06T14:00:00Z', data: { start: '2025-10-06T14:00:00Z' } });
    expect(ids(await store.recent('me', { limit: 2 }))).toEqual(['evt-1', 'mail:linkup-connect-7731@linkup.example']);
    expect(ids(await store.recent('me', { kind: 'event' }))).toEqual(['evt-1']);
    expect(await store.get('me', 'evt-1')).toMatchObject({ senderAddress: 'leo@acme.example', data: { start: '2025-10-06T14:00:00Z' } });
    expect(ids(await store.bySender('me', 'DANA@acme.example'))).toEqual([DANA]);
    expect(ids(await store.bySender('me', '@acme.example', 3))).toEqual(['evt-1', 'mail:invite-q4-kickoff-1006@calendar.acme.example', 'mail:20250930150210.priya.designreview@acme.example']);
    expect(ids(await store.bySender('me', '@ACME.EXAMPLE', 1))).toEqual(['evt-1']);

    await store.putEmail('me', { ...emails.find((e) => e.id === DANA_MESSAGE_ID)!, id: 'reply-1@acme.example', subject: 'Re: Q3 budget numbers', date: '2025-10-01T09:00:00-04:00', threadId: DANA_MESSAGE_ID });
    expect(ids(await store.inThread('me', DANA_MESSAGE_ID))).toEqual([DANA, 'mail:reply-1@acme.example']);
    expect(ids(await store.inThread('me', DANA_MESSAGE_ID, 1))).toEqual(['mail:reply-1@acme.example']);
    expect(await store.inThread('other', DANA_MESSAGE_ID)).toEqual([]);
  });

  test('saveDistillation stores a validated distillation and persists across a reopen', async () => {
    const d: Distillation = { priority: 'high', category: 'action', summary: 'Dana needs Q3 numbers by Friday 5pm', actionItems: ['Send Q3 numbers'], deadline: '2025-10-03T21:00:00.000Z', reason: 'VIP' };
    expect(await store.saveDistillation('me', DANA, d)).toBe(true);
    expect(await store.saveDistillation('me', 'missing', d)).toBe(false);
    await expect(store.saveDistillation('me', DANA, { ...d, priority: 'critical' } as unknown as Distillation)).rejects.toThrow();
    const again = await reopen(sql);
    try {
      const reopened = new ContextStore(again);
      expect((await reopened.get('me', DANA))!.distillation).toEqual(d);
      // Saving a distillation does not disturb the search index.
      expect(ids(await reopened.search('me', 'budget'))[0]).toBe(DANA);
    } finally {
      await again.close();
    }
  });

  test('countBySource counts one user’s items from the given sources only', async () => {
    // beforeEach stored the sample mbox for 'me'.
    await store.put('me', { id: 'hook-2', source: 'ci', kind: 'webhook', title: 'Build failed', occurredAt: '2025-10-01T10:00:00Z' });
    await store.put('other', { ...emailToContextItem(emails[0]!), id: 'other-copy' });
    expect(await store.countBySource('me', ['mbox', 'maildir'])).toBe(emails.length);
    expect(await store.countBySource('me', ['ci'])).toBe(1);
    expect(await store.countBySource('other', ['mbox'])).toBe(1);
    expect(await store.countBySource('me', ['imap'])).toBe(0);
    expect(await store.countBySource('me', [])).toBe(0);
  });

  test('IDs are unique per user: the same mail for two users is two items, each with its own distillation', async () => {
    const dana = emails.find((e) => e.id === DANA_MESSAGE_ID)!;
    expect(await store.putEmail('other', dana)).toEqual({ inserted: true });
    expect(await store.putEmail('other', dana)).toEqual({ inserted: false });
    const d: Distillation = { priority: 'urgent', category: 'action', summary: 'for other', actionItems: [], reason: 'test' };
    expect(await store.saveDistillation('other', DANA, d)).toBe(true);
    expect(await store.get('other', DANA)).toMatchObject({ userId: 'other', distillation: d });
    expect(await store.get('me', DANA)).toMatchObject({ userId: 'me' });
    expect((await store.get('me', DANA))!.distillation).toBeUndefined();
    expect(await store.get('nobody', DANA)).toBeUndefined();
    expect(ids(await store.search('other', 'Whitfield'))).toEqual([DANA]);
    // Search, sender and thread lookups never cross users.
    await sql.run('DELETE FROM context_items WHERE user_id = ?', ['other']);
    await store.put('other', { id: 'o-1', source: 'notes', kind: 'note', title: 'Whitfield secret', sender: 'dana@acme.example', threadId: DANA_MESSAGE_ID, occurredAt: '2025-10-09T10:00:00Z' });
    expect(ids(await store.search('me', 'secret'))).toEqual([]);
    expect(ids(await store.search('me', 'Whitfield', { match: 'any' }))).toEqual([DANA]);
    expect(ids(await store.bySender('me', 'dana@acme.example'))).toEqual([DANA]);
    expect(ids(await store.inThread('me', DANA_MESSAGE_ID))).not.toContain('o-1');
    expect(ids(await store.search('other', 'Whitfield'))).toEqual(['o-1']);
  });
});

test('a SQLite file from before per-user IDs is migrated: mail moves to mail:<id>, search still works, other users may reuse IDs', async () => {
  const oldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-context-old-'));
  const old = new Database(path.join(oldDir, 'paprika.db'));
  // The schema as it was: `id` unique across all users, mail under its bare Message-ID.
  old.exec(`
    CREATE TABLE context_items (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL,
      title TEXT NOT NULL, sender TEXT NOT NULL, sender_address TEXT NOT NULL, thread_id TEXT, body TEXT NOT NULL, data TEXT NOT NULL,
      distillation TEXT, created_at TEXT NOT NULL, occurred_at TEXT NOT NULL);
    CREATE VIRTUAL TABLE context_fts USING fts5(title, sender, body, content='context_items', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
    CREATE TRIGGER context_items_fts_insert AFTER INSERT ON context_items BEGIN
      INSERT INTO context_fts(rowid, title, sender, body) VALUES (new.seq, new.title, new.sender, new.body);
    END;
  `);
  const insert = old.prepare(`INSERT INTO context_items (id, user_id, source, kind, title, sender, sender_address, body, data, created_at, occurred_at)
    VALUES (?, 'me', ?, ?, ?, '', '', ?, '{}', '2025-10-01T10:00:00.000Z', '2025-10-01T10:00:00.000Z')`);
  insert.run('abc@mail.example', 'gmail', 'email', 'Quarterly budget', 'numbers inside');
  insert.run('webhook:ci:build-1', 'webhook:ci', 'webhook', 'Deploy failed', 'migrate exited');
  old.close();

  const migrated = openSqlite(oldDir);
  try {
    await migrate(migrated);
    const s = new ContextStore(migrated);
    expect(await s.get('me', 'mail:abc@mail.example')).toMatchObject({ kind: 'email', title: 'Quarterly budget' });
    expect(await s.get('me', 'abc@mail.example')).toBeUndefined();
    expect(await s.get('me', 'webhook:ci:build-1')).toMatchObject({ kind: 'webhook' });
    expect(ids(await s.search('me', 'budget'))).toEqual(['mail:abc@mail.example']);
    expect(ids(await s.search('me', 'migrate'))).toEqual(['webhook:ci:build-1']);
    // The new constraint is in place, and the index follows new rows.
    expect(await s.put('you', { id: 'webhook:ci:build-1', source: 'webhook:ci', kind: 'webhook', title: 'Deploy failed again', occurredAt: '2025-10-02T10:00:00Z' })).toEqual({ inserted: true });
    expect(ids(await s.search('you', 'again'))).toEqual(['webhook:ci:build-1']);
    expect(ids(await s.search('me', 'again'))).toEqual([]);
    // Migrating it again leaves it as it is.
    await migrate(migrated);
    expect(await new ContextStore(migrated).get('me', 'mail:abc@mail.example')).toBeDefined();
    expect(ids(await s.search('me', 'budget'))).toEqual(['mail:abc@mail.example']);
  } finally {
    await migrated.close();
  }
});
