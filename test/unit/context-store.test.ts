// The context store on a real SQLite file: idempotent puts, FTS5 search that survives any user
// input, sender and thread lookups, distillations.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { readMailboxAll } from '../../src/mail/parse-mail';
import type { Distillation, RawEmail } from '../../src/shared/feed';
import { ContextStore, emailToContextItem, ftsQuery } from '../../src/store/context';
import { type Db, openDb } from '../../src/store/db';
import { mailItemId } from '../../src/shared/ids';

const SAMPLE = path.join(__dirname, '../../samples/inbox.mbox');

let dir: string;
let db: Db;
let store: ContextStore;
let emails: RawEmail[];

beforeAll(async () => {
  emails = await readMailboxAll(SAMPLE);
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-context-'));
  db = openDb(dir);
  store = new ContextStore(db);
  for (const e of emails) store.putEmail('me', e);
});
afterEach(() => db.close());

const ids = (items: { id: string }[]) => items.map((i) => i.id);
const DANA_MESSAGE_ID = '20250930131400.dana.q3budget@acme.example';
const DANA = mailItemId(DANA_MESSAGE_ID);

test('put is idempotent by id: a redelivery changes nothing', () => {
  const item = { id: 'hook-1', source: 'ci', kind: 'webhook' as const, title: 'Deploy finished', body: 'v1', occurredAt: '2025-10-01T10:00:00Z' };
  expect(store.put('me', item)).toEqual({ inserted: true });
  expect(store.put('me', { ...item, title: 'changed', body: 'v2' })).toEqual({ inserted: false });
  expect(store.get('me', 'hook-1')).toMatchObject({ title: 'Deploy finished', body: 'v1', kind: 'webhook', userId: 'me', data: {} });
  expect(store.search('me', 'changed')).toEqual([]);
  expect(store.putEmail('me', emails[0]!)).toEqual({ inserted: false });
  expect(store.get('me', 'missing')).toBeUndefined();
});

test('an email comes back whole by id, with dates stored as UTC', () => {
  const dana = emails.find((e) => e.id === DANA_MESSAGE_ID)!;
  expect(store.getEmail('me', DANA)).toEqual(dana);
  const item = store.get('me', DANA)!;
  expect(item).toMatchObject({ kind: 'email', source: 'mbox', sender: 'Dana Whitfield <dana@acme.example>', senderAddress: 'dana@acme.example', occurredAt: '2025-09-30T13:14:00.000Z' });
  expect(store.getEmail('me', 'hook-1')).toBeUndefined();
});

test('search finds mail by subject, body and sender name, best match first, per user', () => {
  expect(ids(store.search('me', 'budget'))[0]).toBe(DANA);
  expect(ids(store.search('me', 'Whitfield'))).toEqual([DANA]);
  expect(ids(store.search('me', 'postgres volume'))).toEqual(['mail:marcus-dbdisk-0930@acme.example']);
  expect(store.search('me', 'Chloe')[0]?.id).toBe('mail:maya-0930-dinner@mail.example.org'); // diacritics folded
  expect(store.search('someone-else', 'budget')).toEqual([]);
  const hit = store.search('me', 'contractor hours')[0]!;
  expect(hit.snippet).toMatch(/contractor hours/);
});

test('search input with quotes and FTS operators is treated as words, never as syntax', () => {
  const nasty = ['"budget', 'budget AND', 'NEAR(budget q3', '*', '-dana', 'title:budget', 'budget OR "', '") OR 1=1 --', '^budget', 'budget*', '{title}: x', ''];
  for (const q of nasty) expect(() => store.search('me', q)).not.toThrow();
  expect(ids(store.search('me', '"budget'))).toContain(DANA);
  expect(ids(store.search('me', 'title:budget'))).toEqual([]); // the phrase "title budget" is not in any mail
  expect(store.search('me', '*')).toEqual([]);
  expect(store.search('me', '')).toEqual([]);
  expect(ftsQuery('say "hi" NEAR(x')).toBe('"say" """hi""" "NEAR(x"');
});

test('search can match any word, and filter by sender address or domain and by kind', () => {
  expect(store.search('me', 'budget lunch')).toEqual([]);
  expect(ids(store.search('me', 'budget dinner', { match: 'any' })).sort()).toEqual([DANA, 'mail:maya-0930-dinner@mail.example.org'].sort());
  expect(ids(store.search('me', 'Q3', { sender: 'dana@acme.example' }))).toEqual([DANA]);
  const acme = ids(store.search('me', 'Q4 Thursday budget', { match: 'any', sender: '@acme.example' }));
  expect(acme.length).toBeGreaterThan(0);
  for (const id of acme) expect(store.get('me', id)!.senderAddress).toMatch(/@acme\.example$/);
  expect(store.search('me', 'budget', { kind: 'webhook' })).toEqual([]);
  expect(store.search('me', 'budget', { sender: '@cme.example' })).toEqual([]);
});

