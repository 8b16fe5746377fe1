// The store on a real SQLite file: idempotent writes, the stream log, reopen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-store-'));

test('writes are idempotent by ID and appear once in the stream log', async () => {
  const store = await openStore(dir());
  store.transcript.add({ id: 'm1', userId: 'me', role: 'user', text: 'hi' });
  store.transcript.add({ id: 'm1', userId: 'me', role: 'user', text: 'hi (retry)' });
  store.notifications.add('n1', 'me', { title: 'T', body: '', priority: 'high' });
  store.notifications.add('n1', 'me', { title: 'T', body: '', priority: 'high' });
  store.tasks.start({ id: 't1', userId: 'me', tool: 'delegate_task', title: 'Job' });
  store.tasks.finish('t1', 'completed', 'done');
  store.tasks.finish('t1', 'failed', 'late retry');
  expect(store.transcript.list('me').map((m) => m.text)).toEqual(['hi']);
  expect(store.notifications.unreadCount('me')).toBe(1);
  expect(store.tasks.get('t1')).toMatchObject({ status: 'completed', result: 'done' });
  expect(store.stream.after('me', 0).map((e) => e.event.type)).toEqual(['message', 'notification', 'task', 'task']);
  store.close();
});

test('the stream log resumes after a sequence number, per user, across a reopen', async () => {
  const d = dir();
  let store = await openStore(d);
  store.transcript.add({ id: 'a', userId: 'me', role: 'user', text: 'a' });
  const mark = store.stream.lastSeq('me');
  store.transcript.add({ id: 'b', userId: 'me', role: 'assistant', text: 'b' });
  store.transcript.add({ id: 'x', userId: 'other', role: 'user', text: 'x' });
  store.close();
  store = await openStore(d);
  expect(store.stream.after('me', mark).map((e) => (e.event.data as { text: string }).text)).toEqual(['b']);
  store.close();
});

test('notifications are marked read per user only', async () => {
  const store = await openStore(dir());
  store.notifications.add('n1', 'me', { title: 'Mine', body: '', priority: 'normal' });
  expect(store.notifications.markRead('someone-else', 'n1')).toBe(false);
  expect(store.notifications.markRead('me', 'n1')).toBe(true);
  expect(store.notifications.list('me', { unreadOnly: true })).toEqual([]);
  store.close();
});
