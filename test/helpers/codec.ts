// The tests' key rings: every stack has its own data directory and so its own keys.json; the
// replay of every history needs all of them, as an operator would keep every rotated key.
import fs from 'node:fs';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from '../../src/temporal/codec';
import { type EncryptionKey, KEY_FILE, loadKeyRing, ringOf } from '../../src/temporal/keys';

function stackDataDirs(): string[] {
  const root = process.env.PAPRIKA_TEST_DIR;
  if (!root) return [];
  return fs
    .readdirSync(root)
    .map((d) => path.join(root, d))
    .filter((d) => fs.existsSync(path.join(d, KEY_FILE)));
}

/** A converter that decodes payloads written by any stack of this test run (and plaintext ones). */
export function allStacksDataConverter(extraDirs: string[] = []): DataConverter {
  const keys: EncryptionKey[] = [];
  for (const dir of [...stackDataDirs(), ...extraDirs]) {
    const ring = loadKeyRing(dir);
    const file = JSON.parse(fs.readFileSync(path.join(dir, KEY_FILE), 'utf8')) as { keys: { id: string }[] };
    for (const { id } of file.keys) keys.push(ring.find(id)!);
  }
  // With no stack yet (fixtures alone), a throwaway ring still exercises the codec's passthrough.
  const ring = keys.length ? ringOf(keys) : loadKeyRing(fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? '/tmp', 'keys-')));
  return { payloadCodecs: [new EncryptionCodec(ring)] };
}
