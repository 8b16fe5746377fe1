// Every workflow, schedule, update and context-item ID Paprika builds. They are derived, never
// random, so duplicates are rejected by Temporal itself and any process can find a user's
// workflows without a lookup table. Each is scoped by user. Workflow code loads this file: no I/O.
import { sha256Hex } from './sha256';

/** A user id: it becomes part of workflow, schedule and item IDs. */
export const USER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export const assistantWorkflowId = (userId: string) => `assistant:${userId}`;
export const toolWorkflowId = (userId: string, callId: string) => `tool:${userId}:${callId}`;
export const agentWorkflowId = (userId: string, name: string) => `agent:${userId}:${name}`;
/** The prefix all of a user's named agents share (listing them). */
export const agentWorkflowIdPrefix = (userId: string) => agentWorkflowId(userId, '');
export const meetingPrepWorkflowId = (userId: string, itemId: string) => `meeting-prep:${userId}:${itemId}`;

// Scheduled workflows: the Schedule's ID, and the ID each of its runs starts under (the server
// appends the run's time, so runs never collide).
export const briefingScheduleId = (userId: string) => `briefing:${userId}`;
export const briefingWorkflowId = (userId: string) => `briefing:${userId}`;
export const profileScheduleId = (userId: string) => `profile-refresh:${userId}`;
export const profileWorkflowId = (userId: string) => `profile:${userId}`;
export const calendarScheduleId = (userId: string) => `calendar-poll:${userId}`;
export const calendarPollWorkflowId = (userId: string) => `calendar-poll:${userId}`;

/** The profile built once on first launch. */
export const initialProfileWorkflowId = (userId: string) => `profile:${userId}:initial`;
/** The profile built from a mail import; `stamp` tells imports apart. */
export const importProfileWorkflowId = (userId: string, stamp: string) => `profile:${userId}:import-${stamp}`;

// Update IDs: the same request sent twice (a retried HTTP call) is one update.
export const chatUpdateId = (messageId: string) => `chat:${messageId}`;
export const approvalUpdateId = (a: { approvalId: string; decision: string; args?: unknown; reason?: string }) =>
  `approval:${a.approvalId}:${a.decision}:${JSON.stringify(a.args ?? {})}:${a.reason ?? ''}`.slice(0, 900);

/** The Schedule polling one plugin feed, and the workflow it starts (Temporal appends the time). */
export const pluginFeedScheduleId = (userId: string, plugin: string, feed: string) => `plugin-feed:${userId}:${plugin}:${feed}`;
export const pluginFeedWorkflowId = pluginFeedScheduleId;
/** The Gmail catch-up behind webhooks and the subscription. */
export const gmailCatchupScheduleId = (userId: string) => `gmail-catchup:${userId}`;
export const gmailCatchupWorkflowId = gmailCatchupScheduleId;
export const retentionScheduleId = (userId: string) => `retention:${userId}`;
export const retentionWorkflowId = (userId: string) => `retention:${userId}`;

// ---- context items and their feed workflows ----------------------------------------------------
// A context item's ID is `<kind>:` then the source's own ID. The kind comes first and contains no
// colon, so whatever an item's own ID holds (a Message-ID `<webhook:ci:build-777>`), items of two
// kinds can never share an ID. An own ID too long for the store is replaced by its SHA-256 under
// `<kind>#sha256:`, a prefix no unhashed ID can have, so hashing cannot collide with a real ID.

/** Longest context item ID the store keeps. */
export const CONTEXT_ID_MAX = 300;
/** Temporal's default limit is 1000; keep clear of it. */
const WORKFLOW_ID_MAX = 900;
const HASHED = '#sha256';

/** Mail sources whose items are `mail:<Message-ID>`. */
export const MAIL_SOURCES = ['gmail', 'imap', 'mbox', 'maildir', 'eml'] as const;
export const CONTEXT_ID_KINDS = ['mail', 'webhook', 'calendar', 'plugin'] as const;
export type ContextIdKind = (typeof CONTEXT_ID_KINDS)[number];

/** Webhook sources and plugin names: a colon in one would make `webhook:<source>:<id>` ambiguous. */
const NAME = /^[A-Za-z0-9_-]{1,40}$/;

function name(what: string, value: string): string {
  if (!NAME.test(value)) throw new Error(`${what} "${value}" must be 1-40 letters, digits, _ or -`);
  return value;
}

function itemId(kind: ContextIdKind, scope: string, own: string): string {
  if (!own) throw new Error(`a ${kind} item needs its own ID`);
  const plain = `${kind}:${scope}${own}`;
  return plain.length <= CONTEXT_ID_MAX ? plain : `${kind}${HASHED}:${scope}${sha256Hex(own)}`;
}

/** Any mail (Gmail, IMAP, mbox, Maildir, .eml): `mail:<Message-ID>`. */
export const mailItemId = (messageId: string) => itemId('mail', '', messageId);
/** An item of a signed generic webhook: `webhook:<source>:<id>`. */
export const webhookItemId = (source: string, id: string) => itemId('webhook', `${name('webhook source', source)}:`, id);
/** A calendar event, at a start time when given (a moved meeting is then a new item): `calendar:<eventId>[:<ms>]`. */
export const calendarItemId = (eventId: string, startMs?: number) =>
  itemId('calendar', '', startMs === undefined ? eventId : `${eventId}:${startMs}`);
/** An item a plugin feeds: `plugin:<name>:<id>`. */
export const pluginItemId = (plugin: string, id: string) => itemId('plugin', `${name('plugin name', plugin)}:`, id);

export interface ParsedContextId {
  kind: ContextIdKind;
  /** The webhook source or plugin name. */
  scope?: string;
}

/** What kind an ID says its item is; undefined for an ID none of the builders above makes. */
export function parseContextItemId(id: string): ParsedContextId | undefined {
  const m = /^(mail|webhook|calendar|plugin)(?:#sha256)?:([\s\S]+)$/.exec(id);
  if (!m) return undefined;
  const kind = m[1] as ContextIdKind;
  if (kind !== 'webhook' && kind !== 'plugin') return { kind };
  const colon = m[2]!.indexOf(':');
  const scope = m[2]!.slice(0, colon);
  return colon > 0 && colon < m[2]!.length - 1 && NAME.test(scope) ? { kind, scope } : undefined;
}

/** User IDs are validated elsewhere; escaping `%` and `:` keeps the ID unambiguous whatever they hold. */
const userPart = (userId: string) => userId.replace(/[%:]/g, (c) => encodeURIComponent(c));

/** One feed item of one user: `feed:<userId>:<contextId>`, so two users who get the same mail both hear of it. */
export function feedWorkflowId(userId: string, contextId: string): string {
  const id = `feed:${userPart(userId)}:${contextId}`;
  return id.length <= WORKFLOW_ID_MAX ? id : `feed${HASHED}:${sha256Hex(`${userId}\n${contextId}`)}`;
}
/** The notification a feed item raised, once per user (notification IDs are unique across users). */
export const feedNotificationId = feedWorkflowId;

/** The follow-up watching one mail thread: `follow-up:<userId>:<threadId>`, a long thread ID hashed like item IDs. */
export const followUpWorkflowId = (userId: string, threadId: string) =>
  `follow-up:${userPart(userId)}:${threadId.length <= 100 ? threadId : `${HASHED.slice(1)}:${sha256Hex(threadId)}`}`;
