// Types and zod schemas shared by workflows, activities, the store and the server.
// No I/O here: this file is imported by workflow code.
import { z } from 'zod';
import { Provenance, SCHEDULE, USER } from './provenance';

/** Priority of an event or notification; `ignore` is filed but never shown. */
export const PRIORITIES = ['urgent', 'high', 'normal', 'low', 'ignore'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

/** Lower rank is handled first. User messages outrank everything. */
export function priorityRank(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

export const EVENT_KINDS = ['user_message', 'feed', 'tool_result', 'reminder', 'system'] as const;
export const EventKind = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKind>;

/**
 * Everything that reaches the assistant workflow is an AssistantEvent.
 * `id` is the dedupe key: an event whose id was already seen is dropped.
 */
export const AssistantEvent = z.object({
  id: z.string().min(1).max(200),
  kind: EventKind,
  priority: Priority.default('normal'),
  /** Short text the model sees (a distilled summary, a user message, a tool result). */
  text: z.string().max(20_000),
  source: z.string().max(100).optional(),
  /** For tool results: the call this answers. */
  callId: z.string().max(200).optional(),
  /** For tool results. */
  status: z.enum(['completed', 'failed', 'cancelled']).optional(),
  /** Reference into the context store for big content (travels by ID). */
  ref: z.string().max(300).optional(),
  at: z.string(),
  /** Where it came from; events recorded before provenance existed have none (see provenanceOf). */
  provenance: Provenance.optional(),
});
export type AssistantEvent = z.infer<typeof AssistantEvent>;
export type AssistantEventInput = z.input<typeof AssistantEvent>;

/**
 * What the `event` signal accepts. Anything that can reach Temporal can send it, so it can never
 * speak as the user: user messages enter only through the chat update, which the API sends for an
 * authenticated user.
 */
export const SignalledEvent = AssistantEvent.refine((e) => e.kind !== 'user_message', {
  message: 'user messages are accepted only through the chat update',
  path: ['kind'],
}).refine((e) => e.provenance?.origin !== 'user', {
  message: 'an event cannot claim to come from the user',
  path: ['provenance', 'origin'],
});

/**
 * The provenance of an event. Old events carry none: user messages were the user's, reminders
 * the user's schedule, and everything else (feed items, tool results, approvals relayed by an
 * agent) is treated as untrusted, which errs on the side of asking.
 */
export function provenanceOf(e: Pick<AssistantEvent, 'kind' | 'provenance' | 'source'>): Provenance {
  if (e.kind === 'user_message') return USER;
  if (e.provenance) return e.provenance;
  if (e.kind === 'reminder') return SCHEDULE;
  // The assistant's own notes to itself (a failed instant call) quote nothing from outside.
  if (e.kind === 'system' && e.source === 'assistant') return SCHEDULE;
  return { origin: 'untrusted', sources: [] };
}

export const NotificationInput = z.object({
  title: z.string().min(1).max(300),
  body: z.string().max(5000).default(''),
  priority: Priority.default('normal'),
  source: z.string().max(100).optional(),
  ref: z.string().max(300).optional(),
});
export type NotificationInput = z.infer<typeof NotificationInput>;

/** A notification as stored and served. */
export interface Notification extends NotificationInput {
  id: string;
  userId: string;
  createdAt: string;
  read: boolean;
}

/**
 * A notification as GET /api/notifications serves it: when its ref is an item still in the context
 * store, `item` says what kind and who sent it, so the page can offer to forget the item or sender.
 */
export interface NotificationView extends Notification {
  item?: { kind: 'email' | 'event' | 'webhook' | 'note'; sender?: string };
}

export type MessageRole = 'user' | 'assistant';
export interface TranscriptMessage {
  id: string;
  userId: string;
  role: MessageRole;
  text: string;
  createdAt: string;
}

export const TOOL_NAMES = ['delegate_task', 'set_reminder', 'notify_user', 'wait'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface ToolCall {
  /** Unique per user; becomes part of the child workflow ID. */
  callId: string;
  name: string;
  args: Record<string, unknown>;
}

export type TaskStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** A tool call as the user sees it in /api/tasks. */
export interface TaskRecord {
  id: string; // the callId
  userId: string;
  tool: string;
  title: string;
  status: TaskStatus;
  workflowId?: string;
  result?: string;
  progress?: string;
  startedAt: string;
  finishedAt?: string;
}

/** What the server pushes on /api/stream. */
export type StreamEvent =
  | { type: 'message'; data: TranscriptMessage }
  | { type: 'notification'; data: Notification }
  | { type: 'task'; data: TaskRecord };
