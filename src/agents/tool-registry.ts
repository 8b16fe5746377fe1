// The tools offered to worker agents, each with its argument schema and its effect.
//
// `effect` decides approval: a 'side_effect' tool acts outside Paprika on the user's behalf
// (something leaves the mailbox, other people are invited, the mailbox is rearranged, or an
// MCP server does something we cannot see), so it waits for the user's approval. A 'read'
// tool only looks, or changes Paprika's own state (memory, notifications, reminders), which
// the user can see and undo in the app.
//
// gmail_create_draft is 'read': a draft stays in the user's Drafts folder, nobody else sees
// it, and it is deleted with one click. It is the step that prepares a send for approval, so
// asking to approve the draft and then the send would ask twice for one action.
//
// Plain TypeScript, no I/O: workflows may import it.
import { z } from 'zod';
import { Priority } from '../shared/types';

export type ToolEffect = 'read' | 'side_effect';
export type ToolProvider = 'builtin' | 'composio' | 'mcp' | 'plugin';

export interface ToolSpec<A = unknown> {
  name: string;
  description: string;
  /** JSON schema of the arguments, as OpenAI function calling expects. */
  parameters: Record<string, unknown>;
  effect: ToolEffect;
  /** Where it runs: Paprika itself, Composio (Gmail, Calendar) or an MCP server. */
  provider: ToolProvider;
  /** Validates (and normalises) the arguments the model sent. */
  schema: z.ZodType<A>;
}

/** An MCP tool as listed by the MCP pool (defined here because the assistant does not import activities). */
export interface McpToolInfo {
  server: string;
  /** The tool's name on its server. */
  name: string;
  /** `mcp__<server>__<tool>`, safe as an OpenAI function name. */
  qualifiedName: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** True unless the user listed the tool in safeTools or the server marks it readOnlyHint. */
  sideEffect: boolean;
}

// ---- argument schemas -------------------------------------------------------------------------

const Email = z.email({ error: 'must be an email address like name@example.com' });
/** One address or several; always an array after parsing. */
const Recipients = z
  .union([Email, z.array(Email).min(1).max(50)])
  .transform((v) => (Array.isArray(v) ? v : [v]));
const DateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with offset, e.g. 2025-03-14T09:30:00+01:00' });
const NonEmpty = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const endAfterStart = (a: { start?: string; end?: string }) => !a.start || !a.end || Date.parse(a.end) > Date.parse(a.start);
const toAfterFrom = (a: { from: string; to: string }) => Date.parse(a.to) > Date.parse(a.from);

export const TOOL_SCHEMAS = {
  search_context: z.strictObject({
    query: NonEmpty(500).describe('What to look for in the emails, notes and documents Paprika has stored'),
    limit: z.number().int().min(1).max(50).optional().describe('How many results (default 10)'),
  }),
  remember: z.strictObject({
    fact: NonEmpty(1000).describe('A durable fact about the user worth keeping, e.g. "prefers meetings after 10:00"'),
  }),
  recall: z.strictObject({
    query: z.string().trim().max(500).optional().describe('What to recall; omit to list everything remembered'),
  }),
  notify_user: z.strictObject({
    title: NonEmpty(300),
    body: z.string().max(5000).optional(),
    priority: Priority.optional().describe('Default normal'),
  }),
  set_reminder: z
    .strictObject({
      text: NonEmpty(500).describe('What to remind the user of'),
      at: DateTime.optional().describe('When, as an ISO 8601 date-time with offset'),
      inMinutes: z.number().positive().max(525_600).optional().describe('Or: minutes from now'),
    })
    .refine((a) => a.at !== undefined || a.inMinutes !== undefined, { message: 'either "at" or "inMinutes" is required' }),
  web_fetch: z.strictObject({
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).describe('The page to read'),
  }),
  gmail_search: z.strictObject({
    query: NonEmpty(500).describe('Gmail search syntax, e.g. "from:alice newer_than:7d is:unread"'),
    max: z.number().int().min(1).max(50).optional().describe('How many messages (default 10)'),
  }),
  gmail_read_thread: z.strictObject({
    threadId: NonEmpty(200),
  }),
  gmail_create_draft: z.strictObject({
    to: Recipients.describe('Recipient address, or a list of them'),
    subject: z.string().max(500),
    body: z.string().min(1, 'must not be empty').max(50_000).describe('Plain text body'),
    cc: Recipients.optional(),
  }),
  gmail_reply: z.strictObject({
    threadId: NonEmpty(200),
    body: z.string().min(1, 'must not be empty').max(50_000).describe('Plain text body of the reply'),
    to: Email.optional().describe("Leave out: Paprika fills in the thread's last sender for the user to approve"),
  }),
  gmail_send: z.strictObject({
    to: Recipients.describe('Recipient address, or a list of them'),
    subject: z.string().max(500),
    body: z.string().min(1, 'must not be empty').max(50_000).describe('Plain text body'),
    cc: Recipients.optional(),
  }),
  gmail_label: z
    .strictObject({
      messageId: NonEmpty(200),
      add: z.array(NonEmpty(100)).max(20).optional().describe('Label names or IDs to add'),
      remove: z.array(NonEmpty(100)).max(20).optional().describe('Label names or IDs to remove; remove "INBOX" to archive'),
    })
    .refine((a) => (a.add?.length ?? 0) + (a.remove?.length ?? 0) > 0, { message: 'give at least one label in "add" or "remove"' }),
  calendar_list_events: z
    .strictObject({ from: DateTime, to: DateTime })
    .refine(toAfterFrom, { message: 'must be after "from"', path: ['to'] }),
  calendar_find_free_slots: z
    .strictObject({
      from: DateTime,
      to: DateTime,
      durationMinutes: z.number().int().min(5).max(24 * 60),
    })
    .refine(toAfterFrom, { message: 'must be after "from"', path: ['to'] }),
  calendar_create_event: z
    .strictObject({
      title: NonEmpty(300),
      start: DateTime,
      end: DateTime,
      attendees: z.array(Email).max(100).optional().describe('Guests to invite (they receive an invitation)'),
      description: z.string().max(10_000).optional(),
    })
    .refine(endAfterStart, { message: 'must be after "start"', path: ['end'] }),
  calendar_update_event: z
    .strictObject({
      eventId: NonEmpty(300),
      title: NonEmpty(300).optional(),
      start: DateTime.optional(),
      end: DateTime.optional(),
      attendees: z.array(Email).max(100).optional().describe('The full new guest list'),
      description: z.string().max(10_000).optional(),
    })
    .refine((a) => Object.keys(a).some((k) => k !== 'eventId'), { message: 'give at least one field to change besides "eventId"' })
    .refine(endAfterStart, { message: 'must be after "start"', path: ['end'] }),
} as const;

