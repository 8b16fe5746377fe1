// Signed generic webhooks: `X-Paprika-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`
// with `X-Paprika-Timestamp: <unix seconds>`, refused when older or newer than five minutes.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-paprika-signature';
export const TIMESTAMP_HEADER = 'x-paprika-timestamp';
export const TOLERANCE_SECONDS = 300;

export class SignatureError extends Error {
  override name = 'SignatureError';
}

export function signPayload(secret: string, timestamp: number | string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** Throws SignatureError saying what is wrong; the secret and the expected value are never in the message. */
export function verifySignature(secret: string, headers: { signature?: string; timestamp?: string }, rawBody: string, nowSeconds = Math.floor(Date.now() / 1000)): void {
  if (!headers.signature || !headers.timestamp) throw new SignatureError('missing X-Paprika-Signature or X-Paprika-Timestamp header');
  if (!/^\d{1,12}$/.test(headers.timestamp)) throw new SignatureError('X-Paprika-Timestamp is not a Unix time in seconds');
  if (Math.abs(nowSeconds - Number(headers.timestamp)) > TOLERANCE_SECONDS) throw new SignatureError(`X-Paprika-Timestamp is more than ${TOLERANCE_SECONDS} s away from now`);
  const expected = Buffer.from(signPayload(secret, headers.timestamp, rawBody));
  const given = Buffer.from(headers.signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SignatureError('signature does not match');
}
