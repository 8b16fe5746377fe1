import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, KEY_ID_METADATA } from '../../src/temporal/codec';
import { KEY_FILE, loadKeyRing, reloadingKeyRing, rotateKeyFile } from '../../src/temporal/keys';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'codec-'));
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value);
const valueOf = (p: Parameters<typeof defaultPayloadConverter.fromPayload>[0]) => defaultPayloadConverter.fromPayload(p);
const KEY = Buffer.alloc(32, 7).toString('base64');

test('round trip: the ciphertext hides the text, decoding gives the payload back with its metadata', async () => {
  const codec = new EncryptionCodec(loadKeyRing(dir()));
  const [encrypted] = await codec.encode([payload({ summary: 'the blue heron lands at noon' })]);
  expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain('heron');
  expect(Buffer.from(encrypted!.metadata!.encoding!).toString()).toBe('binary/encrypted');
  const [decoded] = await codec.decode([encrypted!]);
  expect(Buffer.from(decoded!.metadata!.encoding!).toString()).toBe('json/plain');
  expect(valueOf(decoded!)).toEqual({ summary: 'the blue heron lands at noon' });
});

test('a payload written before encryption passes through decode unchanged', async () => {
  const codec = new EncryptionCodec(loadKeyRing(dir()));
  const plain = payload('old history');
  expect(await codec.decode([plain])).toEqual([plain]);
});

test('a key ID the ring does not hold is a clear error naming the key', async () => {
  const [encrypted] = await new EncryptionCodec(loadKeyRing(dir())).encode([payload('x')]);
  const id = Buffer.from(encrypted!.metadata![KEY_ID_METADATA]!).toString();
  await expect(new EncryptionCodec(loadKeyRing(dir())).decode([encrypted!])).rejects.toThrow(`payload encrypted with key ${id}, which is not in this key ring`);
});

test('an altered ciphertext or key ID does not decrypt', async () => {
  const d = dir();
  const codec = new EncryptionCodec(loadKeyRing(d));
  const [encrypted] = await codec.encode([payload('pay 100 to dana')]);
  const data = Buffer.from(encrypted!.data!);
  data[20] = data[20]! ^ 1;
  await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow(/does not decrypt: altered/);

  // The same key under another ID: the ID is authenticated, so this fails too.
  const file = JSON.parse(fs.readFileSync(path.join(d, KEY_FILE), 'utf8'));
  file.keys.push({ ...file.keys[0], id: 'k-other' });
  fs.writeFileSync(path.join(d, KEY_FILE), JSON.stringify(file));
  const relabelled = { ...encrypted!, metadata: { ...encrypted!.metadata, [KEY_ID_METADATA]: Buffer.from('k-other') } };
  await expect(new EncryptionCodec(loadKeyRing(d)).decode([relabelled])).rejects.toThrow(/does not decrypt/);
});

test('the key file is created once, readable by its owner only', () => {
  const d = dir();
  const first = loadKeyRing(d).current.id;
  expect(loadKeyRing(d).current.id).toBe(first);
  expect(fs.statSync(path.join(d, KEY_FILE)).mode & 0o777).toBe(0o600);
});

test('rotation: new payloads use the new key, old ones still decode, also in a process that started before', async () => {
  const d = dir();
  const before = reloadingKeyRing(d);
  const [old] = await new EncryptionCodec(before).encode([payload('written with the first key')]);
  const { id, previous } = rotateKeyFile(d);
  expect(previous).toBe(before.current.id);
  const after = new EncryptionCodec(loadKeyRing(d));
  const [fresh] = await after.encode([payload('written after rotation')]);
  expect(Buffer.from(fresh!.metadata![KEY_ID_METADATA]!).toString()).toBe(id);
  expect(valueOf((await after.decode([old!]))[0]!)).toBe('written with the first key');
  expect(valueOf((await new EncryptionCodec(before).decode([fresh!]))[0]!)).toBe('written after rotation');
});

test('PAPRIKA_ENCRYPTION_KEY: the first key encrypts, the others and the key file still decrypt', async () => {
  const d = dir();
  const [fromFile] = await new EncryptionCodec(loadKeyRing(d)).encode([payload('file key')]);
  const [fromOld] = await new EncryptionCodec(loadKeyRing(dir(), [KEY])).encode([payload('old env key')]);
  const ring = loadKeyRing(d, [Buffer.alloc(32, 9).toString('base64'), KEY]);
  const codec = new EncryptionCodec(ring);
  expect(ring.current.id).toMatch(/^env-/);
  expect((await codec.decode([fromFile!, fromOld!])).map(valueOf)).toEqual(['file key', 'old env key']);
  expect(() => loadKeyRing(d, ['c2hvcnQ='])).toThrow(/PAPRIKA_ENCRYPTION_KEY \(key 1\): expected 32 bytes/);
});