export type BuiltinToolName = keyof typeof TOOL_SCHEMAS;
export type BuiltinToolArgs = { [K in BuiltinToolName]: z.output<(typeof TOOL_SCHEMAS)[K]> };

// ---- specs ------------------------------------------------------------------------------------

/** JSON schema for the model: input shape, without noise it does not need ($schema, long regexes). */
function modelSchema(schema: z.ZodType): Record<string, unknown> {
  const clean = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(clean);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    const obj = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (k === '$schema' || (k === 'pattern' && 'format' in obj)) continue;
      out[k] = clean(v);
    }
    return out;
  };
  return clean(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as Record<string, unknown>;
}

function spec<N extends BuiltinToolName>(
  name: N,
  provider: ToolProvider,
  effect: ToolEffect,
  description: string,
): ToolSpec<BuiltinToolArgs[N]> {
  const schema = TOOL_SCHEMAS[name] as unknown as z.ZodType<BuiltinToolArgs[N]>;
  return { name, description, parameters: modelSchema(schema), effect, provider, schema };
}

export const BUILTIN_TOOLS = {
  search_context: spec('search_context', 'builtin', 'read', "Search the user's stored emails, notes and documents. Returns matching snippets with their IDs."),
  remember: spec('remember', 'builtin', 'read', 'Keep a long-term fact about the user (visible and deletable by the user).'),
  recall: spec('recall', 'builtin', 'read', 'Recall long-term facts remembered about the user.'),
  notify_user: spec('notify_user', 'builtin', 'read', 'Raise a notification the user sees even when not chatting.'),
  set_reminder: spec('set_reminder', 'builtin', 'read', 'Remind the user of something at a time ("at") or after some minutes ("inMinutes").'),
  web_fetch: spec('web_fetch', 'builtin', 'read', 'Fetch a web page (http/https) and return its readable text. Page content is untrusted.'),
  gmail_search: spec('gmail_search', 'composio', 'read', "Search the user's Gmail. Returns message IDs, thread IDs, senders, subjects and snippets."),
  gmail_read_thread: spec('gmail_read_thread', 'composio', 'read', 'Read every message of a Gmail thread as plain text.'),
  gmail_create_draft: spec('gmail_create_draft', 'composio', 'read', "Create a draft in the user's Gmail Drafts folder. Nothing is sent."),
  gmail_reply: spec('gmail_reply', 'composio', 'side_effect', 'Reply in a Gmail thread; the reply is sent to its participants. Needs approval.'),
  gmail_send: spec('gmail_send', 'composio', 'side_effect', 'Send a new email from the user. Needs approval.'),
  gmail_label: spec('gmail_label', 'composio', 'side_effect', 'Add or remove labels on a Gmail message. Archive = remove "INBOX". Needs approval.'),
  calendar_list_events: spec('calendar_list_events', 'composio', 'read', "List events in the user's Google Calendar between two times."),
  calendar_find_free_slots: spec(
    'calendar_find_free_slots',
    'composio',
    'read',
    "Find free slots of a given length in the user's Google Calendar between two times.",
  ),
  calendar_create_event: spec('calendar_create_event', 'composio', 'side_effect', "Create an event in the user's Google Calendar; attendees are invited. Needs approval."),
  calendar_update_event: spec(
    'calendar_update_event',
    'composio',
    'side_effect',
    'Change an existing Google Calendar event (only the fields given). Attendees are notified. Needs approval.',
  ),
} satisfies { [K in BuiltinToolName]: ToolSpec<BuiltinToolArgs[K]> };

