import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveApiToken, TOKEN_FILE } from '../../src/api-token';

const tempDir = () => fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? os.tmpdir(), 'token-'));

test('the first start creates an owner-only token file; the next start reads the same token', () => {
  const dataDir = path.join(tempDir(), 'data');
  const first = resolveApiToken({ dataDir });
  expect(first.source).toBe('created');
  const file = path.join(dataDir, TOKEN_FILE);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(first.token.length).toBeGreaterThanOrEqual(40);
  const second = resolveApiToken({ dataDir });
  expect(second).toMatchObject({ source: 'file', token: first.token });
  expect(resolveApiToken({ dataDir: tempDir() }).token).not.toBe(first.token);
});

test('PAPRIKA_API_TOKEN wins and no file is written', () => {
  const dataDir = tempDir();
  expect(resolveApiToken({ dataDir, apiToken: 'from-the-environment-123' })).toEqual({ token: 'from-the-environment-123', source: 'env' });
  expect(fs.existsSync(path.join(dataDir, TOKEN_FILE))).toBe(false);
});

test('a token file others can read is tightened to owner-only', () => {
  const dataDir = tempDir();
  const file = path.join(dataDir, TOKEN_FILE);
  fs.writeFileSync(file, 'a-token-someone-copied-0123456789\n', { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  expect(resolveApiToken({ dataDir }).token).toBe('a-token-someone-copied-0123456789');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
});
