import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../../src/store/db';
import { openStore } from '../../src/store';
import { Sessions } from '../../src/store/sessions';

const dataDir = () => fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? os.tmpdir(), 'sessions-'));

test('a session ID is random and opaque, only its hash is stored, and it ends at expiry or logout', async () => {
  const dir = dataDir();
  const store = await openStore(dir); // registers the schema
  let now = 1_000_000;
  const sessions = new Sessions(store.db, () => now);
  const a = sessions.create('me', 60_000);
  const b = sessions.create('me', 60_000);
  expect(a.id).not.toBe(b.id);
  expect(a.id.length).toBeGreaterThanOrEqual(40);
  expect(JSON.stringify(store.db.prepare('SELECT * FROM sessions').all())).not.toContain(a.id);
  expect(sessions.find(a.id)).toEqual({ userId: 'me', expiresAt: 1_060_000 });
  sessions.revoke(a.id);
  expect(sessions.find(a.id)).toBeUndefined();
  expect(sessions.find(b.id)).toBeDefined();
  now += 60_000;
  expect(sessions.find(b.id)).toBeUndefined();
  expect(sessions.find('made-up')).toBeUndefined();
  store.close();
});

test('a login code works once and not after it expires', async () => {
  const dir = dataDir();
  await (await openStore(dir)).close();
  const db = openDb(dir);
  let now = 0;
  const sessions = new Sessions(db, () => now);
  const code = sessions.createLoginCode('me', 1000);
  expect(sessions.consumeLoginCode(code)).toBe('me');
  expect(sessions.consumeLoginCode(code)).toBeUndefined();
  const late = sessions.createLoginCode('me', 1000);
  now = 1000;
  expect(sessions.consumeLoginCode(late)).toBeUndefined();
  db.close();
});
