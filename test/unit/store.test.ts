// The read model on both engines: idempotent writes, the stream log, ordering, reopen, and what
// concurrent writers (several workers on one Postgres) must not break.
import fs from 'node:fs';
import path from 'node:path';
import type { StreamEvent } from '../../src/shared/types';
import { openStore } from '../../src/store';
import { Notifications } from '../../src/store/notifications';
import { openPostgres, PostgresSql } from '../../src/store/postgres';
import { ProfileStore } from '../../src/store/profile';
import type { Sql } from '../../src/store/sql';
import { openSqlite, SqliteSql } from '../../src/store/sqlite';
import { StreamLog } from '../../src/store/stream';
import { Tasks } from '../../src/store/tasks';
import { Transcript } from '../../src/store/transcript';
import { ENGINES, openTestSql } from '../helpers/test-sql';

/** A second connection to the same database, as another process (the API, a second worker) has. */
function reopen(sql: Sql): Sql {
  if (sql instanceof PostgresSql) return openPostgres(sql.pool.options.connectionString!);
  return openSqlite(path.dirname((sql as SqliteSql).db.name));
}

const modules = (sql: Sql) => {
  const stream = new StreamLog(sql);
  return { stream, transcript: new Transcript(sql, stream), notifications: new Notifications(sql, stream), tasks: new Tasks(sql, stream), profile: new ProfileStore(sql) };
};