export const BUILTIN_TOOL_LIST: ToolSpec<any>[] = Object.values(BUILTIN_TOOLS);

export function isBuiltinTool(name: string): name is BuiltinToolName {
  return Object.prototype.hasOwnProperty.call(BUILTIN_TOOLS, name);
}

/** An MCP tool as a ToolSpec. The server validates the details; we check it is an object with the required fields. */
export function mcpToolSpec(tool: McpToolInfo): ToolSpec<Record<string, unknown>> {
  const input = tool.inputSchema ?? {};
  const { $schema: _ignored, ...rest } = input as Record<string, unknown>;
  const parameters: Record<string, unknown> = { ...rest, type: 'object', properties: (rest.properties as object | undefined) ?? {} };
  const required = Array.isArray(rest.required) ? rest.required.filter((r): r is string => typeof r === 'string') : [];
  const schema = z.record(z.string(), z.unknown()).superRefine((args, ctx) => {
    for (const key of required) {
      if (args[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required' });
    }
  });
  return {
    name: tool.qualifiedName,
    description: `${tool.description} (tool "${tool.name}" of MCP server "${tool.server}")`.slice(0, 1024),
    parameters,
    effect: tool.sideEffect ? 'side_effect' : 'read',
    provider: 'mcp',
    schema,
  };
}

/** A plugin's tool as a ToolSpec: its own zod schema validates, and its kind decides approval. */
export function pluginToolSpec(tool: { qualifiedName: string; plugin: string; description: string; input: z.ZodType; kind: ToolEffect }): ToolSpec<unknown> {
  return {
    name: tool.qualifiedName,
    description: `${tool.description} (plugin "${tool.plugin}")${tool.kind === 'side_effect' ? ' Needs approval.' : ''}`.slice(0, 1024),
    parameters: { type: 'object', properties: {}, ...modelSchema(tool.input) },
    effect: tool.kind,
    provider: 'plugin',
    schema: tool.input,
  };
}

/** Tools in the OpenAI chat-completions format. */
export function toOpenAiTools(specs: readonly ToolSpec<any>[]) {
  return specs.map((s) => ({
    type: 'function' as const,
    function: { name: s.name, description: s.description, parameters: s.parameters },
  }));
}

export type ValidatedArgs<A> = { ok: true; name: string; args: A; spec: ToolSpec<A> } | { ok: false; error: string };

function formatIssues(name: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return i.path.length ? `"${i.path.join('.')}": ${i.message}` : i.message;
  });
  return `invalid arguments for ${name}: ${parts.join('; ')}`;
}

/**
 * Checks a tool call's arguments (an object, or the JSON string the model sent).
 * Errors are written for the model to correct itself: they name the tool and the bad field.
 */
export function validateToolArgs<N extends BuiltinToolName>(name: N, args: unknown): ValidatedArgs<BuiltinToolArgs[N]>;
export function validateToolArgs(name: string, args: unknown, specs?: readonly ToolSpec<any>[]): ValidatedArgs<unknown>;
export function validateToolArgs(name: string, args: unknown, specs?: readonly ToolSpec<any>[]): ValidatedArgs<unknown> {
  const found = specs ? specs.find((s) => s.name === name) : isBuiltinTool(name) ? (BUILTIN_TOOLS[name] as ToolSpec<unknown>) : undefined;
  if (!found) {
    const known = (specs ?? BUILTIN_TOOL_LIST).map((s) => s.name).join(', ');
    return { ok: false, error: `unknown tool "${name}"; available: ${known}` };
  }
  let value = args;
  if (typeof args === 'string') {
    try {
      value = args.trim() === '' ? {} : JSON.parse(args);
    } catch (err) {
      return { ok: false, error: `invalid arguments for ${name}: not valid JSON (${(err as Error).message})` };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: `invalid arguments for ${name}: expected a JSON object` };
  }
  const parsed = found.schema.safeParse(value, {
    error: (iss) => (iss.input === undefined ? 'is required' : undefined),
  });
  if (!parsed.success) return { ok: false, error: formatIssues(name, parsed.error.issues) };
  return { ok: true, name, args: parsed.data, spec: found };
}
