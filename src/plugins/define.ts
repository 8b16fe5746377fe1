// The plugin contract, importable by plugin authors as `paprika/plugin`. A plugin is a module in
// PAPRIKA_PLUGINS_DIR whose default export is `definePlugin({...})` (or the same plain object).
// `z` is re-exported so a plugin outside this package builds its tool schemas with Paprika's zod.
import { z } from 'zod';
import { PRIORITIES, type Priority } from '../shared/types';

export { z };
export type { Priority };

/** What a priority function sees of an incoming item. Its content is untrusted, like all mail. */
export interface PluginItem {
  /** gmail, imap, mbox, webhook:<name>, plugin:<name>… */
  source: string;
  /** Sender address, lower-case ('' when unknown). */
  from: string;
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, unknown>;
  /** ISO 8601. */
  receivedAt: string;
}

export interface PluginToolContext {
  userId: string;
  taskId: string;
  callId: string;
  /** Aborted when the task is cancelled or the worker stops. */
  signal: AbortSignal;
}

export interface PluginTool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  input: S;
  /** 'side_effect' waits for the user's approval before run() is called. */
  kind: 'read' | 'side_effect';
  /** Returns the answer the agent sees: a string, or anything JSON-serialisable. */
  run(args: z.output<S>, ctx: PluginToolContext): unknown | Promise<unknown>;
}

export interface PluginFeedItem {
  /** Stable ID within the feed: an item polled twice is fed once. */
  id: string;
  title: string;
  text?: string;
  priority?: Priority;
  url?: string;
}

export interface PluginFeedContext {
  userId: string;
  signal: AbortSignal;
}

export interface PluginFeed {
  name: string;
  /** How often to poll, as a Temporal duration: '5 minutes', '1 hour', '30s'. */
  every: string;
  poll(ctx: PluginFeedContext): PluginFeedItem[] | Promise<PluginFeedItem[]>;
}

export interface Plugin {
  name: string;
  /** A priority for the item, or undefined to leave it to the next plugin and the built-in rules. */
  priority?(item: PluginItem): Priority | undefined | Promise<Priority | undefined>;
  tools?: PluginTool<any>[];
  feeds?: PluginFeed[];
}

/** An identity helper: it only gives a plugin's object its type. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}

const Name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, _ and - (at most 40), starting with a letter or digit');
const fn = (what: string) => z.custom<(...a: any[]) => unknown>((v) => typeof v === 'function', `must be a function (${what})`);
// Duck-typed: a schema from another copy of zod is still a schema.
const ZodSchema = z.custom<z.ZodType>((v) => !!v && typeof (v as { safeParse?: unknown }).safeParse === 'function', 'must be a zod schema');

const ToolShape = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _ (at most 40), starting with a letter'),
  description: z.string().min(1).max(1000),
  input: ZodSchema,
  kind: z.enum(['read', 'side_effect']),
  run: fn('run(args, ctx)'),
});

const FeedShape = z.object({
  name: Name,
  every: z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d|seconds?|minutes?|hours?|days?)$/i, "a duration such as '30 seconds', '5 minutes' or '1h'"),
  poll: fn('poll(ctx)'),
});

export const PluginShape = z.object({
  name: Name,
  priority: fn('priority(item)').optional(),
  tools: z.array(ToolShape).max(50).optional(),
  feeds: z.array(FeedShape).max(20).optional(),
});

/** Checks a module's default export; the error names the file and every bad field. */
export function validatePlugin(file: string, value: unknown): { ok: true; plugin: Plugin } | { ok: false; error: string } {
  if (value === undefined) return { ok: false, error: `${file}: no default export (export default definePlugin({ name, ... }))` };
  const parsed = PluginShape.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(default export)'}: ${i.message}`);
    return { ok: false, error: `${file}: not a valid plugin: ${issues.join('; ')}` };
  }
  const names = (parsed.data.tools ?? []).map((t) => t.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) return { ok: false, error: `${file}: two tools are named "${dup}"` };
  // The parsed copy drops unknown keys only; functions and schemas are the plugin's own.
  return { ok: true, plugin: value as Plugin };
}

export const isPriority = (v: unknown): v is Priority => typeof v === 'string' && (PRIORITIES as readonly string[]).includes(v);
