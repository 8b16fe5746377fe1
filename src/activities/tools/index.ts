// The toolbox agents use: the registry's specs (read or side_effect) for the tools that are
// configured, argument validation, and one runner per tool, each behind its module (builtin,
// Gmail/Calendar via Composio, MCP).
import type { Config } from '../../config';
import { BUILTIN_TOOL_LIST, isBuiltinTool, type ToolSpec, type ValidatedArgs, validateToolArgs } from '../../agents/tool-registry';
import type { Store } from '../../store';
import { loadPlugins } from '../../plugins';
import { recordPluginProblem } from '../../plugins/health';
import { pluginTools, runPluginTool } from '../../plugins/tools';
import { createBuiltinTools } from './builtin';
import { createGoogleTools } from './google';
import { createMcpTools } from './mcp';
import type { ToolOutcome, ToolRunContext, ToolRunner } from './types';

export type { ToolOutcome, ToolRunContext } from './types';

export interface Toolbox {
  /** The tools an agent of this user is offered now. */
  specs(userId: string): Promise<ToolSpec<any>[]>;
  validate(userId: string, name: string, args: unknown): Promise<ValidatedArgs<unknown>>;
  /** Runs validated arguments. Throws only on infrastructure failure. */
  run(name: string, args: unknown, ctx: ToolRunContext): Promise<ToolOutcome>;
  /** A reply's recipient and subject, for its approval preview. */
  replyContext(userId: string, threadId: string, signal?: AbortSignal): Promise<{ to?: string; subject?: string }>;
  close(): Promise<void>;
}

export function createToolbox(config: Config, store: Store): Toolbox {
  const builtin = createBuiltinTools(config, store);
  const google = createGoogleTools(config);
  const mcp = createMcpTools(config);
  const runners: Record<string, ToolRunner> = { ...builtin, ...google.runners };
  // A Composio tool is offered only when its toolkit's version is pinned too, or every call would fail.
  const toolkitReady = (tool: string) =>
    Boolean(config.composio.apiKey && config.composio.toolkitVersions[tool.startsWith('calendar_') ? 'googlecalendar' : 'gmail']);
  const builtinSpecs = BUILTIN_TOOL_LIST.filter((s) => s.provider === 'builtin' || (s.provider === 'composio' && toolkitReady(s.name)));
  const plugins = async () => pluginTools(await loadPlugins(config));
  const specs = async (): Promise<ToolSpec<any>[]> => [...builtinSpecs, ...[...(await plugins()).values()].map((t) => t.spec), ...(await mcp.specs())];

  return {
    specs: () => specs(),
    async validate(_userId, name, args) {
      // Listing MCP servers is I/O (and may wait on a slow one): only MCP tool names need it.
      return validateToolArgs(name, args, isBuiltinTool(name) && builtinSpecs.some((s) => s.name === name) ? builtinSpecs : await specs());
    },
    async run(name, args, ctx) {
      const runner = runners[name];
      if (runner) return runner(args, ctx);
      const plugin = (await plugins()).get(name);
      if (plugin) {
        const outcome = await runPluginTool(plugin, args, ctx);
        if (!outcome.ok) await recordPluginProblem(store, plugin.plugin, `tool ${plugin.tool.name} failed: ${outcome.text}`);
        return outcome;
      }
      return mcp.run(name, args as Record<string, unknown>, ctx);
    },
    replyContext: (userId, threadId, signal) => google.replyContext(userId, threadId, signal),
    close: () => mcp.close(),
  };
}
