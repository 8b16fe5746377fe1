// The Gmail trigger: making sure one watches the account, turning its events into Paprika's
// ComposioEvent, and subscribe mode for a machine Composio cannot reach by webhook.
import type { Config } from '../../config';
import { parseGmailPayload } from '../../mail/gmail-payload';
import type { RawEmail } from '../../shared/feed';
import { createComposio } from './client';

export const GMAIL_TRIGGER = 'GMAIL_NEW_GMAIL_MESSAGE';

export type WebhookVersion = 'V1' | 'V2' | 'V3';
/** How an event arrived: a webhook payload version, or subscribe mode. */
export type EventVersion = WebhookVersion | 'subscribe';

export type ComposioEvent =
  | {
      kind: 'gmail_message';
      version: EventVersion;
      userId: string;
      connectedAccountId: string;
      triggerId: string;
      /** Gmail's own message id, for tools that act on it (labels, archive). */
      gmailMessageId: string;
      message: RawEmail;
    }
  | {
      kind: 'account_expired';
      version: EventVersion;
      userId: string;
      connectedAccountId: string;
      toolkit: string;
      reason: string;
    }
  | {
      kind: 'trigger_disabled';
      version: EventVersion;
      userId: string;
      triggerId: string;
      triggerSlug: string;
      connectedAccountId: string;
      reason: string;
    }
  | { kind: 'other'; version: EventVersion; type: string };

export interface EnsuredTrigger {
  triggerId: string;
  /** created: new trigger; reused: an enabled one existed; reenabled: a disabled one was switched back on */
  action: 'created' | 'reused' | 'reenabled';
}

/** Makes sure exactly one GMAIL_NEW_GMAIL_MESSAGE trigger watches this account; never creates a second. */
export async function ensureGmailTrigger(
  config: Config,
  userId: string,
  connectedAccountId: string,
  triggerConfig: Record<string, unknown> = { labelIds: 'INBOX' },
): Promise<EnsuredTrigger> {
  const composio = createComposio(config);
  const found = await composio.triggers.listActive({
    connectedAccountIds: [connectedAccountId],
    triggerNames: [GMAIL_TRIGGER],
    showDisabled: true,
  });
  const mine = found.items.filter((t) => t.triggerName.toUpperCase() === GMAIL_TRIGGER && t.connectedAccountId === connectedAccountId);
  const enabled = mine.find((t) => !t.disabledAt);
  if (enabled) return { triggerId: enabled.id, action: 'reused' };
  const disabled = mine[0];
  if (disabled) {
    await composio.triggers.enable(disabled.id);
    return { triggerId: disabled.id, action: 'reenabled' };
  }
  const created = await composio.triggers.create(userId, GMAIL_TRIGGER, { connectedAccountId, triggerConfig });
  return { triggerId: created.triggerId, action: 'created' };
}

/** The SDK's normalised trigger event (IncomingTriggerPayload), the part we read. */
export interface TriggerEventLike {
  id?: string;
  triggerSlug?: string;
  userId?: string;
  payload?: Record<string, unknown>;
  metadata?: { connectedAccount?: { id?: string; userId?: string } };
}

/** Shared by webhooks and subscribe mode: a trigger event → a Gmail message, or `other`. */
export async function normaliseTriggerEvent(config: Config, version: EventVersion, event: TriggerEventLike): Promise<ComposioEvent> {
  const slug = (event.triggerSlug ?? '').toUpperCase();
  if (slug !== GMAIL_TRIGGER) return { kind: 'other', version, type: slug || 'unknown' };
  const account = event.metadata?.connectedAccount ?? {};
  const { gmailMessageId, message } = await parseGmailPayload(event.payload);
  return {
    kind: 'gmail_message',
    version,
    // V1 payloads carry no user id; a Paprika instance serves one user, so the configured one is meant.
    userId: event.userId || account.userId || config.userId,
    connectedAccountId: account.id ?? '',
    triggerId: event.id ?? '',
    gmailMessageId,
    message,
  };
}

export interface GmailSubscription {
  close(): Promise<void>;
}

/**
 * Subscribe mode, for a machine Composio cannot reach by webhook: the SDK's `triggers.subscribe`,
 * which opens a Pusher WebSocket (credentials from GET /api/v3/internal/sdk/realtime/credentials,
 * channel auth at POST /api/v3/internal/sdk/realtime/auth). The SDK allows one subscription per client.
 */
export async function subscribeGmail(
  config: Config,
  userId: string,
  onMessage: (event: Extract<ComposioEvent, { kind: 'gmail_message' }>) => Promise<void>,
  onError: (err: Error) => void = () => undefined,
): Promise<GmailSubscription> {
  const composio = createComposio(config);
  await composio.triggers.subscribe(
    (event) => {
      // The SDK calls back synchronously and ignores the result; failures go to onError, never unhandled.
      void normaliseTriggerEvent(config, 'subscribe', event as TriggerEventLike)
        .then((normalised) => (normalised.kind === 'gmail_message' ? onMessage(normalised) : undefined))
        .catch((err: unknown) => onError(err instanceof Error ? err : new Error(String(err))));
    },
    { triggerSlug: [GMAIL_TRIGGER], userId },
  );
  return { close: () => composio.triggers.unsubscribe() };
}
