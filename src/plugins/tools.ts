// Plugins' tools for the agents' toolbox: their specs under a name that cannot clash with a
// built-in or another plugin's tool, and a runner that turns whatever run() returns into text.
import { pluginToolSpec, type ToolSpec } from '../agents/tool-registry';
import type { PluginTool, PluginToolContext } from './define';
import type { LoadedPlugins } from './loader';

export const pluginToolName = (plugin: string, tool: string) => `${plugin.replace(/-/g, '_')}__${tool}`;

export interface PluginToolEntry {
  plugin: string;
  tool: PluginTool;
  spec: ToolSpec<unknown>;
}

export function pluginTools(loaded: LoadedPlugins): Map<string, PluginToolEntry> {
  const out = new Map<string, PluginToolEntry>();
  for (const { plugin } of loaded.plugins) {
    for (const tool of plugin.tools ?? []) {
      const qualifiedName = pluginToolName(plugin.name, tool.name);
      out.set(qualifiedName, { plugin: plugin.name, tool, spec: pluginToolSpec({ qualifiedName, plugin: plugin.name, description: tool.description, input: tool.input, kind: tool.kind }) });
    }
  }
  return out;
}

/** Runs a plugin tool; a throw is an answer the agent sees (ok: false), not a retried failure. */
export async function runPluginTool(entry: PluginToolEntry, args: unknown, ctx: PluginToolContext): Promise<{ ok: boolean; text: string }> {
  try {
    const result = await entry.tool.run(args, ctx);
    const text = typeof result === 'string' ? result : result === undefined ? 'done' : JSON.stringify(result);
    return { ok: true, text: text.length > 8000 ? `${text.slice(0, 8000)}…(truncated)` : text };
  } catch (err) {
    return { ok: false, text: `error: plugin ${entry.plugin}: ${(err as Error)?.message ?? String(err)}` };
  }
}
