// Encrypts every payload Paprika writes to Temporal (workflow arguments, results, signals, memos,
// failures' details) with AES-256-GCM, as Temporal's encryption sample does: the whole Payload
// proto is the plaintext, so its original metadata is hidden too. The key ID travels in the
// metadata so an old history names the key it needs after a rotation.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './keys';

export const ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys.current;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      // The key ID is authenticated: swapping it in the metadata makes decryption fail.
      cipher.setAAD(Buffer.from(id));
      const body = Buffer.concat([cipher.update(temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final()]);
      return {
        metadata: { encoding: utf8(ENCODING), [KEY_ID_METADATA]: utf8(id) },
        data: Buffer.concat([iv, body, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Histories written before encryption (and the committed replay fixtures) stay readable.
      if (text(payload.metadata?.encoding) !== ENCODING) return payload;
      const id = text(payload.metadata?.[KEY_ID_METADATA]);
      if (!id) throw new PayloadDecryptionError('encrypted payload without an encryption-key-id');
      const entry = this.keys.find(id);
      if (!entry) throw new PayloadDecryptionError(`payload encrypted with key ${id}, which is not in this key ring (PAPRIKA_ENCRYPTION_KEY or keys.json in the data directory)`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`encrypted payload (key ${id}) is too short`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', entry.key, data.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(id));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        return temporal.api.common.v1.Payload.decode(plain) as Payload;
      } catch (err) {
        throw new PayloadDecryptionError(`payload encrypted with key ${id} does not decrypt: altered, or a different key under that ID (${(err as Error).message})`);
      }
    });
  }
}
