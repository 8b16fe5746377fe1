// Everything Paprika needs from Composio, behind one module: the SDK client, linking Gmail,
// the Gmail trigger, webhook verification and normalisation, subscribe mode, and tool execution.
// Swapping Composio for another provider (IMAP, Google APIs) touches this file only.
//
// The SDK is used unchanged. It talks to `${baseURL}/api/v3.1/...` with the `x-api-key` header;
// see test/fakes/composio-server.ts for the list of endpoints it uses.
import { Composio } from '@composio/core';
import { z } from 'zod';
import type { Config } from '../../config';
import { htmlToText, keptText, snippetOf } from '../../mail/email-text';
import { type EmailAddress, RawEmail, normaliseMessageId } from '../../shared/feed';

export const GMAIL_TRIGGER = 'GMAIL_NEW_GMAIL_MESSAGE';
/** Composio webhooks older than this (seconds) are replays and are refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const MAX_HEADERS = 200;

/** A configuration value Composio needs is missing; the message names the variable. */
export class ComposioConfigError extends Error {
  override name = 'ComposioConfigError';
}

/** The webhook is not from Composio (bad or missing signature, stale timestamp): answer 401. */
export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

/** The webhook is signed but its body is not something we understand: answer 400 with the message. */
export class WebhookPayloadError extends Error {
  override name = 'WebhookPayloadError';
}

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

/** A verified webhook: the event plus Composio's delivery id (stable across retries). */
export type VerifiedWebhook = ComposioEvent & { webhookId: string };

const clients = new WeakMap<Config, Composio>();

function requireSetting(value: string | undefined, variable: string, why: string): string {
  if (!value) throw new ComposioConfigError(`${variable} is not set: ${why}`);
  return value;
}

/** The one place a Composio SDK client is made. Cached per config object. */
export function createComposio(config: Config): Composio {
  const cached = clients.get(config);
  if (cached) return cached;
  const client = new Composio({
    apiKey: requireSetting(config.composio.apiKey, 'COMPOSIO_API_KEY', 'create one at https://platform.composio.dev (Settings → API keys)'),
    baseURL: config.composio.baseUrl,
    // Mail metadata is personal: no usage analytics leave the machine.
    allowTracking: false,
    // The app pins its dependencies; a runtime npm lookup only adds a network call.
    disableVersionCheck: true,
    // Tool and trigger versions are pinned in config, never "latest", so behaviour cannot shift underneath us.
    toolkitVersions: Object.keys(config.composio.toolkitVersions).length ? config.composio.toolkitVersions : undefined,
  });
  clients.set(config, client);
  return client;
}

export interface AccountLink {
  /** The URL the user opens to grant access; null when the account was already connected. */
  redirectUrl: string | null;
  connectedAccountId: string;
  alreadyConnected: boolean;
  /** Resolves with the connected account id once the user has finished (polls Composio). */
  wait(timeoutMs?: number): Promise<string>;
}

export type LinkableToolkit = 'gmail' | 'googlecalendar';

const AUTH_CONFIG_VARIABLE: Record<LinkableToolkit, { variable: string; read: (c: Config) => string | undefined; label: string }> = {
  gmail: { variable: 'COMPOSIO_AUTH_CONFIG_GMAIL', read: (c) => c.composio.authConfigGmail, label: 'Gmail' },
  googlecalendar: { variable: 'COMPOSIO_AUTH_CONFIG_CALENDAR', read: (c) => c.composio.authConfigCalendar, label: 'Google Calendar' },
};

/** Starts linking one of the user's accounts, or reports the connection that already exists. */
export async function linkAccount(config: Config, userId: string, toolkit: LinkableToolkit, opts: { callbackUrl?: string } = {}): Promise<AccountLink> {
  const setting = AUTH_CONFIG_VARIABLE[toolkit];
  const authConfigId = requireSetting(
    setting.read(config),
    setting.variable,
    `create a ${setting.label} auth config in the Composio dashboard (Auth Configs) and put its id (ac_…) here`,
  );
  const composio = createComposio(config);
  // The SDK's link() refuses when an ACTIVE account exists; reusing it makes the command safe to repeat.
  const existing = await composio.connectedAccounts.list({ userIds: [userId], authConfigIds: [authConfigId], statuses: ['ACTIVE'] });
  const active = existing.items[0];
  if (active) {
    return { redirectUrl: null, connectedAccountId: active.id, alreadyConnected: true, wait: async () => active.id };
  }
  const request = await composio.connectedAccounts.link(userId, authConfigId, opts.callbackUrl ? { callbackUrl: opts.callbackUrl } : undefined);
  return {
    redirectUrl: request.redirectUrl ?? null,
    connectedAccountId: request.id,
    alreadyConnected: false,
    wait: async (timeoutMs = 5 * 60_000) => {
      try {
        const account = await request.waitForConnection(timeoutMs);
        return account.id;
      } catch (err) {
        if ((err as Error).name === 'ConnectionRequestTimeoutError') {
          throw new Error(`${setting.label} was not connected within ${Math.round(timeoutMs / 1000)} s; run the command again and open the new link`);
        }
        throw err;
      }
    },
  };
}

