// The fake's state and the types its resources share.
import { randomBytes, randomUUID } from 'node:crypto';

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

/** What each resource's routes read and change. */
export interface FakeContext {
  state: FakeComposioState;
  executed: Execution[];
  handlers: Map<string, ToolHandler>;
  toolkitVersion: string;
  /** The fake's own base URL, known once it listens. */
  url: string;
}

/** A resource's answer, or undefined when the request is not for it. */
export type RouteResult = [number, unknown] | undefined;

export const now = () => new Date().toISOString();
export const nano = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;
export const gmailId = () => randomBytes(8).toString('hex');
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
export const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? v.split(',').map((s) => s.trim()) : [];

export function toolkitOfSlug(slug: string): string {
  return slug.split('_')[0]!.toLowerCase();
}

/** Composio's error body. */
export function error(status: number, message: string, slug: string) {
  return { error: { message, code: status * 10, slug, status, request_id: randomUUID(), suggested_fix: '' } };
}
