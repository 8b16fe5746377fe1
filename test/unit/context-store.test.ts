// The context store on a real SQLite file: idempotent puts, FTS5 search that survives any user
// input, sender and thread lookups, distillations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readMailboxAll } from '../../src/mail/parse-mail';
import type { Distillation, RawEmail } from '../../src/shared/feed';
import { ContextStore, emailToContextItem, ftsQuery } from '../../src/store/context';
import { type Db, openDb } from '../../src/store/db';

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
const DANA = '20250930131400.dana.q3budget@acme.example';

test('put is idempotent by id: a redelivery changes nothing', () => {
  const item = { id: 'hook-1', source: 'ci', kind: 'webhook' as const, title: 'Deploy finished', body: 'v1', occurredAt: '2025-10-01T10:00:00Z' };
  expect(store.put('me', item)).toEqual({ inserted: true });
  expect(store.put('me', { ...item, title: 'changed', body: 'v2' })).toEqual({ inserted: false });
  expect(store.get('hook-1')).toMatchObject({ title: 'Deploy finished', body: 'v1', kind: 'webhook', userId: 'me', data: {} });
  expect(store.search('me', 'changed')).toEqual([]);
  expect(store.putEmail('me', emails[0]!)).toEqual({ inserted: false });
  expect(store.get('missing')).toBeUndefined();
});

test('an email comes back whole by id, with dates stored as UTC', () => {
  const dana = emails.find((e) => e.id === DANA)!;
  expect(store.getEmail(DANA)).toEqual(dana);
  const item = store.get(DANA)!;
  expect(item).toMatchObject({ kind: 'email', source: 'mbox', sender: 'Dana Whitfield <dana@acme.example>', senderAddress: 'dana@acme.example', occurredAt: '2025-09-30T13:14:00.000Z' });
  expect(store.getEmail('hook-1')).toBeUndefined();
});

test('search finds mail by subject, body and sender name, best match first, per user', () => {
  expect(ids(store.search('me', 'budget'))[0]).toBe(DANA);
  expect(ids(store.search('me', 'Whitfield'))).toEqual([DANA]);
  expect(ids(store.search('me', 'postgres volume'))).toEqual(['marcus-dbdisk-0930@acme.example']);
  expect(store.search('me', 'Chloe')[0]?.id).toBe('maya-0930-dinner@mail.example.org'); // diacritics folded
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
  expect(ids(store.search('me', 'budget dinner', { match: 'any' })).sort()).toEqual([DANA, 'maya-0930-dinner@mail.example.org'].sort());
  expect(ids(store.search('me', 'Q3', { sender: 'dana@acme.example' }))).toEqual([DANA]);
  const acme = ids(store.search('me', 'Q4 Thursday budget', { match: 'any', sender: '@acme.example' }));
  expect(acme.length).toBeGreaterThan(0);
  for (const id of acme) expect(store.get(id)!.senderAddress).toMatch(/@acme\.example$/);
  expect(store.search('me', 'budget', { kind: 'webhook' })).toEqual([]);
  expect(store.search('me', 'budget', { sender: '@cme.example' })).toEqual([]);
});

test('recent, bySender and inThread', () => {
  store.put('me', { id: 'evt-1', source: 'googlecalendar', kind: 'event', title: 'Q4 planning kickoff', sender: 'leo@acme.example', occurredAt: '2025-10-06T14:00:00Z', data: { start: '2025-10-06T14:00:00Z' } });
  expect(ids(store.recent('me', { limit: 2 }))).toEqual(['evt-1', 'linkup-connect-7731@linkup.example']);
  expect(ids(store.recent('me', { kind: 'event' }))).toEqual(['evt-1']);
  expect(store.get('evt-1')).toMatchObject({ senderAddress: 'leo@acme.example', data: { start: '2025-10-06T14:00:00Z' } });
  expect(ids(store.bySender('me', 'DANA@acme.example'))).toEqual([DANA]);
  expect(ids(store.bySender('me', '@acme.example', 3))).toEqual(['evt-1', 'invite-q4-kickoff-1006@calendar.acme.example', '20250930150210.priya.designreview@acme.example']);

  store.putEmail('me', { ...emails.find((e) => e.id === DANA)!, id: 'reply-1@acme.example', subject: 'Re: Q3 budget numbers', date: '2025-10-01T09:00:00-04:00', threadId: DANA });
  expect(ids(store.inThread('me', DANA))).toEqual([DANA, 'reply-1@acme.example']);
});

test('saveDistillation stores a validated distillation and persists across a reopen', () => {
  const d: Distillation = { priority: 'high', category: 'action', summary: 'Dana needs Q3 numbers by Friday 5pm', actionItems: ['Send Q3 numbers'], deadline: '2025-10-03T21:00:00.000Z', reason: 'VIP' };
  expect(store.saveDistillation(DANA, d)).toBe(true);
  expect(store.saveDistillation('missing', d)).toBe(false);
  expect(() => store.saveDistillation(DANA, { ...d, priority: 'critical' } as unknown as Distillation)).toThrow();
  db.close();
  db = openDb(dir);
  store = new ContextStore(db);
  expect(store.get(DANA)!.distillation).toEqual(d);
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