/** Starts linking the user's Gmail (COMPOSIO_AUTH_CONFIG_GMAIL). */
export function linkGmail(config: Config, userId: string, opts: { callbackUrl?: string } = {}): Promise<AccountLink> {
  return linkAccount(config, userId, 'gmail', opts);
}

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

export interface ToolResult {
  successful: boolean;
  data: Record<string, unknown>;
  error: string | null;
  logId?: string;
}

/** Composio slugs start with their toolkit: GMAIL_SEND_EMAIL → gmail, GOOGLECALENDAR_CREATE_EVENT → googlecalendar. */
export function toolkitOf(slug: string): string {
  return slug.split('_')[0]!.toLowerCase();
}

/**
 * Runs one Composio tool at the toolkit version pinned in config (COMPOSIO_TOOLKIT_VERSIONS).
 * The SDK sends the execute request without retries, so one call is at most one side effect;
 * a tool-level failure comes back as `successful: false`, transport errors throw.
 */
export async function executeComposioTool(
  config: Config,
  call: { userId: string; slug: string; arguments: Record<string, unknown>; connectedAccountId?: string; signal?: AbortSignal },
): Promise<ToolResult> {
  const toolkit = toolkitOf(call.slug);
  const version = requireSetting(
    config.composio.toolkitVersions[toolkit],
    'COMPOSIO_TOOLKIT_VERSIONS',
    `no version pinned for toolkit "${toolkit}" (e.g. COMPOSIO_TOOLKIT_VERSIONS="${toolkit}=20250909_00")`,
  );
  const composio = createComposio(config);
  const result = await composio.tools.execute(
    call.slug,
    { userId: call.userId, arguments: call.arguments, version, ...(call.connectedAccountId ? { connectedAccountId: call.connectedAccountId } : {}) },
    call.signal ? { signal: call.signal } : undefined,
  );
  return { successful: result.successful, data: result.data, error: result.error, logId: result.logId };
}

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
  return { ...(await normaliseEvent(config, version, verified.rawPayload, verified.payload as TriggerEventLike)), webhookId: id! };
}

function describePayloadError(err: Error): string {
  if (/JSON/.test(err.message)) return 'body is not valid JSON';
  return 'body is not a Composio webhook payload (expected V1 {trigger_name, connection_id, trigger_id, payload, log_id}, V2 {type, timestamp, log_id, data} or V3 {id, timestamp, type: "composio.*", metadata, data})';
}

