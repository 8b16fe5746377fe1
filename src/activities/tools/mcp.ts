// MCP tools: every configured server's tools, offered to the agents through one pool of
// connections that lives as long as the worker (a stdio server is spawned once, not per call).
import type { Config } from '../../config';
import { mcpToolSpec, type ToolSpec } from '../../agents/tool-registry';
import { McpPool } from '../../integrations/mcp';
import type { ToolOutcome, ToolRunContext } from './types';

export function createMcpTools(config: Config) {
  const pool = config.mcpServers.length ? new McpPool(config.mcpServers, { callTimeoutMs: config.limits.webFetchTimeoutSeconds * 4000 }) : undefined;

  return {
    /** Specs of every server that answers; one failing server does not hide the others' tools. */
    async specs(): Promise<ToolSpec<Record<string, unknown>>[]> {
      if (!pool) return [];
      const { tools, errors } = await pool.listToolsDetailed();
      for (const e of errors) console.warn(`MCP server ${e.server} is unavailable: ${e.message}`);
      return tools.map(mcpToolSpec);
    },
    async run(qualifiedName: string, args: Record<string, unknown>, ctx: ToolRunContext): Promise<ToolOutcome> {
      if (!pool) return { ok: false, text: 'error: no MCP servers are configured' };
      const res = await pool.callTool(qualifiedName, args, { signal: ctx.signal });
      return { ok: !res.isError, text: res.isError ? `error: ${res.text}` : res.text };
    },
    close: () => pool?.close() ?? Promise.resolve(),
  };
}