describe.each(ENGINES)('%s', (engine) => {
  let sql: Sql;
  let store: ReturnType<typeof modules>;
  const others: Sql[] = [];
  beforeEach(async () => {
    sql = await openTestSql(engine);
    store = modules(sql);
  });
  afterEach(async () => {
    for (const s of others.splice(0)) await s.close();
    await sql.close();
  });
  const another = () => {
    const s = reopen(sql);
    others.push(s);
    return s;
  };

  test('writes are idempotent by ID and appear once in the stream log', async () => {
    await store.transcript.add({ id: 'm1', userId: 'me', role: 'user', text: 'hi' });
    expect(await store.transcript.add({ id: 'm1', userId: 'me', role: 'user', text: 'hi (retry)' })).toMatchObject({ text: 'hi' });
    await store.notifications.add('n1', 'me', { title: 'T', body: '', priority: 'high' });
    await store.notifications.add('n1', 'me', { title: 'T', body: '', priority: 'high' });
    await store.tasks.start({ id: 't1', userId: 'me', tool: 'delegate_task', title: 'Job' });
    await store.tasks.start({ id: 't1', userId: 'me', tool: 'delegate_task', title: 'Job (retry)' });
    await store.tasks.finish('t1', 'completed', 'done');
    await store.tasks.finish('t1', 'failed', 'late retry');
    expect((await store.transcript.list('me')).map((m) => m.text)).toEqual(['hi']);
    expect(await store.notifications.unreadCount('me')).toBe(1);
    expect(await store.tasks.get('t1')).toMatchObject({ title: 'Job', status: 'completed', result: 'done' });
    expect((await store.stream.after('me', 0)).map((e) => e.event.type)).toEqual(['message', 'notification', 'task', 'task']);
  });

  test('the stream log resumes after a sequence number, per user, from another connection', async () => {
    await store.transcript.add({ id: 'a', userId: 'me', role: 'user', text: 'a' });
    const mark = await store.stream.lastSeq('me');
    await store.transcript.add({ id: 'b', userId: 'me', role: 'assistant', text: 'b' });
    await store.transcript.add({ id: 'x', userId: 'other', role: 'user', text: 'x' });
    const reader = new StreamLog(another());
    expect((await reader.after('me', mark)).map((e) => (e.event.data as { text: string }).text)).toEqual(['b']);
    expect(await reader.lastSeq('nobody')).toBe(0);
  });

  test('notifications are marked read per user only', async () => {
    await store.notifications.add('n1', 'me', { title: 'Mine', body: '', priority: 'normal' });
    expect(await store.notifications.markRead('someone-else', 'n1')).toBe(false);
    expect(await store.notifications.markRead('me', 'n1')).toBe(true);
    expect(await store.notifications.list('me', { unreadOnly: true })).toEqual([]);
    expect(await store.notifications.list('me')).toMatchObject([{ id: 'n1', read: true }]);
  });

  test('an ignored notification never counts as unread; mark-all counts what it marked', async () => {
    await store.notifications.add('n1', 'me', { title: 'A', body: '', priority: 'normal', source: 'gmail', ref: 'mail-1' });
    await store.notifications.add('n2', 'me', { title: 'B', body: '', priority: 'ignore' });
    await store.notifications.add('n3', 'other', { title: 'C', body: '', priority: 'high' });
    expect(await store.notifications.unreadCount('me')).toBe(1);
    expect(await store.notifications.get('n1')).toMatchObject({ source: 'gmail', ref: 'mail-1', read: false });
    expect(await store.notifications.get('n2')).not.toHaveProperty('ref');
    expect(await store.notifications.markAllRead('me')).toBe(2);
    expect(await store.notifications.markAllRead('me')).toBe(0);
    expect(await store.notifications.unreadCount('other')).toBe(1);
  });

  test('lists keep insertion order among rows written in the same millisecond', async () => {
    const at = '2030-01-01T00:00:00.000Z';
    for (const id of ['m1', 'm2', 'm3', 'm4']) await store.transcript.add({ id, userId: 'me', role: 'user', text: id, createdAt: at });
    await store.transcript.add({ id: 'm0', userId: 'me', role: 'user', text: 'm0', createdAt: '2029-12-31T00:00:00.000Z' });
    expect((await store.transcript.list('me')).map((m) => m.id)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    // The newest page first, each page oldest first.
    expect((await store.transcript.list('me', { limit: 2 })).map((m) => m.id)).toEqual(['m3', 'm4']);
    expect((await store.transcript.list('me', { before: at })).map((m) => m.id)).toEqual(['m0']);

    for (const id of ['n1', 'n2', 'n3', 'n4']) await store.notifications.add(id, 'me', { title: id, body: '', priority: 'normal' });
    expect((await store.notifications.list('me')).map((n) => n.id)).toEqual(['n4', 'n3', 'n2', 'n1']);
    expect((await store.notifications.list('me', { limit: 2 })).map((n) => n.id)).toEqual(['n4', 'n3']);

    for (const id of ['t1', 't2', 't3']) await store.tasks.start({ id, userId: 'me', tool: 'task_agent', title: id });
    await store.tasks.finish('t2', 'failed', 'no');
    expect((await store.tasks.list('me')).map((t) => t.id)).toEqual(['t3', 't2', 't1']);
    expect((await store.tasks.list('me', { status: 'running' })).map((t) => t.id)).toEqual(['t3', 't1']);
    expect((await store.tasks.list('me', { status: 'failed' }))[0]).toMatchObject({ id: 't2', result: 'no' });
    expect(await store.tasks.list('me', { limit: 1 })).toHaveLength(1);
  });

  test('task progress shows while running and is frozen once finished', async () => {
    await store.tasks.start({ id: 't1', userId: 'me', tool: 'task_agent', title: 'Job', workflowId: 'tool:me:t1' });
    await store.tasks.progress('t1', 'half way');
    await store.tasks.finish('t1', 'completed', 'done');
    await store.tasks.progress('t1', 'late');
    await store.tasks.progress('missing', 'nothing');
    expect(await store.tasks.get('t1')).toMatchObject({ workflowId: 'tool:me:t1', progress: 'half way', status: 'completed', finishedAt: expect.any(String) });
    expect((await store.stream.after('me', 0)).map((e) => (e.event.data as { status: string }).status)).toEqual(['running', 'running', 'completed']);
  });

  test('concurrent retries of one write store it once and stream it once', async () => {
    const same = (i: number) => store.transcript.add({ id: 'm1', userId: 'me', role: 'user', text: `try ${i}` });
    const added = await Promise.all(Array.from({ length: 8 }, (_, i) => same(i)));
    expect(new Set(added.map((m) => m.text)).size).toBe(1);
    await Promise.all(Array.from({ length: 8 }, () => store.notifications.add('n1', 'me', { title: 'T', body: '', priority: 'high' })));
    await Promise.all(Array.from({ length: 8 }, () => store.tasks.start({ id: 't1', userId: 'me', tool: 'task_agent', title: 'Job' })));
    const finished = await Promise.all((['completed', 'failed', 'cancelled'] as const).map((s) => store.tasks.finish('t1', s, s)));
    // Whichever finish won, every caller sees its outcome.
    expect(new Set(finished.map((t) => t?.status)).size).toBe(1);
    expect((await store.stream.after('me', 0)).map((e) => e.event.type)).toEqual(['message', 'notification', 'task', 'task']);
  });

  test('a poller reading after(last) sees every appended event exactly once, even when transactions commit late', async () => {
    const poller = new StreamLog(another());
    const seen: number[] = [];
    let polls = 0;
    let writing = true;
    const poll = async () => {
      for (const e of await poller.after('me', seen.at(-1) ?? 0)) seen.push(e.seq);
      polls++;
      // SQLite answers without touching the event loop; yield so the writers get their turn.
      await new Promise((r) => setImmediate(r));
    };
    const reading = (async () => {
      while (writing) await poll();
      await poll();
    })();
    // A slow transaction takes its seq, then stays open while the poller reads on; without the
    // per-user lock, appends after it would commit first and the poller would move past its seq.
    const pollsLater = async (n: number) => {
      const until = polls + n;
      while (polls < until) await new Promise((r) => setImmediate(r));
    };
    const event = (i: number): StreamEvent => ({ type: 'message', data: { id: `m${i}`, userId: 'me', role: 'user', text: String(i), createdAt: new Date().toISOString() } });
    const slow = (i: number) =>
      sql.transaction(async () => {
        await store.stream.append('me', event(i));
        await pollsLater(2);
      });
    const fast = (i: number) => store.stream.append('me', event(i));
    const other = (i: number) => store.stream.append('other', event(i));
    const kinds = Array.from({ length: 120 }, (_, i) => (i % 12 === 0 ? slow : i % 5 === 0 ? other : fast));
    await Promise.all(kinds.map((append, i) => append(i)));
    writing = false;
    await reading;
    const all = (await store.stream.after('me', 0, 1000)).map((e) => e.seq);
    expect(all).toHaveLength(kinds.filter((k) => k !== other).length);
    expect(seen).toEqual(all);
  });

  test('profile corrections survive a rebuild; concurrent corrections of different fields both stay', async () => {
    await store.profile.setAuto('me', { name: 'Dana', role: 'Engineer' });
    await Promise.all([store.profile.correct('me', { role: 'Lead' }), store.profile.correct('me', { organisation: 'Acme' })]);
    const rebuilt = await store.profile.setAuto('me', { name: 'Dana R.', role: 'Engineer' });
    expect(rebuilt.profile).toMatchObject({ name: 'Dana R.', role: 'Lead', organisation: 'Acme' });
    expect(rebuilt.corrected.sort()).toEqual(['organisation', 'role']);
    expect(rebuilt.builtAt).toEqual(expect.any(String));
    expect(await store.profile.get('someone-else')).toEqual({ profile: {}, corrected: [] });
  });
});

test('openStore on a data directory keeps the stream log across a reopen', async () => {
  const dir = fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? '/tmp', 'paprika-store-'));
  let s = await openStore(dir);
  await s.transcript.add({ id: 'a', userId: 'me', role: 'user', text: 'a' });
  const mark = await s.stream.lastSeq('me');
  await s.transcript.add({ id: 'b', userId: 'me', role: 'assistant', text: 'b' });
  await s.close();
  s = await openStore(dir);
  expect((await s.stream.after('me', mark)).map((e) => (e.event.data as { text: string }).text)).toEqual(['b']);
  await s.close();
});
