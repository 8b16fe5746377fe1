// The security settings: their defaults are the safe choice, and a half-given mTLS pair is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import type { SqliteSql } from '../../src/store/sqlite';
import { openStore } from '../../src/store';
import { devServerArgs } from '../../src/temporal/dev-server';

test('defaults: 90 days of retention, SQLite synchronous=FULL, no key in the environment, no TLS', () => {
  const c = loadConfig({});
  expect(c.security).toEqual({ encryptionKeys: [], retentionDays: 90, sqliteSync: 'full' });
  expect(c.temporal.tls).toBeUndefined();
});

test('the store commits with synchronous=FULL unless PAPRIKA_SQLITE_SYNC=normal', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-'));
  const full = await openStore(dir);
  expect((full.sql as SqliteSql).db.pragma('synchronous', { simple: true })).toBe(2);
  await full.close();
  const normal = await openStore(dir, { sync: loadConfig({ PAPRIKA_SQLITE_SYNC: 'normal' }).security.sqliteSync });
  expect((normal.sql as SqliteSql).db.pragma('synchronous', { simple: true })).toBe(1);
  await normal.close();
  expect(() => loadConfig({ PAPRIKA_SQLITE_SYNC: 'off' })).toThrow(/PAPRIKA_SQLITE_SYNC/);
});

test('mTLS: certificate and key come together', () => {
  expect(() => loadConfig({ TEMPORAL_TLS_CERT: '/etc/paprika/client.pem' })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
  expect(loadConfig({ TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/k.pem', TEMPORAL_TLS_CA: '/ca.pem' }).temporal.tls).toEqual({
    certPath: '/c.pem',
    keyPath: '/k.pem',
    caPath: '/ca.pem',
    serverName: undefined,
  });
});

test('the embedded dev server listens on loopback and sends the UI to the codec endpoint', () => {
  const args = devServerArgs({ cliPath: 'temporal', port: 7233, uiPort: 8233, codecEndpoint: 'http://127.0.0.1:5050/api/codec' });
  expect(args.join(' ')).toContain('--ip 127.0.0.1');
  expect(args.join(' ')).toContain('--ui-codec-endpoint http://127.0.0.1:5050/api/codec');
});
