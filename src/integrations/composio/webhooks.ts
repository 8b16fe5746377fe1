// Composio's webhooks: verifying the signature and turning V1, V2 and V3 payloads into a ComposioEvent.
import { Composio } from '@composio/core';
import type { Config } from '../../config';
import { GmailPayloadError } from '../../mail/gmail-payload';
import { createComposio, requireSetting } from './client';
import { type ComposioEvent, normaliseTriggerEvent, type TriggerEventLike, type WebhookVersion } from './triggers';

/** Composio webhooks older than this (seconds) are replays and are refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The webhook is not from Composio (bad or missing signature, stale timestamp): answer 401. */
export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

/** The webhook is signed but its body is not something we understand: answer 400 with the message. */
export class WebhookPayloadError extends Error {
  override name = 'WebhookPayloadError';
}

/** A verified webhook: the event plus Composio's delivery id (stable across retries). */
export type VerifiedWebhook = ComposioEvent & { webhookId: string };

function header(headers: Record<string, string | string[] | undefined> | Headers, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** The SDK needs an API key to exist; verifying a signature is local, so a placeholder is enough without one. */
const verifiers = new WeakMap<Config, Composio>();
function verifier(config: Config): Composio {
  if (config.composio.apiKey) return createComposio(config);
  let v = verifiers.get(config);
  if (!v) {
    v = new Composio({ apiKey: 'unused-for-local-verification', baseURL: config.composio.baseUrl, allowTracking: false, disableVersionCheck: true });
    verifiers.set(config, v);
  }
  return v;
}

/**
 * Verifies a Composio webhook (HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${raw body}`,
 * 300 s tolerance) with the SDK's `triggers.verifyWebhook`, then normalises V1, V2 and V3 payloads.
 * Pass the raw body exactly as received: re-serialised JSON does not verify.
 */
export async function verifyComposioWebhook(
  config: Config,
  request: { rawBody: string | Uint8Array; headers: Record<string, string | string[] | undefined> | Headers },
): Promise<VerifiedWebhook> {
  const secret = requireSetting(config.composio.webhookSecret, 'COMPOSIO_WEBHOOK_SECRET', 'copy the signing secret of your Composio webhook subscription');
  const id = header(request.headers, 'webhook-id');
  const timestamp = header(request.headers, 'webhook-timestamp');
  const signature = header(request.headers, 'webhook-signature');
  const missing = [!id && 'webhook-id', !timestamp && 'webhook-timestamp', !signature && 'webhook-signature'].filter(Boolean);
  if (missing.length) throw new WebhookSignatureError(`missing header(s): ${missing.join(', ')}`);
  // A non-numeric timestamp is an authentication failure, not a body problem.
  if (!/^\d{1,12}$/.test(timestamp!)) throw new WebhookSignatureError('webhook-timestamp is not a Unix time in seconds');
  const payload = typeof request.rawBody === 'string' ? request.rawBody : Buffer.from(request.rawBody).toString('utf8');
  if (payload.length === 0) throw new WebhookPayloadError('empty body');

  let verified: { version: string; payload: unknown; rawPayload: unknown };
  try {
    verified = await verifier(config).triggers.verifyWebhook({ id: id!, timestamp: timestamp!, signature: signature!, payload, secret, tolerance: WEBHOOK_TOLERANCE_SECONDS });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'ComposioWebhookSignatureVerificationError') throw new WebhookSignatureError(e.message);
    if (e.name === 'ComposioWebhookPayloadError') throw new WebhookPayloadError(describePayloadError(e));
    throw err;
  }
  const version = verified.version as WebhookVersion;
  try {
    return { ...(await normaliseEvent(config, version, verified.rawPayload, verified.payload as TriggerEventLike)), webhookId: id! };
  } catch (err) {
    // A signed delivery whose Gmail message cannot be read is the sender's mistake: 400, not 500.
    if (err instanceof GmailPayloadError) throw new WebhookPayloadError(err.message);
    throw err;
  }
}

function describePayloadError(err: Error): string {
  if (/JSON/.test(err.message)) return 'body is not valid JSON';
  return 'body is not a Composio webhook payload (expected V1 {trigger_name, connection_id, trigger_id, payload, log_id}, V2 {type, timestamp, log_id, data} or V3 {id, timestamp, type: "composio.*", metadata, data})';
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

async function normaliseEvent(config: Config, version: WebhookVersion, raw: unknown, event: TriggerEventLike): Promise<ComposioEvent> {
  const rawRecord = asRecord(raw);
  const type = str(rawRecord.type);
  if (version === 'V3' && type === 'composio.connected_account.expired') {
    const data = asRecord(rawRecord.data);
    return {
      kind: 'account_expired',
      version,
      userId: str(data.user_id) || config.userId,
      connectedAccountId: str(data.id),
      toolkit: str(asRecord(data.toolkit).slug) || 'unknown',
      reason: str(data.status_reason) || 'the connection expired',
    };
  }
  if (version === 'V3' && type === 'composio.trigger.disabled') {
    const data = asRecord(rawRecord.data);
    return {
      kind: 'trigger_disabled',
      version,
      userId: str(data.user_id) || config.userId,
      triggerId: str(data.trigger_id) || str(data.id),
      triggerSlug: str(data.trigger_slug),
      connectedAccountId: str(data.connected_account_id),
      reason: str(data.disabled_reason) || str(data.reason) || 'disabled by Composio',
    };
  }
  if (version === 'V3' && type !== 'composio.trigger.message') return { kind: 'other', version, type };
  return normaliseTriggerEvent(config, version, event);
}
