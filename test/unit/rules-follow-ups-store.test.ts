// Feedback rules, follow-up bookkeeping and the feeds' cursors and status, on both engines.
import { FollowUps } from '../../src/store/follow-ups';
import { GmailCursorStore } from '../../src/store/gmail-cursor';
import { ImapCursorStore } from '../../src/store/imap-cursor';
import { Rules } from '../../src/store/rules';
import { SourceStatusStore } from '../../src/store/source-status';
import type { Sql } from '../../src/store/sql';
import { ENGINES, openTestSql } from '../helpers/test-sql';

describe.each(ENGINES)('%s', (engine) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = await openTestSql(engine);
  });
  afterEach(() => sql.close());

  test('a rule per scope and value: answering again changes its effect, keeps its id, and moves it to the top', async () => {
    const rules = new Rules(sql);
    const first = await rules.upsert('me', { scope: 'sender', value: ' Dana@ACME.example ', effect: 'never_notify', note: 'noisy' }, 'n-1');
    expect(first).toMatchObject({ scope: 'sender', value: 'dana@acme.example', effect: 'never_notify', notificationId: 'n-1', note: 'noisy' });
    await rules.upsert('me', { scope: 'domain', value: 'news.example', effect: 'never_notify' });
    expect((await rules.list('me')).map((r) => r.value)).toEqual(['news.example', 'dana@acme.example']);

    // No notification and no note this time: the earlier ones stay. (Both rules made "earlier", so
    // the answer's newer time, not the insertion order, must put it on top.)
    await sql.run('UPDATE feedback_rules SET updated_at = ?', ['2025-10-01T10:00:00.000Z']);
    const again = await rules.upsert('me', { scope: 'sender', value: 'dana@acme.example', effect: 'always_notify' });
    expect(again).toMatchObject({ id: first.id, effect: 'always_notify', notificationId: 'n-1', note: 'noisy', createdAt: first.createdAt });
    expect((await rules.list('me')).map((r) => r.value)).toEqual(['dana@acme.example', 'news.example']);
    expect(await rules.list('other')).toEqual([]);
    expect(await rules.get('other', first.id)).toBeUndefined();
    await expect(rules.upsert('me', { scope: 'sender', value: 'not an address', effect: 'never_notify' })).rejects.toThrow();
  });

  test('rules made in the same millisecond list newest first', async () => {
    const rules = new Rules(sql);
    for (const v of ['a.example', 'b.example', 'c.example']) await rules.upsert('me', { scope: 'domain', value: v, effect: 'never_notify' });
    await sql.run('UPDATE feedback_rules SET updated_at = ?', ['2025-10-01T10:00:00.000Z']);
    expect((await rules.list('me')).map((r) => r.value)).toEqual(['c.example', 'b.example', 'a.example']);
    expect((await rules.list('me', 1)).map((r) => r.value)).toEqual(['c.example']);
  });

  test('update and delete touch only the user’s own rule; a clash with another rule is refused', async () => {
    const rules = new Rules(sql);
    const r = await rules.upsert('me', { scope: 'keyword', value: 'Webinar', effect: 'never_notify' });
    const other = await rules.upsert('me', { scope: 'keyword', value: 'sale', effect: 'never_notify' });
    expect(await rules.update('other', r.id, { scope: 'keyword', value: 'x', effect: 'always_notify' })).toBeUndefined();
    expect(await rules.update('me', r.id, { scope: 'keyword', value: 'webinars', effect: 'always_notify' })).toMatchObject({ id: r.id, value: 'webinars', effect: 'always_notify' });
    // The API answers 409 on these codes. (better-sqlite3's errors may come from another jest realm, so the code, not instanceof.)
    const clash = await rules.update('me', other.id, { scope: 'keyword', value: 'webinars', effect: 'always_notify' }).then(
      () => 'no error',
      (err: { code?: string }) => err.code,
    );
    expect(clash).toBe(engine === 'sqlite' ? 'SQLITE_CONSTRAINT_UNIQUE' : '23505');
    expect(await rules.get('me', other.id)).toMatchObject({ value: 'sale' });
    expect(await rules.delete('other', r.id)).toBe(false);
    expect(await rules.delete('me', r.id)).toBe(true);
    expect(await rules.delete('me', r.id)).toBe(false);
    expect((await rules.list('me')).map((x) => x.value)).toEqual(['sale']);
  });

  test('concurrent answers about one sender leave one rule', async () => {
    const rules = new Rules(sql);
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) => rules.upsert('me', { scope: 'sender', value: 'dana@acme.example', effect: i % 2 ? 'always_notify' : 'never_notify' })),
    );
    expect(new Set(made.map((r) => r.id)).size).toBe(1);
    expect(await rules.list('me')).toHaveLength(1);
  });

  test('follow-ups: the last mail sent in a thread wins, and watchers are found by thread until they end', async () => {
    const f = new FollowUps(sql);
    expect(await f.latestSent('me')).toBeUndefined();
    await f.recordSent('me', { threadId: 't1', recipients: ['a@x.example'], subject: 'Offsite', body: 'Friday?' });
    await f.recordSent('me', { threadId: 't2', recipients: ['b@x.example'], subject: 'Lunch', body: 'Noon?' });
    // Both sent "earlier": the new mail's time, not the order of the rows, must make t1 the latest.
    await sql.run('UPDATE sent_mail SET sent_at = ?', ['2025-10-01T09:00:00.000Z']);
    await f.recordSent('me', { threadId: 't1', recipients: ['a@x.example', 'c@x.example'], subject: 'Re: Offsite', body: 'Or Monday?' });
    expect(await f.sent('me', 't1')).toMatchObject({ threadId: 't1', recipients: ['a@x.example', 'c@x.example'], subject: 'Re: Offsite', body: 'Or Monday?' });
    expect((await f.latestSent('me'))?.threadId).toBe('t1');
    expect(await f.sent('other', 't1')).toBeUndefined();
    expect(await f.latestSent('other')).toBeUndefined();
    // Same sent_at: the thread first recorded later wins.
    await sql.run('UPDATE sent_mail SET sent_at = ?', ['2025-10-01T10:00:00.000Z']);
    expect((await f.latestSent('me'))?.threadId).toBe('t2');

    await f.watch({ workflowId: 'fu-1', userId: 'me', threadId: 't1', taskId: 'task-1' });
    await f.watch({ workflowId: 'fu-2', userId: 'me', threadId: 't1', taskId: 'task-2' });
    expect((await f.watching('me', 't1')).sort()).toEqual(['fu-1', 'fu-2']);
    expect(await f.watching('other', 't1')).toEqual([]);
    await f.ended('fu-1');
    expect(await f.watching('me', 't1')).toEqual(['fu-2']);
    // Watching again (a restarted follow-up) makes it running again.
    await f.watch({ workflowId: 'fu-1', userId: 'me', threadId: 't1', taskId: 'task-1' });
    expect((await f.watching('me', 't1')).sort()).toEqual(['fu-1', 'fu-2']);
  });

  test('the Gmail cursor only moves forward, also for millisecond times past 2^31', async () => {
    const c = new GmailCursorStore(sql);
    expect(await c.get('me')).toBeUndefined();
    const t = Date.parse('2025-10-01T10:00:00Z');
    await c.advance('me', t + 0.7);
    expect(await c.get('me')).toBe(t);
    await c.advance('me', t - 60_000);
    expect(await c.get('me')).toBe(t);
    await Promise.all([c.advance('me', t + 2000), c.advance('me', t + 1000)]);
    expect(await c.get('me')).toBe(t + 2000);
    expect(await c.get('other')).toBeUndefined();
  });

  test('the IMAP cursor keeps the last UID under its UIDVALIDITY, up to 2^32 - 1', async () => {
    const c = new ImapCursorStore(sql);
    expect(await c.get('me@host/INBOX')).toBeUndefined();
    await c.set('me@host/INBOX', { uidValidity: '1700000000', lastUid: 42 });
    await c.set('me@host/INBOX', { uidValidity: '1700000001', lastUid: 4_294_967_295 });
    expect(await c.get('me@host/INBOX')).toEqual({ uidValidity: '1700000001', lastUid: 4_294_967_295 });
    expect(await c.get('me@host/Archive')).toBeUndefined();
  });

  test('source status: the last word per source, as a boolean, with a bounded detail', async () => {
    const s = new SourceStatusStore(sql);
    expect(await s.get('imap')).toBeUndefined();
    await s.set('imap', false, 'login failed');
    expect(await s.get('imap')).toMatchObject({ name: 'imap', healthy: false, detail: 'login failed' });
    await s.set('imap', true, 'x'.repeat(5000));
    const now = (await s.get('imap'))!;
    expect(now.healthy).toBe(true);
    expect(now.detail).toHaveLength(1000);
    expect(Number.isNaN(Date.parse(now.updatedAt))).toBe(false);
  });
});
