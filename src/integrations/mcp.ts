// The one place that talks MCP. A pool keeps one client connection per configured server,
// opened on first use and reused, because spawning a stdio server per call is slow and
// loses the server's own state. The pool lives as long as the worker process.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../config';
import type { McpToolInfo } from '../agents/tool-registry';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** The shape is the registry's (the assistant side cannot import activities). */
export type McpTool = McpToolInfo;

export interface McpCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface McpCallResult {
  text: string;
  isError: boolean;
}

export interface McpPoolOptions {
  /** How long opening a connection (spawn + initialize) may take. npx may download first. */
  connectTimeoutMs?: number;
  /** Default per-call timeout. */
  callTimeoutMs?: number;
}

export const MCP_TOOL_PREFIX = 'mcp__';
export const MCP_RESULT_MAX_CHARS = 20_000;
const OPENAI_NAME_MAX = 64;

interface Connection {
  client: Client;
  transport: StdioClientTransport | StreamableHTTPClientTransport;
  alive: boolean;
  tools?: Promise<McpTool[]>;
  stderrTail: string;
}

function describeError(err: unknown): string {
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) return `timed out (${err.message})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * The server never ran the request, so sending it again cannot run anything twice: the stdio
 * child was gone before we wrote, or an HTTP server no longer knows our session (404).
 */
function neverSent(err: unknown): boolean {
  if (err instanceof StreamableHTTPError) return err.code === 404;
  return err instanceof Error && /not connected/i.test(err.message);
}

function connectionDropped(err: unknown): boolean {
  return err instanceof McpError && err.code === ErrorCode.ConnectionClosed;
}

export function qualifyToolName(server: string, tool: string): string {
  return `${MCP_TOOL_PREFIX}${server}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, OPENAI_NAME_MAX);
}

/** Concatenates the text of a tool result; other content is named, never inlined. */
export function resultText(result: Record<string, unknown>): string {
  const parts: string[] = [];
  const content = Array.isArray(result.content) ? (result.content as Record<string, unknown>[]) : [];
  for (const item of content) {
    switch (item.type) {
      case 'text':
        parts.push(String(item.text ?? ''));
        break;
      case 'resource': {
        const res = (item.resource ?? {}) as Record<string, unknown>;
        parts.push(typeof res.text === 'string' ? res.text : `[resource ${String(res.uri ?? '')} omitted]`);
        break;
      }
      case 'resource_link':
        parts.push(`[resource link: ${String(item.uri ?? '')}]`);
        break;
      default:
        parts.push(`[${String(item.type)}${item.mimeType ? ` ${String(item.mimeType)}` : ''} omitted]`);
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  if (parts.length === 0 && result.toolResult !== undefined) parts.push(JSON.stringify(result.toolResult));
  const text = parts.join('\n');
  if (text.length <= MCP_RESULT_MAX_CHARS) return text;
  return `${text.slice(0, MCP_RESULT_MAX_CHARS)}\n[… truncated, ${text.length - MCP_RESULT_MAX_CHARS} more characters]`;
}

// ---- stopping a stdio server's process tree -------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** A zombie (killed, not yet reaped by its parent) counts as dead: it runs nothing any more. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** pid → parent pid of every process, from /proc on Linux and `ps` elsewhere. */
async function parentPids(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  if (process.platform === 'linux') {
    for (const entry of await readdir('/proc').catch(() => [] as string[])) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      // The command name may contain spaces and parentheses; fields after the last ")" are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (Number.isInteger(ppid)) parents.set(Number(entry), ppid);
    }
    return parents;
  }
  const out = await new Promise<string>((resolve) => execFile('ps', ['-A', '-o', 'pid=,ppid='], (err, stdout) => resolve(err ? '' : stdout)));
  for (const line of out.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (Number.isInteger(pid) && Number.isInteger(ppid)) parents.set(pid!, ppid!);
  }
  return parents;
}

/** The process and all its descendants, root first. */
async function processTree(root: number): Promise<number[]> {
  const parents = await parentPids();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  }
  return tree;
}

