// A fake Composio backend on 127.0.0.1 that speaks the subset of the v3.1 REST API the real
// @composio/core SDK uses for Paprika, plus Composio's side of webhooks (signed deliveries).
// Point the SDK at it with `baseURL: fake.url`; the SDK itself stays unchanged.
//
// Endpoints (all under the `x-api-key` header, as the SDK sends it):
//   GET    /api/v3.1/connected_accounts            ?user_ids=a,b&auth_config_ids=..&statuses=..&toolkit_slugs=..
//   GET    /api/v3.1/connected_accounts/:id
//   POST   /api/v3.1/connected_accounts/link        {auth_config_id, user_id, callback_url?}
//   PATCH  /api/v3.1/connected_accounts/:id/status  {enabled}
//   GET    /api/v3.1/triggers_types/:slug
//   POST   /api/v3.1/trigger_instances/:slug/upsert {connected_account_id?, trigger_config, toolkit_versions, user_id}
//   GET    /api/v3.1/trigger_instances/active       ?connected_account_ids=..&trigger_names=..&trigger_ids=..&show_disabled=..
//   PATCH  /api/v3.1/trigger_instances/manage/:id   {status: enable|disable}
//   DELETE /api/v3.1/trigger_instances/manage/:id
//   GET    /api/v3.1/tools/:slug                    ?version=.. | ?toolkit_versions[..]=..
//   POST   /api/v3.1/tools/execute/:slug            {arguments, user_id, version, connected_account_id?}
// and, without an API key, the page a user opens to finish OAuth:
//   GET    /oauth/:linkToken                        marks the linked account ACTIVE
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const GMAIL_TRIGGER = 'GMAIL_NEW_GMAIL_MESSAGE';

export type AccountStatus = 'INITIALIZING' | 'INITIATED' | 'ACTIVE' | 'FAILED' | 'EXPIRED' | 'INACTIVE' | 'REVOKED';