test('recent, bySender and inThread', () => {
  store.put('me', { id: 'evt-1', source: 'googlecalendar', kind: 'event', title: 'Q4 planning kickoff', sender: 'leo@acme.example', occurredAt: '2025-10-06T14:00:00Z', data: { start: '2025-10-06T14:00:00Z' } });
  expect(ids(store.recent('me', { limit: 2 }))).toEqual(['evt-1', 'mail:linkup-connect-7731@linkup.example']);
  expect(ids(store.recent('me', { kind: 'event' }))).toEqual(['evt-1']);
  expect(store.get('me', 'evt-1')).toMatchObject({ senderAddress: 'leo@acme.example', data: { start: '2025-10-06T14:00:00Z' } });
  expect(ids(store.bySender('me', 'DANA@acme.example'))).toEqual([DANA]);
  expect(ids(store.bySender('me', '@acme.example', 3))).toEqual(['evt-1', 'mail:invite-q4-kickoff-1006@calendar.acme.example', 'mail:20250930150210.priya.designreview@acme.example']);

  store.putEmail('me', { ...emails.find((e) => e.id === DANA_MESSAGE_ID)!, id: 'reply-1@acme.example', subject: 'Re: Q3 budget numbers', date: '2025-10-01T09:00:00-04:00', threadId: DANA_MESSAGE_ID });
  expect(ids(store.inThread('me', DANA_MESSAGE_ID))).toEqual([DANA, 'mail:reply-1@acme.example']);
});

test('saveDistillation stores a validated distillation and persists across a reopen', () => {
  const d: Distillation = { priority: 'high', category: 'action', summary: 'Dana needs Q3 numbers by Friday 5pm', actionItems: ['Send Q3 numbers'], deadline: '2025-10-03T21:00:00.000Z', reason: 'VIP' };
  expect(store.saveDistillation('me', DANA, d)).toBe(true);
  expect(store.saveDistillation('me', 'missing', d)).toBe(false);
  expect(() => store.saveDistillation('me', DANA, { ...d, priority: 'critical' } as unknown as Distillation)).toThrow();
  db.close();
  db = openDb(dir);
  store = new ContextStore(db);
  expect(store.get('me', DANA)!.distillation).toEqual(d);
  // Saving a distillation does not disturb the search index.
  expect(ids(store.search('me', 'budget'))[0]).toBe(DANA);
});

test('countBySource counts one user’s items from the given sources only', () => {
  // beforeEach stored the sample mbox for 'me'.
  store.put('me', { id: 'hook-2', source: 'ci', kind: 'webhook', title: 'Build failed', occurredAt: '2025-10-01T10:00:00Z' });
  store.put('other', { ...emailToContextItem(emails[0]!), id: 'other-copy' });
  expect(store.countBySource('me', ['mbox', 'maildir'])).toBe(emails.length);
  expect(store.countBySource('me', ['ci'])).toBe(1);
  expect(store.countBySource('other', ['mbox'])).toBe(1);
  expect(store.countBySource('me', ['imap'])).toBe(0);
  expect(store.countBySource('me', [])).toBe(0);
});

test('IDs are unique per user: the same mail for two users is two items, each with its own distillation', () => {
  const dana = emails.find((e) => e.id === DANA_MESSAGE_ID)!;
  expect(store.putEmail('other', dana)).toEqual({ inserted: true });
  expect(store.putEmail('other', dana)).toEqual({ inserted: false });
  const d: Distillation = { priority: 'urgent', category: 'action', summary: 'for other', actionItems: [], reason: 'test' };
  expect(store.saveDistillation('other', DANA, d)).toBe(true);
  expect(store.get('other', DANA)).toMatchObject({ userId: 'other', distillation: d });
  expect(store.get('me', DANA)).toMatchObject({ userId: 'me' });
  expect(store.get('me', DANA)!.distillation).toBeUndefined();
  expect(store.get('nobody', DANA)).toBeUndefined();
  expect(ids(store.search('other', 'Whitfield'))).toEqual([DANA]);
});

test('a file from before per-user IDs is migrated: mail moves to mail:<id>, search still works, other users may reuse IDs', () => {
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

  const migrated = openDb(oldDir);
  try {
    const s = new ContextStore(migrated);
    expect(s.get('me', 'mail:abc@mail.example')).toMatchObject({ kind: 'email', title: 'Quarterly budget' });
    expect(s.get('me', 'abc@mail.example')).toBeUndefined();
    expect(s.get('me', 'webhook:ci:build-1')).toMatchObject({ kind: 'webhook' });
    expect(ids(s.search('me', 'budget'))).toEqual(['mail:abc@mail.example']);
    expect(ids(s.search('me', 'migrate'))).toEqual(['webhook:ci:build-1']);
    // The new constraint is in place, and the index follows new rows.
    expect(s.put('you', { id: 'webhook:ci:build-1', source: 'webhook:ci', kind: 'webhook', title: 'Deploy failed again', occurredAt: '2025-10-02T10:00:00Z' })).toEqual({ inserted: true });
    expect(ids(s.search('you', 'again'))).toEqual(['webhook:ci:build-1']);
    expect(ids(s.search('me', 'again'))).toEqual([]);
    // Opening it again leaves it as it is.
    expect(new ContextStore(migrated).get('me', 'mail:abc@mail.example')).toBeDefined();
  } finally {
    migrated.close();
  }
});