/** Gives a polite shutdown (stdin closed) a moment, then SIGTERM, then SIGKILL to whatever is left. */
async function stopProcesses(pids: number[], politeExit: Promise<unknown>): Promise<void> {
  const allDead = async (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (!pids.some(isAlive)) return true;
      await sleep(50);
    }
    return !pids.some(isAlive);
  };
  await Promise.race([politeExit, sleep(1000)]);
  if (await allDead(500)) return;
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    if (await allDead(1500)) return;
  }
}

export class McpPool {
  private readonly servers = new Map<string, McpServerConfig>();
  private readonly connections = new Map<string, Promise<Connection>>();
  private closed = false;

  constructor(
    servers: McpServerConfig[],
    private readonly options: McpPoolOptions = {},
  ) {
    for (const s of servers) {
      if (this.servers.has(s.name)) throw new Error(`MCP server "${s.name}" is configured twice`);
      this.servers.set(s.name, s);
    }
  }

  get serverNames(): string[] {
    return [...this.servers.keys()];
  }

  /** Tools of every server that answers; servers that fail are left out and reported in `errors`. */
  async listToolsDetailed(): Promise<{ tools: McpTool[]; errors: { server: string; message: string }[] }> {
    const results = await Promise.allSettled(this.serverNames.map((name) => this.toolsOf(name)));
    const tools: McpTool[] = [];
    const errors: { server: string; message: string }[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') tools.push(...r.value);
      else errors.push({ server: this.serverNames[i]!, message: describeError(r.reason) });
    });
    return { tools, errors };
  }

  async listTools(): Promise<McpTool[]> {
    return (await this.listToolsDetailed()).tools;
  }

  async callTool(qualifiedName: string, args: Record<string, unknown>, opts: McpCallOptions = {}): Promise<McpCallResult> {
    const server = this.serverOf(qualifiedName);
    if (!server) {
      throw new Error(`Unknown MCP tool "${qualifiedName}": no configured MCP server matches (servers: ${this.serverNames.join(', ') || 'none'})`);
    }
    const tools = await this.toolsOf(server);
    const tool = tools.find((t) => t.qualifiedName === qualifiedName);
    if (!tool) {
      throw new Error(
        `MCP server "${server}" has no tool "${qualifiedName.slice(MCP_TOOL_PREFIX.length + server.length + 2)}" (it offers: ${tools.map((t) => t.name).join(', ') || 'nothing'})`,
      );
    }
    const label = `MCP server "${server}", tool "${tool.name}"`;
    const timeout = opts.timeoutMs ?? this.options.callTimeoutMs ?? 60_000;
    const attempt = async (conn: Connection) => {
      const result = await conn.client.callTool({ name: tool.name, arguments: args }, undefined, {
        signal: opts.signal,
        timeout,
        maxTotalTimeout: timeout,
      });
      return { text: resultText(result as Record<string, unknown>), isError: result.isError === true };
    };
    let conn = await this.connection(server);
    try {
      return await attempt(conn);
    } catch (err) {
      // Retry once on a fresh connection only when that cannot run the tool twice: the request
      // never left, or the tool only reads.
      if (neverSent(err) || (connectionDropped(err) && !tool.sideEffect)) {
        conn.alive = false;
        try {
          conn = await this.connection(server);
          return await attempt(conn);
        } catch (retryErr) {
          throw new Error(`${label}: ${describeError(retryErr)}`, { cause: retryErr });
        }
      }
      if (opts.signal?.aborted) throw new Error(`${label}: cancelled`, { cause: err });
      if (connectionDropped(err)) {
        throw new Error(`${label}: the connection closed during the call; the tool may or may not have run`, { cause: err });
      }
      throw new Error(`${label}: ${describeError(err)}`, { cause: err });
    }
  }

  /** Closes every connection; stdio servers are stopped (stdin closed, then SIGTERM, then SIGKILL). */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      pending.map(async (p) => {
        const conn = await p.catch(() => undefined);
        if (!conn) return;
        conn.alive = false;
        if (conn.transport instanceof StreamableHTTPClientTransport) {
          await conn.transport.terminateSession().catch(() => undefined);
          await conn.client.close().catch(() => undefined);
          return;
        }
        // `npx tsx server.ts` is a chain of processes; signalling only the first one orphans the
        // server itself, so the whole tree is stopped.
        const pid = conn.transport.pid;
        const tree = pid === null ? [] : await processTree(pid);
        const closing = conn.client.close().catch(() => undefined);
        await stopProcesses(tree, closing);
        await closing;
      }),
    );
  }

  /** The longest configured server name that prefixes the qualified name (names may contain "__"). */
  private serverOf(qualifiedName: string): string | undefined {
    let best: string | undefined;
    for (const name of this.servers.keys()) {
      if (qualifiedName.startsWith(`${MCP_TOOL_PREFIX}${name}__`) && (!best || name.length > best.length)) best = name;
    }
    return best;
  }

  private async toolsOf(server: string): Promise<McpTool[]> {
    const conn = await this.connection(server);
    conn.tools ??= this.fetchTools(server, conn).catch((err) => {
      conn.tools = undefined;
      throw err;
    });
    return conn.tools;
  }

  private async fetchTools(server: string, conn: Connection): Promise<McpTool[]> {
    const cfg = this.servers.get(server)!;
    const tools: McpTool[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    try {
      do {
        const page = await conn.client.listTools(cursor ? { cursor } : undefined, { timeout: this.options.callTimeoutMs ?? 60_000 });
        for (const t of page.tools) {
          const qualifiedName = qualifyToolName(server, t.name);
          if (seen.has(qualifiedName)) continue; // two names that sanitise alike: keep the first
          seen.add(qualifiedName);
          tools.push({
            server,
            name: t.name,
            qualifiedName,
            description: t.description ?? t.annotations?.title ?? t.title ?? t.name,
            inputSchema: t.inputSchema as Record<string, unknown>,
            sideEffect: !(cfg.safeTools.includes(t.name) || t.annotations?.readOnlyHint === true),
          });
        }
        cursor = page.nextCursor;
      } while (cursor);
    } catch (err) {
      throw new Error(`MCP server "${server}": listing tools failed: ${describeError(err)}`, { cause: err });
    }
    return tools;
  }

  /** The live connection to a server, opening (or reopening) it when needed. */
  private async connection(server: string): Promise<Connection> {
    const current = this.connections.get(server);
    if (current) {
      const conn = await current.catch(() => undefined);
      if (conn?.alive) return conn;
      conn?.client.close().catch(() => undefined);
      // Only the first caller to see the dead connection replaces it; the rest share the new one.
      if (this.connections.get(server) === current) this.connections.delete(server);
    }
    let next = this.connections.get(server);
    if (!next) {
      next = this.open(server);
      this.connections.set(server, next);
    }
    return next;
  }

  private async open(server: string): Promise<Connection> {
    if (this.closed) throw new Error(`MCP server "${server}": the pool is closed`);
    const cfg = this.servers.get(server);
    if (!cfg) throw new Error(`MCP server "${server}" is not configured`);
    const transport =
      'command' in cfg
        ? // The SDK passes only a safe default environment (PATH, HOME, …) plus cfg.env, so our
          // own secrets do not leak into the child.
          new StdioClientTransport({ command: cfg.command, args: cfg.args, env: cfg.env, stderr: 'pipe' })
        : new StreamableHTTPClientTransport(new URL(cfg.url), { requestInit: { headers: cfg.headers } });
    const client = new Client({ name: 'paprika', version: '0.1.0' }, { capabilities: {} });
    const conn: Connection = { client, transport, alive: true, stderrTail: '' };
    if (transport instanceof StdioClientTransport) {
      // Drained so a chatty server never blocks on a full pipe; the tail explains failures.
      transport.stderr?.on('data', (chunk: Buffer) => {
        conn.stderrTail = (conn.stderrTail + chunk.toString('utf8')).slice(-2000);
      });
    }
    client.onclose = () => {
      conn.alive = false;
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      conn.tools = undefined;
    });
    try {
      await client.connect(transport, { timeout: this.options.connectTimeoutMs ?? 30_000 });
    } catch (err) {
      conn.alive = false;
      await client.close().catch(() => undefined);
      const lastLine = conn.stderrTail.trim().split('\n').pop()?.slice(0, 300);
      throw new Error(`MCP server "${server}": could not connect: ${describeError(err)}${lastLine ? ` (stderr: ${lastLine})` : ''}`, {
        cause: err,
      });
    }
    return conn;
  }
}