export interface FakeAccount {
  id: string;
  uuid: string;
  userId: string;
  authConfigId: string;
  toolkit: string;
  status: AccountStatus;
  statusReason: string | null;
  enabled: boolean;
  linkToken: string;
  callbackUrl?: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeTrigger {
  id: string;
  uuid: string;
  slug: string;
  userId: string;
  connectedAccountId: string;
  config: Record<string, unknown>;
  toolkitVersions: unknown;
  disabledAt: string | null;
  updatedAt: string;
}

export interface FakeMessage {
  id: string;
  threadId: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  date: string;
  labels: string[];
  headers: Record<string, string>;
}

export interface FakeCalendarEvent {
  id: string;
  summary: string;
  description?: string;
  location?: string;
  start: string;
  end: string;
  attendees: string[];
  timeZone: string;
}

export interface Execution {
  slug: string;
  userId: string;
  arguments: Record<string, unknown>;
  version?: string;
  connectedAccountId: string;
  at: string;
}

export interface ToolContext {
  userId: string;
  version?: string;
  state: FakeComposioState;
}

/** A handler returns the tool's `data`; throwing Error gives `successful: false`, FakeHttpError an HTTP error. */
export type ToolHandler = (args: Record<string, unknown>, ctx: ToolContext) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Throw from a tool handler to make the fake answer with an HTTP error instead of a tool failure. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface FakeComposioState {
  /** auth config id → toolkit slug */
  authConfigs: Map<string, string>;
  accounts: Map<string, FakeAccount>;
  triggers: Map<string, FakeTrigger>;
  /** Every upsert call, including ones that matched an existing trigger. */
  upserts: { slug: string; userId: string; connectedAccountId?: string; at: string }[];
  requests: { method: string; path: string; query: string }[];
  mailbox: FakeMessage[];
  sent: { id: string; threadId: string; to: string[]; cc: string[]; bcc: string[]; subject: string; body: string; inReplyToThread?: string }[];
  drafts: { id: string; messageId: string; threadId: string; to: string[]; subject: string; body: string }[];
  calendar: FakeCalendarEvent[];
}

export interface GmailMessageInput {
  id?: string;
  threadId?: string;
  /** "Name <address>" or a bare address */
  from: string;
  to?: string[];
  cc?: string[];
  subject: string;
  text: string;
  date?: string;
  labels?: string[];
  /** Extra RFC 5322 headers, e.g. {'List-Unsubscribe': '<mailto:…>'} */
  headers?: Record<string, string>;
}

export interface EventOptions {
  version: 'V1' | 'V2' | 'V3';
  userId?: string;
  connectedAccountId?: string;
  triggerId?: string;
}

export interface SignedWebhook {
  headers: Record<string, string>;
  body: string;
}

export interface FakeComposioOptions {
  apiKey?: string;
  webhookSecret?: string;
  /** auth config id → toolkit slug; default {ac_gmail: 'gmail', ac_calendar: 'googlecalendar'} */
  authConfigs?: Record<string, string>;
  /** Version reported for each toolkit's tools; default 20250909_00. */
  toolkitVersion?: string;
  calendar?: FakeCalendarEvent[];
  mailbox?: GmailMessageInput[];
}

export interface FakeComposio {
  url: string;
  apiKey: string;
  webhookSecret: string;
  state: FakeComposioState;
  executed: Execution[];
  setToolHandler(slug: string, fn: ToolHandler): void;
  /** Finishes the OAuth flow for an account, as the user would by opening the redirect URL. */
  activateAccount(connectedAccountId: string): void;
  signWebhook(payload: unknown, opts?: { secret?: string; timestamp?: number; id?: string }): SignedWebhook;
  makeGmailMessageEvent(message: GmailMessageInput, opts: EventOptions): Record<string, unknown>;
  /** A V3 `composio.connected_account.expired` event; also marks the account EXPIRED. */
  makeAccountExpiredEvent(opts?: { connectedAccountId?: string; reason?: string }): Record<string, unknown>;
  /** A V3 `composio.trigger.disabled` event; also disables the trigger. */
  makeTriggerDisabledEvent(opts?: { triggerId?: string; reason?: string }): Record<string, unknown>;
  /** Signs and POSTs an event to the app, as Composio would. */
  deliverWebhook(targetUrl: string, payload: unknown, opts?: { secret?: string; timestamp?: number; id?: string }): Promise<Response>;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();
const nano = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;
const gmailId = () => randomBytes(8).toString('hex');
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? v.split(',').map((s) => s.trim()) : [];

function toolkitOfSlug(slug: string): string {
  return slug.split('_')[0]!.toLowerCase();
}

/** Input schemas the fake advertises; names follow Composio's Gmail and Google Calendar toolkits. */
const TOOL_PARAMS: Record<string, { description: string; properties: Record<string, { type: string; description?: string }>; required: string[] }> = {
  GMAIL_SEND_EMAIL: {
    description: 'Sends an email via Gmail.',
    properties: { recipient_email: { type: 'string' }, subject: { type: 'string' }, body: { type: 'string' }, cc: { type: 'array' }, bcc: { type: 'array' }, extra_recipients: { type: 'array' }, is_html: { type: 'boolean' } },
    required: ['recipient_email', 'body'],
  },
  GMAIL_CREATE_EMAIL_DRAFT: {
    description: 'Creates a Gmail draft.',
    properties: { recipient_email: { type: 'string' }, subject: { type: 'string' }, body: { type: 'string' }, thread_id: { type: 'string' }, cc: { type: 'array' }, bcc: { type: 'array' } },
    required: ['recipient_email', 'body'],
  },
  GMAIL_REPLY_TO_THREAD: {
    description: 'Replies to a Gmail thread.',
    properties: { thread_id: { type: 'string' }, message_body: { type: 'string' }, recipient_email: { type: 'string' }, cc: { type: 'array' }, bcc: { type: 'array' }, is_html: { type: 'boolean' } },
    required: ['thread_id', 'message_body', 'recipient_email'],
  },
  GMAIL_FETCH_EMAILS: {
    description: 'Fetches emails, optionally filtered by a Gmail search query.',
    properties: { query: { type: 'string' }, max_results: { type: 'integer' }, label_ids: { type: 'array' }, page_token: { type: 'string' } },
    required: [],
  },
  GMAIL_FETCH_MESSAGE_BY_THREAD_ID: {
    description: 'Fetches all messages of a thread.',
    properties: { thread_id: { type: 'string' } },
    required: ['thread_id'],
  },
  GMAIL_ADD_LABEL_TO_EMAIL: {
    description: 'Adds or removes labels on a message (remove INBOX to archive).',
    properties: { message_id: { type: 'string' }, add_label_ids: { type: 'array' }, remove_label_ids: { type: 'array' } },
    required: ['message_id'],
  },
  GOOGLECALENDAR_EVENTS_LIST: {
    description: 'Lists calendar events in a time range.',
    properties: { calendarId: { type: 'string' }, timeMin: { type: 'string' }, timeMax: { type: 'string' }, q: { type: 'string' }, maxResults: { type: 'integer' } },
    required: [],
  },
  GOOGLECALENDAR_FIND_FREE_SLOTS: {
    description: 'Finds free and busy slots in a time range.',
    properties: { time_min: { type: 'string' }, time_max: { type: 'string' }, items: { type: 'array' }, timezone: { type: 'string' } },
    required: [],
  },
  GOOGLECALENDAR_CREATE_EVENT: {
    description: 'Creates a calendar event.',
    properties: {
      start_datetime: { type: 'string' }, end_datetime: { type: 'string' }, event_duration_hour: { type: 'integer' }, event_duration_minutes: { type: 'integer' },
      summary: { type: 'string' }, description: { type: 'string' }, location: { type: 'string' }, attendees: { type: 'array' }, timezone: { type: 'string' }, calendar_id: { type: 'string' },
    },
    required: ['start_datetime'],
  },
  GOOGLECALENDAR_UPDATE_EVENT: {
    description: 'Updates a calendar event.',
    properties: {
      event_id: { type: 'string' }, start_datetime: { type: 'string' }, end_datetime: { type: 'string' }, event_duration_hour: { type: 'integer' }, event_duration_minutes: { type: 'integer' },
      summary: { type: 'string' }, description: { type: 'string' }, location: { type: 'string' }, attendees: { type: 'array' }, timezone: { type: 'string' }, calendar_id: { type: 'string' },
    },
    required: ['event_id'],
  },
};

function messageView(m: FakeMessage) {
  return {
    messageId: m.id,
    threadId: m.threadId,
    sender: m.from,
    to: m.to.join(', '),
    subject: m.subject,
    messageText: m.text,
    messageTimestamp: m.date,
    labelIds: m.labels,
    preview: { subject: m.subject, body: m.text.slice(0, 200) },
  };
}

/** The small part of Gmail's search syntax the fake understands: from:, to:, subject:, label:, is:unread and free words. */
function matchesQuery(m: FakeMessage, query: string): boolean {
  for (const term of query.split(/\s+/).filter(Boolean)) {
    const [key, ...rest] = term.split(':');
    const value = rest.join(':').toLowerCase();
    if (rest.length === 0) {
      if (!`${m.subject} ${m.text} ${m.from}`.toLowerCase().includes(term.toLowerCase())) return false;
    } else if (key === 'from') {
      if (!m.from.toLowerCase().includes(value)) return false;
    } else if (key === 'to') {
      if (!m.to.join(' ').toLowerCase().includes(value)) return false;
    } else if (key === 'subject') {
      if (!m.subject.toLowerCase().includes(value)) return false;
    } else if (key === 'label' || key === 'in') {
      if (!m.labels.map((l) => l.toLowerCase()).includes(value)) return false;
    } else if (key === 'is' && value === 'unread') {
      if (!m.labels.includes('UNREAD')) return false;
    }
  }
  return true;
}

function eventView(e: FakeCalendarEvent) {
  return {
    kind: 'calendar#event',
    id: e.id,
    status: 'confirmed',
    htmlLink: `https://calendar.google.com/event?eid=${e.id}`,
    summary: e.summary,
    description: e.description,
    location: e.location,
    start: { dateTime: e.start, timeZone: e.timeZone },
    end: { dateTime: e.end, timeZone: e.timeZone },
    attendees: e.attendees.map((email) => ({ email, responseStatus: 'needsAction' })),
  };
}

function eventTimes(args: Record<string, unknown>, fallback?: FakeCalendarEvent): { start: string; end: string } {
  const startRaw = str(args.start_datetime) ?? fallback?.start;
  if (!startRaw) throw new Error('start_datetime is required');
  const start = new Date(startRaw);
  if (Number.isNaN(start.getTime())) throw new Error(`start_datetime is not a date: ${startRaw}`);
  const endRaw = str(args.end_datetime);
  let end: Date;
  if (endRaw) end = new Date(endRaw);
  else if (args.event_duration_hour !== undefined || args.event_duration_minutes !== undefined) {
    const minutes = Number(args.event_duration_hour ?? 0) * 60 + Number(args.event_duration_minutes ?? 0);
    end = new Date(start.getTime() + minutes * 60_000);
  } else if (fallback) end = new Date(start.getTime() + (Date.parse(fallback.end) - Date.parse(fallback.start)));
  else end = new Date(start.getTime() + 30 * 60_000);
  if (Number.isNaN(end.getTime()) || end <= start) throw new Error('the event must end after it starts');
  return { start: start.toISOString(), end: end.toISOString() };
}

function defaultHandlers(): Map<string, ToolHandler> {
  const h = new Map<string, ToolHandler>();
  h.set('GMAIL_SEND_EMAIL', (args, { state }) => {
    const to = str(args.recipient_email);
    if (!to) throw new Error('recipient_email is required');
    const sent = {
      id: gmailId(),
      threadId: gmailId(),
      to: [to, ...list(args.extra_recipients)],
      cc: list(args.cc),
      bcc: list(args.bcc),
      subject: str(args.subject) ?? '',
      body: String(args.body ?? ''),
    };
    state.sent.push(sent);
    return { id: sent.id, threadId: sent.threadId, labelIds: ['SENT'] };
  });
  h.set('GMAIL_CREATE_EMAIL_DRAFT', (args, { state }) => {
    const to = str(args.recipient_email);
    if (!to) throw new Error('recipient_email is required');
    const draft = { id: nano('r'), messageId: gmailId(), threadId: str(args.thread_id) ?? gmailId(), to: [to], subject: str(args.subject) ?? '', body: String(args.body ?? '') };
    state.drafts.push(draft);
    return { id: draft.id, message: { id: draft.messageId, threadId: draft.threadId, labelIds: ['DRAFT'] } };
  });
  h.set('GMAIL_REPLY_TO_THREAD', (args, { state }) => {
    const threadId = str(args.thread_id);
    const to = str(args.recipient_email);
    if (!threadId) throw new Error('thread_id is required');
    if (!to) throw new Error('recipient_email is required');
    const original = state.mailbox.find((m) => m.threadId === threadId);
    const sent = {
      id: gmailId(),
      threadId,
      to: [to],
      cc: list(args.cc),
      bcc: list(args.bcc),
      subject: original ? `Re: ${original.subject.replace(/^re:\s*/i, '')}` : 'Re:',
      body: String(args.message_body ?? ''),
      inReplyToThread: threadId,
    };
    state.sent.push(sent);
    return { id: sent.id, threadId, labelIds: ['SENT'] };
  });
  h.set('GMAIL_FETCH_EMAILS', (args, { state }) => {
    const max = Math.max(1, Math.min(500, Number(args.max_results ?? 10) || 10));
    const labels = list(args.label_ids);
    const query = str(args.query) ?? '';
    const matches = [...state.mailbox]
      .sort((a, b) => Date.parse(b.date) - Date.parse(a.date))
      .filter((m) => labels.every((l) => m.labels.includes(l)) && matchesQuery(m, query));
    return { messages: matches.slice(0, max).map(messageView), nextPageToken: null, resultSizeEstimate: matches.length };
  });
  h.set('GMAIL_FETCH_MESSAGE_BY_THREAD_ID', (args, { state }) => {
    const threadId = str(args.thread_id);
    if (!threadId) throw new Error('thread_id is required');
    const messages = state.mailbox.filter((m) => m.threadId === threadId).sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
    if (messages.length === 0) throw new Error(`Requested entity was not found: thread ${threadId}`);
    return { messages: messages.map(messageView) };
  });
  h.set('GMAIL_ADD_LABEL_TO_EMAIL', (args, { state }) => {
    const id = str(args.message_id);
    const m = state.mailbox.find((x) => x.id === id);
    if (!m) throw new Error(`Requested entity was not found: message ${String(id)}`);
    const remove = new Set(list(args.remove_label_ids));
    m.labels = [...new Set([...m.labels.filter((l) => !remove.has(l)), ...list(args.add_label_ids)])];
    return { id: m.id, threadId: m.threadId, labelIds: m.labels };
  });
  h.set('GOOGLECALENDAR_EVENTS_LIST', (args, { state }) => {
    const min = str(args.timeMin) ? Date.parse(String(args.timeMin)) : -Infinity;
    const max = str(args.timeMax) ? Date.parse(String(args.timeMax)) : Infinity;
    const q = (str(args.q) ?? '').toLowerCase();
    const items = state.calendar
      .filter((e) => Date.parse(e.end) > min && Date.parse(e.start) < max)
      .filter((e) => !q || `${e.summary} ${e.description ?? ''}`.toLowerCase().includes(q))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
      .slice(0, Number(args.maxResults ?? 250) || 250);
    return { kind: 'calendar#events', items: items.map(eventView) };
  });
  h.set('GOOGLECALENDAR_FIND_FREE_SLOTS', (args, { state }) => {
    const from = Date.parse(str(args.time_min) ?? now());
    const to = Date.parse(str(args.time_max) ?? new Date(from + 24 * 3600_000).toISOString());
    if (Number.isNaN(from) || Number.isNaN(to) || to <= from) throw new Error('time_min must be before time_max');
    const busy = state.calendar
      .map((e) => ({ start: Math.max(from, Date.parse(e.start)), end: Math.min(to, Date.parse(e.end)) }))
      .filter((b) => b.end > b.start)
      .sort((a, b) => a.start - b.start);
    const free: { start: string; end: string }[] = [];
    let cursor = from;
    for (const b of busy) {
      if (b.start > cursor) free.push({ start: new Date(cursor).toISOString(), end: new Date(b.start).toISOString() });
      cursor = Math.max(cursor, b.end);
    }
    if (cursor < to) free.push({ start: new Date(cursor).toISOString(), end: new Date(to).toISOString() });
    const iso = (b: { start: number; end: number }) => ({ start: new Date(b.start).toISOString(), end: new Date(b.end).toISOString() });
    return { timeMin: new Date(from).toISOString(), timeMax: new Date(to).toISOString(), calendars: { primary: { busy: busy.map(iso), free } } };
  });
  h.set('GOOGLECALENDAR_CREATE_EVENT', (args, { state }) => {
    const { start, end } = eventTimes(args);
    const event: FakeCalendarEvent = {
      id: randomBytes(10).toString('hex'),
      summary: str(args.summary) ?? '(no title)',
      description: str(args.description),
      location: str(args.location),
      start,
      end,
      attendees: list(args.attendees),
      timeZone: str(args.timezone) ?? 'UTC',
    };
    state.calendar.push(event);
    return eventView(event);
  });
  h.set('GOOGLECALENDAR_UPDATE_EVENT', (args, { state }) => {
    const event = state.calendar.find((e) => e.id === args.event_id);
    if (!event) throw new Error(`Requested entity was not found: event ${String(args.event_id)}`);
    const hasTime = args.start_datetime !== undefined || args.end_datetime !== undefined || args.event_duration_hour !== undefined || args.event_duration_minutes !== undefined;
    if (hasTime) Object.assign(event, eventTimes(args, event));
    if (str(args.summary)) event.summary = String(args.summary);
    if (args.description !== undefined) event.description = str(args.description);
    if (args.location !== undefined) event.location = str(args.location);
    if (args.attendees !== undefined) event.attendees = list(args.attendees);
    return eventView(event);
  });
  return h;
}

function toFakeMessage(input: GmailMessageInput): FakeMessage {
  const id = input.id ?? gmailId();
  return {
    id,
    threadId: input.threadId ?? id,
    from: input.from,
    to: input.to ?? ['me@example.com'],
    cc: input.cc ?? [],
    subject: input.subject,
    text: input.text,
    date: input.date ?? now(),
    labels: input.labels ?? ['INBOX', 'UNREAD'],
    headers: input.headers ?? {},
  };
}

/** The trigger's payload as Composio's GMAIL_NEW_GMAIL_MESSAGE delivers it (snake_case, Gmail API message inside). */
function gmailTriggerPayload(m: FakeMessage): Record<string, unknown> {
  const headers = [
    { name: 'From', value: m.from },
    { name: 'To', value: m.to.join(', ') },
    ...(m.cc.length ? [{ name: 'Cc', value: m.cc.join(', ') }] : []),
    { name: 'Subject', value: m.subject },
    { name: 'Date', value: new Date(m.date).toUTCString() },
    { name: 'Message-ID', value: `<${m.id}@mail.example.com>` },
    ...Object.entries(m.headers).map(([name, value]) => ({ name, value })),
  ];
  return {
    id: m.id,
    message_id: m.id,
    thread_id: m.threadId,
    sender: m.from,
    to: m.to.join(', '),
    subject: m.subject,
    message_text: m.text,
    message_timestamp: m.date,
    label_ids: m.labels,
    attachment_list: [],
    preview: { subject: m.subject, body: m.text.slice(0, 200) },
    payload: {
      id: m.id,
      threadId: m.threadId,
      labelIds: m.labels,
      snippet: m.text.slice(0, 200),
      internalDate: String(Date.parse(m.date)),
      payload: { mimeType: 'text/plain', headers, body: { size: Buffer.byteLength(m.text) } },
    },
  };
}

export async function startFakeComposio(opts: FakeComposioOptions = {}): Promise<FakeComposio> {
  const apiKey = opts.apiKey ?? `ak_fake_${randomBytes(8).toString('hex')}`;
  const webhookSecret = opts.webhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const toolkitVersion = opts.toolkitVersion ?? '20250909_00';
  const state: FakeComposioState = {
    authConfigs: new Map(Object.entries(opts.authConfigs ?? { ac_gmail: 'gmail', ac_calendar: 'googlecalendar' })),
    accounts: new Map(),
    triggers: new Map(),
    upserts: [],
    requests: [],
    mailbox: (opts.mailbox ?? []).map(toFakeMessage),
    sent: [],
    drafts: [],
    calendar: [...(opts.calendar ?? [])],
  };
  const executed: Execution[] = [];
  const handlers = defaultHandlers();
  let url = '';

  const accountView = (a: FakeAccount) => ({
    id: a.id,
    user_id: a.userId,
    status: a.status,
    status_reason: a.statusReason,
    is_disabled: !a.enabled,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    toolkit: { slug: a.toolkit },
    auth_config: { id: a.authConfigId, auth_scheme: 'OAUTH2', is_composio_managed: true, is_disabled: false },
    data: {},
    params: {},
    test_request_endpoint: '',
  });

  const triggerView = (t: FakeTrigger) => {
    const account = state.accounts.get(t.connectedAccountId);
    return {
      id: t.id,
      uuid: t.uuid,
      user_id: t.userId,
      connected_account_id: t.connectedAccountId,
      connectedAccountId: t.connectedAccountId,
      connected_account_uuid: account?.uuid ?? '',
      disabled_at: t.disabledAt,
      disabledAt: t.disabledAt,
      state: {},
      trigger_config: t.config,
      triggerConfig: t.config,
      trigger_name: t.slug,
      triggerName: t.slug,
      updated_at: t.updatedAt,
      updatedAt: t.updatedAt,
    };
  };

  const toolView = (slug: string) => {
    const params = TOOL_PARAMS[slug] ?? { description: `${slug} (test handler)`, properties: {}, required: [] };
    const toolkit = toolkitOfSlug(slug);
    return {
      slug,
      name: slug.toLowerCase().replace(/_/g, ' '),
      description: params.description,
      input_parameters: { type: 'object', properties: params.properties, required: params.required },
      output_parameters: { type: 'object', properties: { data: { type: 'object' }, error: { type: 'string' }, successful: { type: 'boolean' } } },
      toolkit: { slug: toolkit, name: toolkit, logo: 'https://logos.composio.dev/api/' + toolkit },
      version: toolkitVersion,
      available_versions: [toolkitVersion],
      deprecated: { is_deprecated: false },
      no_auth: false,
      tags: [],
      scopes: [],
    };
  };

  const firstActive = (userId: string, toolkit: string) =>
    [...state.accounts.values()].find((a) => a.userId === userId && a.toolkit === toolkit && a.status === 'ACTIVE' && a.enabled);

  function activateAccount(id: string): void {
    const a = state.accounts.get(id);
    if (!a) throw new Error(`fake composio: no connected account ${id}`);
    a.status = 'ACTIVE';
    a.statusReason = null;
    a.updatedAt = now();
  }

  async function route(method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): Promise<[number, unknown]> {
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/api/v3.1/connected_accounts') {
      const users = list(q.get('user_ids'));
      const configs = list(q.get('auth_config_ids'));
      const statuses = list(q.get('statuses'));
      const toolkits = list(q.get('toolkit_slugs')).map((s) => s.toLowerCase());
      const items = [...state.accounts.values()].filter(
        (a) =>
          (!users.length || users.includes(a.userId)) &&
          (!configs.length || configs.includes(a.authConfigId)) &&
          (!statuses.length || statuses.includes(a.status)) &&
          (!toolkits.length || toolkits.includes(a.toolkit)),
      );
      return [200, { items: items.map(accountView), next_cursor: null, total_pages: 1, current_page: 1, total_items: items.length }];
    }
    if (method === 'POST' && path === '/api/v3.1/connected_accounts/link') {
      const authConfigId = str(body.auth_config_id);
      const userId = str(body.user_id);
      if (!authConfigId || !userId) return [400, error(400, 'auth_config_id and user_id are required', 'BadRequest')];
      const toolkit = state.authConfigs.get(authConfigId);
      if (!toolkit) return [404, error(404, `Auth config ${authConfigId} not found`, 'AuthConfig_NotFound')];
      const account: FakeAccount = {
        id: nano('ca'),
        uuid: randomUUID(),
        userId,
        authConfigId,
        toolkit,
        status: 'INITIATED',
        statusReason: null,
        enabled: true,
        linkToken: nano('lt'),
        callbackUrl: str(body.callback_url),
        createdAt: now(),
        updatedAt: now(),
      };
      state.accounts.set(account.id, account);
      return [
        201,
        {
          link_token: account.linkToken,
          redirect_url: `${url}/oauth/${account.linkToken}`,
          expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
          connected_account_id: account.id,
        },
      ];
    }
    if ((m = /^\/api\/v3\.1\/connected_accounts\/([^/]+)\/status$/.exec(path)) && method === 'PATCH') {
      const a = state.accounts.get(decodeURIComponent(m[1]!));
      if (!a) return [404, error(404, 'Connected account not found', 'ConnectedAccount_NotFound')];
      a.enabled = body.enabled !== false;
      a.updatedAt = now();
      return [200, { success: true }];
    }
    if ((m = /^\/api\/v3\.1\/connected_accounts\/([^/]+)$/.exec(path)) && method === 'GET') {
      const a = state.accounts.get(decodeURIComponent(m[1]!));
      if (!a) return [404, error(404, 'Connected account not found', 'ConnectedAccount_NotFound')];
      return [200, accountView(a)];
    }
    if ((m = /^\/api\/v3\.1\/triggers_types\/([^/]+)$/.exec(path)) && method === 'GET') {
      const slug = decodeURIComponent(m[1]!).toUpperCase();
      if (slug !== GMAIL_TRIGGER) return [404, error(404, `Trigger type ${slug} not found`, 'TriggerType_NotFound')];
      return [
        200,
        {
          slug,
          name: 'New Gmail Message Received Trigger',
          description: 'Triggers when a new message is received in Gmail.',
          instructions: '',
          toolkit: { slug: 'gmail', name: 'gmail', logo: 'https://logos.composio.dev/api/gmail' },
          version: toolkitVersion,
          config: {
            type: 'object',
            properties: {
              interval: { type: 'number', default: 1, description: 'Polling interval in minutes' },
              labelIds: { type: 'string', default: 'INBOX' },
              userId: { type: 'string', default: 'me' },
            },
          },
          payload: {
            type: 'object',
            properties: {
              message_id: { type: 'string' }, thread_id: { type: 'string' }, sender: { type: 'string' }, to: { type: 'string' }, subject: { type: 'string' },
              message_text: { type: 'string' }, message_timestamp: { type: 'string' }, label_ids: { type: 'array' }, payload: { type: 'object' },
            },
          },
        },
      ];
    }
    if ((m = /^\/api\/v3\.1\/trigger_instances\/([^/]+)\/upsert$/.exec(path)) && method === 'POST') {
      const slug = decodeURIComponent(m[1]!).toUpperCase();
      const userId = str(body.user_id) ?? '';
      state.upserts.push({ slug, userId, connectedAccountId: str(body.connected_account_id), at: now() });
      if (slug !== GMAIL_TRIGGER) return [404, error(404, `Trigger type ${slug} not found`, 'TriggerType_NotFound')];
      const accountId = str(body.connected_account_id);
      const account = accountId ? state.accounts.get(accountId) : firstActive(userId, 'gmail');
      if (!account) return [400, error(400, `No active gmail connected account for user ${userId}`, 'ConnectedAccount_NotFound')];
      if (account.status !== 'ACTIVE') return [400, error(400, `Connected account ${account.id} is ${account.status}`, 'ConnectedAccount_NotActive')];
      const config = (body.trigger_config as Record<string, unknown> | undefined) ?? {};
      // Like the real upsert: the same trigger on the same account with the same config is updated, not duplicated.
      const same = [...state.triggers.values()].find(
        (t) => t.slug === slug && t.connectedAccountId === account.id && JSON.stringify(t.config) === JSON.stringify(config),
      );
      if (same) {
        same.disabledAt = null;
        same.updatedAt = now();
        return [200, { trigger_id: same.id }];
      }
      const trigger: FakeTrigger = {
        id: nano('ti'),
        uuid: randomUUID(),
        slug,
        userId: account.userId,
        connectedAccountId: account.id,
        config,
        toolkitVersions: body.toolkit_versions,
        disabledAt: null,
        updatedAt: now(),
      };
      state.triggers.set(trigger.id, trigger);
      return [200, { trigger_id: trigger.id }];
    }
    if (method === 'GET' && path === '/api/v3.1/trigger_instances/active') {
      const accounts = list(q.get('connected_account_ids'));
      const names = list(q.get('trigger_names')).map((s) => s.toUpperCase());
      const ids = list(q.get('trigger_ids'));
      const users = list(q.get('user_ids'));
      const showDisabled = q.get('show_disabled') === 'true';
      const items = [...state.triggers.values()].filter(
        (t) =>
          (!accounts.length || accounts.includes(t.connectedAccountId)) &&
          (!names.length || names.includes(t.slug)) &&
          (!ids.length || ids.includes(t.id)) &&
          (!users.length || users.includes(t.userId)) &&
          (showDisabled || t.disabledAt === null),
      );
      return [200, { items: items.map(triggerView), next_cursor: null, total_pages: 1, current_page: 1, total_items: items.length }];
    }
    if ((m = /^\/api\/v3\.1\/trigger_instances\/manage\/([^/]+)$/.exec(path))) {
      const t = state.triggers.get(decodeURIComponent(m[1]!));
      if (!t) return [404, error(404, 'Trigger not found', 'Trigger_NotFound')];
      if (method === 'PATCH') {
        t.disabledAt = body.status === 'disable' ? now() : null;
        t.updatedAt = now();
        return [200, { status: 'success' }];
      }
      if (method === 'DELETE') {
        state.triggers.delete(t.id);
        return [200, { trigger_id: t.id }];
      }
    }
    if ((m = /^\/api\/v3\.1\/tools\/execute\/([^/]+)$/.exec(path)) && method === 'POST') {
      const slug = decodeURIComponent(m[1]!).toUpperCase();
      const handler = handlers.get(slug);
      if (!handler) return [404, error(404, `Tool ${slug} not found`, 'Tool_NotFound')];
      const userId = str(body.user_id) ?? 'default';
      const version = str(body.version);
      if (!version || version === 'latest') {
        return [400, error(400, 'Toolkit version is required for manual tool execution; pin it or pass version', 'Tool_VersionRequired')];
      }
      const toolkit = toolkitOfSlug(slug);
      const accountId = str(body.connected_account_id);
      const account = accountId ? state.accounts.get(accountId) : firstActive(userId, toolkit);
      if (!account || account.status !== 'ACTIVE' || account.toolkit !== toolkit) {
        return [400, error(400, `No active ${toolkit} connected account found for user ${userId}`, 'ConnectedAccount_NotFound')];
      }
      const args = (body.arguments as Record<string, unknown> | undefined) ?? {};
      executed.push({ slug, userId, arguments: structuredClone(args), version, connectedAccountId: account.id, at: now() });
      const logId = nano('log');
      try {
        const data = await handler(args, { userId, version, state });
        return [200, { data, error: null, successful: true, log_id: logId }];
      } catch (err) {
        if (err instanceof FakeHttpError) return [err.status, error(err.status, err.message, 'Tool_ExecutionFailed')];
        return [200, { data: {}, error: (err as Error).message, successful: false, log_id: logId }];
      }
    }
    if ((m = /^\/api\/v3\.1\/tools\/([^/]+)$/.exec(path)) && method === 'GET') {
      const slug = decodeURIComponent(m[1]!).toUpperCase();
      if (!handlers.has(slug)) return [404, error(404, `Tool ${slug} not found`, 'Tool_NotFound')];
      return [200, toolView(slug)];
    }
    return [404, error(404, `fake composio has no route ${method} ${path}`, 'NotFound')];
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const parsed = new URL(req.url ?? '/', 'http://fake');
        const method = req.method ?? 'GET';
        state.requests.push({ method, path: parsed.pathname, query: parsed.search });
        const send = (status: number, payload: unknown, type = 'application/json') => {
          res.writeHead(status, { 'content-type': type });
          res.end(type === 'application/json' ? JSON.stringify(payload) : String(payload));
        };
        const oauth = /^\/oauth\/([^/]+)$/.exec(parsed.pathname);
        if (method === 'GET' && oauth) {
          const account = [...state.accounts.values()].find((a) => a.linkToken === oauth[1]);
          if (!account) return send(404, 'unknown link', 'text/plain');
          activateAccount(account.id);
          return send(200, `Connected ${account.toolkit} for ${account.userId}. You can close this page.`, 'text/plain');
        }
        if (req.headers['x-api-key'] !== apiKey) return send(401, error(401, 'Invalid API key', 'Unauthorized'));
        let body: Record<string, unknown> = {};
        if (chunks.length) {
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          } catch {
            return send(400, error(400, 'body is not JSON', 'BadRequest'));
          }
        }
        try {
          const [status, payload] = await route(method, parsed.pathname, parsed.searchParams, body);
          send(status, payload);
        } catch (err) {
          send(500, error(500, (err as Error).message, 'InternalError'));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function defaultGmailTrigger(): FakeTrigger | undefined {
    return [...state.triggers.values()].find((t) => t.slug === GMAIL_TRIGGER && t.disabledAt === null);
  }

  function signWebhook(payload: unknown, o: { secret?: string; timestamp?: number; id?: string } = {}): SignedWebhook {
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

  function makeGmailMessageEvent(input: GmailMessageInput, o: EventOptions): Record<string, unknown> {
    const message = toFakeMessage(input);
    if (!state.mailbox.some((m) => m.id === message.id)) state.mailbox.push(message);
    const trigger = o.triggerId ? state.triggers.get(o.triggerId) : defaultGmailTrigger();
    const triggerId = o.triggerId ?? trigger?.id ?? nano('ti');
    const accountId = o.connectedAccountId ?? trigger?.connectedAccountId ?? nano('ca');
    const account = state.accounts.get(accountId);
    const userId = o.userId ?? trigger?.userId ?? account?.userId ?? 'default';
    const data = gmailTriggerPayload(message);
    const logId = nano('log');
    if (o.version === 'V1') {
      return { trigger_name: GMAIL_TRIGGER, connection_id: accountId, trigger_id: triggerId, payload: data, log_id: logId };
    }
    if (o.version === 'V2') {
      return {
        type: GMAIL_TRIGGER.toLowerCase(),
        timestamp: now(),
        log_id: logId,
        data: {
          ...data,
          connection_id: account?.uuid ?? randomUUID(),
          connection_nano_id: accountId,
          trigger_nano_id: triggerId,
          trigger_id: trigger?.uuid ?? randomUUID(),
          user_id: userId,
        },
      };
    }
    return {
      id: `msg_${randomUUID()}`,
      timestamp: now(),
      type: 'composio.trigger.message',
      metadata: {
        log_id: logId,
        trigger_slug: GMAIL_TRIGGER,
        trigger_id: triggerId,
        connected_account_id: accountId,
        auth_config_id: account?.authConfigId ?? 'ac_gmail',
        user_id: userId,
      },
      data,
    };
  }

  function makeAccountExpiredEvent(o: { connectedAccountId?: string; reason?: string } = {}): Record<string, unknown> {
    const account = o.connectedAccountId ? state.accounts.get(o.connectedAccountId) : [...state.accounts.values()].find((a) => a.status === 'ACTIVE');
    const reason = o.reason ?? 'OAuth refresh token expired';
    if (account) {
      account.status = 'EXPIRED';
      account.statusReason = reason;
      account.updatedAt = now();
    }
    return {
      id: `msg_${randomUUID()}`,
      type: 'composio.connected_account.expired',
      timestamp: now(),
      metadata: { project_id: 'pr_fake', org_id: 'ok_fake' },
      data: {
        id: account?.id ?? o.connectedAccountId ?? nano('ca'),
        user_id: account?.userId ?? 'default',
        toolkit: { slug: account?.toolkit ?? 'gmail' },
        auth_config: { id: account?.authConfigId ?? 'ac_gmail', auth_scheme: 'OAUTH2' },
        status: 'EXPIRED',
        status_reason: reason,
      },
    };
  }

  function makeTriggerDisabledEvent(o: { triggerId?: string; reason?: string } = {}): Record<string, unknown> {
    const trigger = o.triggerId ? state.triggers.get(o.triggerId) : defaultGmailTrigger();
    if (trigger) {
      trigger.disabledAt = now();
      trigger.updatedAt = now();
    }
    return {
      id: `msg_${randomUUID()}`,
      type: 'composio.trigger.disabled',
      timestamp: now(),
      metadata: { project_id: 'pr_fake', org_id: 'ok_fake' },
      data: {
        trigger_id: trigger?.id ?? o.triggerId ?? nano('ti'),
        trigger_slug: trigger?.slug ?? GMAIL_TRIGGER,
        connected_account_id: trigger?.connectedAccountId ?? '',
        user_id: trigger?.userId ?? 'default',
        disabled_reason: o.reason ?? 'connection_expired',
      },
    };
  }

  return {
    url,
    apiKey,
    webhookSecret,
    state,
    executed,
    setToolHandler: (slug, fn) => void handlers.set(slug.toUpperCase(), fn),
    activateAccount,
    signWebhook,
    makeGmailMessageEvent,
    makeAccountExpiredEvent,
    makeTriggerDisabledEvent,
    async deliverWebhook(targetUrl, payload, o) {
      const { headers, body } = signWebhook(payload, o);
      return fetch(targetUrl, { method: 'POST', headers, body });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function error(status: number, message: string, slug: string) {
  return { error: { message, code: status * 10, slug, status, request_id: randomUUID(), suggested_fix: '' } };
}
