// Composio's side of webhooks: signing a delivery as Composio does (Standard Webhooks, HMAC-SHA256).
import { createHmac, randomUUID } from 'node:crypto';
import type { SignedWebhook } from './state';
import { str } from './state';

export function signWebhook(webhookSecret: string, payload: unknown, o: { secret?: string; timestamp?: number; id?: string } = {}): SignedWebhook {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const payloadId = typeof payload === 'object' && payload !== null ? str((payload as Record<string, unknown>).id) : undefined;
  // For V3 events Composio's webhook-id equals the payload id; older payloads get a fresh message id.
  const id = o.id ?? (payloadId?.startsWith('msg_') ? payloadId : `msg_${randomUUID()}`);
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', o.secret ?? webhookSecret).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
      'x-composio-delivery-attempt': '1',
    },
    body,
  };
}
