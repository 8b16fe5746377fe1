// The key ring of the payload codec: which AES-256 key encrypts new payloads, and every key that
// may still be needed to read an old history. Keys come from PAPRIKA_ENCRYPTION_KEY, or from a
// file in the data directory created at first start, so a fresh install is encrypted without setup.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  current: EncryptionKey;
  /** Undefined when no key has this ID. */
  find(id: string): EncryptionKey | undefined;
}

export const KEY_FILE = 'keys.json';
const KEY_BYTES = 32;

const KeyFile = z.object({
  current: z.string().min(1),
  keys: z.array(z.object({ id: z.string().min(1), key: z.string().min(1), createdAt: z.string() })).min(1),
});
type KeyFile = z.infer<typeof KeyFile>;

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

function decodeKey(base64: string, where: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) throw new KeyRingError(`${where}: expected ${KEY_BYTES} bytes of base64 (openssl rand -base64 32), got ${key.length}`);
  return key;
}

/** Keys given in the environment have no stored ID: a short hash names them, the same in every process. */
const envKeyId = (key: Buffer) => `env-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

export function ringOf(keys: EncryptionKey[], currentId = keys[0]?.id): KeyRing {
  const byId = new Map(keys.map((k) => [k.id, k]));
  const current = currentId ? byId.get(currentId) : undefined;
  if (!current) throw new KeyRingError(`the current key ${currentId ?? '(none)'} is not in the key ring`);
  return { current, find: (id) => byId.get(id) };
}

function readKeyFile(file: string): KeyFile | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = KeyFile.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new KeyRingError(`${file}: not a Paprika key file (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

function writeKeyFile(file: string, data: KeyFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written aside and renamed, so a crash never leaves a half-written ring (and lost keys).
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * The first key, created exclusively: when a worker and an API start together on a shared data
 * directory, one creates the file and the other reads it, so both encrypt with the same key.
 */
function createKeyFile(file: string): KeyFile {
  const first = newEntry();
  const data = { current: first.id, keys: [first] };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.new`;
  fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return data;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readKeyFile(file)!;
  } finally {
    fs.unlinkSync(tmp);
  }
}

const newEntry = () => ({ id: `k-${randomBytes(6).toString('hex')}`, key: randomBytes(KEY_BYTES).toString('base64'), createdAt: new Date().toISOString() });

function fileRing(data: KeyFile, file: string): KeyRing {
  return ringOf(data.keys.map((k) => ({ id: k.id, key: decodeKey(k.key, `${file} key ${k.id}`) })), data.current);
}

/**
 * The ring for this data directory. Keys in `envKeys` win (the first encrypts); the key file's keys
 * stay readable alongside them so switching to an environment key keeps old histories readable.
 */
export function loadKeyRing(dataDir: string, envKeys: string[] = []): KeyRing {
  const file = path.join(dataDir, KEY_FILE);
  let data = readKeyFile(file);
  if (envKeys.length) {
    const fromEnv = envKeys.map((k, i) => {
      const key = decodeKey(k, `PAPRIKA_ENCRYPTION_KEY (key ${i + 1})`);
      return { id: envKeyId(key), key };
    });
    const fromFile = data ? data.keys.map((k) => ({ id: k.id, key: decodeKey(k.key, `${file} key ${k.id}`) })) : [];
    return ringOf([...fromEnv, ...fromFile]);
  }
  data ??= createKeyFile(file);
  return fileRing(data, file);
}

/** Adds a fresh key to the data directory's ring and makes it the one new payloads use. */
export function rotateKeyFile(dataDir: string): { id: string; previous?: string; count: number } {
  const file = path.join(dataDir, KEY_FILE);
  const data = readKeyFile(file);
  const entry = newEntry();
  const next: KeyFile = { current: entry.id, keys: [...(data?.keys ?? []), entry] };
  writeKeyFile(file, next);
  return { id: entry.id, previous: data?.current, count: next.keys.length };
}

/**
 * A ring that re-reads the key file when it meets a key ID it does not know, so a long-running
 * process can read what another process wrote after `npm run keys:rotate`.
 */
export function reloadingKeyRing(dataDir: string, envKeys: string[] = []): KeyRing {
  let ring = loadKeyRing(dataDir, envKeys);
  return {
    get current() {
      return ring.current;
    },
    find(id) {
      const found = ring.find(id);
      if (found) return found;
      ring = { ...loadKeyRing(dataDir, envKeys), current: ring.current };
      return ring.find(id);
    },
  };
}