/** The SDK's normalised trigger event (IncomingTriggerPayload), the part we read. */
interface TriggerEventLike {
  id?: string;
  triggerSlug?: string;
  userId?: string;
  payload?: Record<string, unknown>;
  metadata?: { connectedAccount?: { id?: string; userId?: string } };
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

const GmailPayload = z.object({
  id: z.string().min(1).optional(),
  message_id: z.string().min(1).optional(),
  thread_id: z.string().optional().nullable(),
  sender: z.string().min(1, 'is empty'),
  to: z.string().optional().nullable(),
  subject: z.string().optional().nullable(),
  message_text: z.string().optional().nullable(),
  message_timestamp: z.string().optional().nullable(),
  label_ids: z.array(z.string()).optional().nullable(),
  attachment_list: z.array(z.record(z.string(), z.unknown())).optional().nullable(),
  preview: z.object({ body: z.string().optional().nullable() }).passthrough().optional().nullable(),
  payload: z
    .object({
      snippet: z.string().optional().nullable(),
      internalDate: z.union([z.string(), z.number()]).optional().nullable(),
      labelIds: z.array(z.string()).optional().nullable(),
      payload: z
        .object({ headers: z.array(z.object({ name: z.string(), value: z.string().nullable().optional() })).optional().nullable() })
        .passthrough()
        .optional()
        .nullable(),
    })
    .passthrough()
    .optional()
    .nullable(),
});

const issuesOf = (err: z.ZodError) => err.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ');

/**
 * Turns Composio's GMAIL_NEW_GMAIL_MESSAGE payload into a RawEmail (src/shared/feed.ts);
 * throws WebhookPayloadError naming the bad field. The id is the normalised Message-ID, as for
 * every other mail source, so the same message from Gmail and from an mbox import is one item.
 */
export async function parseGmailPayload(payload: unknown): Promise<{ gmailMessageId: string; message: RawEmail }> {
  const parsed = GmailPayload.safeParse(payload ?? {});
  if (!parsed.success) throw new WebhookPayloadError(`gmail message payload: ${issuesOf(parsed.error)}`);
  const p = parsed.data;
  const gmailMessageId = p.message_id ?? p.id;
  if (!gmailMessageId) throw new WebhookPayloadError('gmail message payload: message_id is missing');
  const from = parseAddressList(p.sender)[0];
  if (!from) throw new WebhookPayloadError(`gmail message payload: sender has no email address`);

  const headers = new Map<string, string>();
  for (const h of (p.payload?.payload?.headers ?? []).slice(0, MAX_HEADERS)) {
    const name = h.name.toLowerCase();
    if (!headers.has(name) && typeof h.value === 'string') headers.set(name, h.value);
  }
  const messageId = (headers.get('message-id') ?? '').trim();
  const normalisedId = normaliseMessageId(messageId);
  const references = (headers.get('references') ?? '').split(/\s+/).map(normaliseMessageId).filter(Boolean);
  const inReplyTo = normaliseMessageId((headers.get('in-reply-to') ?? '').split(/\s+/)[0] ?? '');
  const text = keptText(await plainText(p.message_text ?? ''));

  const candidate = {
    id: normalisedId && normalisedId.length <= 200 ? normalisedId : `gmail-${gmailMessageId}`,
    source: 'gmail',
    messageId: messageId.slice(0, 1000),
    threadId: (p.thread_id || gmailMessageId).slice(0, 1000),
    from,
    to: parseAddressList(p.to ?? headers.get('to') ?? ''),
    cc: parseAddressList(headers.get('cc') ?? ''),
    subject: (p.subject ?? headers.get('subject') ?? '').trim().slice(0, 2000),
    date: messageDate(p.message_timestamp, p.payload?.internalDate, headers.get('date')),
    text,
    snippet: snippetOf(p.preview?.body?.trim() || p.payload?.snippet?.trim() || text),
    labels: p.label_ids ?? p.payload?.labelIds ?? [],
    headers: {
      listUnsubscribe: headers.get('list-unsubscribe')?.slice(0, 2000),
      listId: headers.get('list-id')?.slice(0, 500),
      precedence: headers.get('precedence')?.toLowerCase().slice(0, 100),
      autoSubmitted: headers.get('auto-submitted')?.toLowerCase().slice(0, 100),
      inReplyTo: inReplyTo ? inReplyTo.slice(0, 1000) : undefined,
      ...(references.length > 0 ? { references: references.slice(-200).map((r) => r.slice(0, 1000)) } : {}),
      replyTo: parseAddressList(headers.get('reply-to') ?? '')[0]?.address.slice(0, 320),
    },
    attachments: (p.attachment_list ?? []).slice(0, 100).map((a) => ({
      ...(trimmed(a.filename) ? { filename: trimmed(a.filename).slice(0, 300) } : {}),
      contentType: (trimmed(a.mimeType) || trimmed(a.mime_type) || trimmed(a.contentType) || 'application/octet-stream').slice(0, 200),
      size: Number.isFinite(Number(a.size)) && Number(a.size) >= 0 ? Math.floor(Number(a.size)) : 0,
    })),
  };
  const email = RawEmail.safeParse(candidate);
  if (!email.success) throw new WebhookPayloadError(`gmail message payload: ${issuesOf(email.error)}`);
  return { gmailMessageId, message: email.data };
}

const trimmed = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

const LOOKS_LIKE_HTML = /<(html|body|div|p|br|table|span|a|font|td)\b[^>]*>/i;

/** Gmail hands over the HTML part when a message has no text part; never keep HTML. */
async function plainText(body: string): Promise<string> {
  return LOOKS_LIKE_HTML.test(body) ? htmlToText(body) : body;
}

function messageDate(timestamp?: string | null, internalDate?: string | number | null, dateHeader?: string): string {
  const candidates = [timestamp, internalDate !== undefined && internalDate !== null && internalDate !== '' ? Number(internalDate) : undefined, dateHeader];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === null || candidate === '') continue;
    const d = new Date(candidate);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return new Date().toISOString();
}

/** Splits `"Doe, Jane" <jane@x.org>, bob@y.org` into addresses; commas inside quotes or <> do not split. */
export function parseAddressList(value: string): EmailAddress[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    if (ch === ',' && !quoted && !angle) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  const out: EmailAddress[] = [];
  for (const part of parts.map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.*?)<([^<>]+)>\s*$/.exec(part);
    const address = (m ? m[2]! : part).trim().toLowerCase();
    if (!address.includes('@') || address.length > 320) continue;
    const name = m ? m[1]!.trim().replace(/^"(.*)"$/, '$1').trim().slice(0, 300) : '';
    out.push(name ? { name, address } : { address });
  }
  return out;
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
