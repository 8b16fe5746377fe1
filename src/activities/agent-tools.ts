// The tools a task agent may call, and how each runs. The agent sees errors as text so it can
// correct itself; only infrastructure failures throw (and are retried by Temporal).
import { z } from 'zod';
import type { Config } from '../config';
import { NotificationInput } from '../shared/types';
import type { Store } from '../store';
import { parseArguments, type ModelTool } from './model';
import { webFetch } from './web-fetch';

interface ToolDef<A> {
  description: string;
  schema: z.ZodType<A>;
  run(args: A, ctx: { userId: string; taskId: string; callId: string }): Promise<string>;
}

export interface AgentToolbox {
  forModel(): ModelTool[];
  execute(input: { userId: string; taskId: string; callId: string; name: string; arguments: string }): Promise<string>;
}

export function createAgentToolbox(config: Config, store: Store): AgentToolbox {
  const tools: Record<string, ToolDef<any>> = {
    web_fetch: {
      description: 'Fetch a web page (http/https) and return its readable text.',
      schema: z.object({ url: z.string().url() }),
      async run({ url }: { url: string }) {
        const page = await webFetch(url, {
          maxBytes: config.limits.webFetchMaxBytes,
          timeoutMs: config.limits.webFetchTimeoutSeconds * 1000,
          allowPrivateNetwork: config.limits.webFetchAllowPrivate,
        });
        return `${page.status} ${page.contentType}${page.truncated ? ' (truncated)' : ''}\n${page.text}`;
      },
    } satisfies ToolDef<{ url: string }>,
    notify_user: {
      description: 'Tell the user something now, as a notification.',
      schema: NotificationInput,
      async run(args: NotificationInput, ctx) {
        store.notifications.add(`${ctx.taskId}:${ctx.callId}`, ctx.userId, { ...args, source: 'task', ref: `task:${ctx.taskId}` });
        return 'notified';
      },
    } satisfies ToolDef<NotificationInput>,
  };

  return {
    forModel: () =>
      Object.entries(tools).map(([name, t]) => ({
        type: 'function' as const,
        function: { name, description: t.description, parameters: z.toJSONSchema(t.schema, { io: 'input' }) as Record<string, unknown> },
      })),
    async execute({ userId, taskId, callId, name, arguments: raw }) {
      const tool = tools[name];
      if (!tool) return `error: unknown tool "${name}"; available: ${Object.keys(tools).join(', ')}`;
      const parsed = parseArguments(raw);
      if (!parsed.ok) return `error: ${parsed.error}`;
      const args = tool.schema.safeParse(parsed.args);
      if (!args.success) return `error: ${args.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}`;
      try {
        return await tool.run(args.data, { userId, taskId, callId });
      } catch (err) {
        return `error: ${(err as Error).message}`;
      }
    },
  };
}
