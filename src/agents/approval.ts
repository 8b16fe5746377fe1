// Approvals as plain logic: what the user is shown before a side effect (exactly what will happen),
// how an edit is merged into the proposed arguments, and when a request expires. No Temporal import;
// the shapes themselves are in src/shared/approval.ts.
import type { Approval, ApprovalPreview } from '../shared/approval';
import { clip } from '../shared/text';
import { describeProvenance, isTainted, type Provenance } from '../shared/provenance';

/** What an approval card says about where the action came from (legacy approvals say nothing). */
export function originLine(p: Provenance | undefined): string | undefined {
  if (!p) return undefined;
  if (isTainted(p)) return `Suggested by ${describeProvenance(p)}, not by you. Check it before approving.`;
  return p.origin === 'user' ? 'You asked for this.' : 'From something you scheduled.';
}

const PREVIEW_BODY_LIMIT = 4000;

const text = (v: unknown): string | undefined => {
  if (typeof v === 'string' && v.trim()) return v;
  if (Array.isArray(v) && v.length) return v.map(String).join(', ');
  return undefined;
};

const clipBody = (s: string | undefined): string | undefined => (s === undefined ? undefined : clip(s, PREVIEW_BODY_LIMIT));

const list = (v: unknown): string | undefined => {
  if (Array.isArray(v)) return v.length ? v.map(String).join(', ') : undefined;
  return text(v);
};

/**
 * The preview of one tool call (argument names as in src/agents/tool-registry.ts). The fields
 * are copied from the arguments that will be sent, never paraphrased, so what the user approves is
 * what happens. `context` adds what the arguments only point at (a reply's recipient and subject,
 * looked up from its thread).
 */
export function previewOf(tool: string, args: Record<string, unknown>, context: { to?: string; subject?: string } = {}): ApprovalPreview {
  switch (tool) {
    case 'gmail_send':
    case 'gmail_create_draft': {
      const to = list(args.to);
      const subject = text(args.subject);
      const verb = tool === 'gmail_send' ? 'Send an email' : 'Create a draft';
      return strip({
        kind: 'email',
        to,
        cc: list(args.cc),
        subject,
        body: clipBody(text(args.body) ?? ''),
        summary: `${verb} to ${to ?? '(no recipient)'}${subject ? `: "${subject}"` : ''}`,
      });
    }
    case 'gmail_reply': {
      // prepareTool fixes the recipient into the arguments, so what is approved is where it goes.
      const to = text(args.to) ?? context.to;
      return strip({
        kind: 'email',
        to,
        subject: context.subject,
        body: clipBody(text(args.body) ?? ''),
        summary: `Reply${to ? ` to ${to}` : ''} in thread ${String(args.threadId ?? '?')}${context.subject ? `: "${context.subject}"` : ''}`,
      });
    }
    case 'calendar_create_event':
    case 'calendar_update_event': {
      const title = text(args.title);
      const start = text(args.start);
      const end = text(args.end);
      const guests = list(args.attendees);
      const what = tool === 'calendar_create_event' ? 'Create the event' : `Change event ${String(args.eventId ?? '?')}`;
      return strip({
        kind: 'event',
        title,
        start,
        end,
        to: guests,
        body: clipBody(text(args.description)),
        summary: `${what}${title ? ` "${title}"` : ''}${start ? ` from ${start}` : ''}${end ? ` to ${end}` : ''}${guests ? ` with ${guests}` : ''}`,
      });
    }
    case 'gmail_label': {
      const add = list(args.add);
      const remove = list(args.remove);
      const archive = Array.isArray(args.remove) && args.remove.includes('INBOX');
      return {
        kind: 'other',
        summary: `${archive ? 'Archive' : 'Relabel'} message ${String(args.messageId ?? '?')}${add ? `: add ${add}` : ''}${remove ? `${add ? ',' : ':'} remove ${remove}` : ''}`,
      };
    }
    case 'web_fetch': {
      // Only asked for when a tainted agent fetches from a host the user has not allowed.
      const url = String(args.url ?? '?');
      let host = url;
      try {
        host = new URL(url).hostname;
      } catch {
        // The summary shows the raw text then.
      }
      return { kind: 'other', body: url, summary: `Fetch a page from ${host} (the request, with everything in its address, goes to ${host})` };
    }
    default: {
      const json = JSON.stringify(args);
      return { kind: 'other', body: clipBody(JSON.stringify(args, null, 2)), summary: `Run ${tool} with ${clip(json, 200)}` };
    }
  }
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * An edit changes only the fields it names (a new body keeps the recipient); a field set to null
 * is removed. The result is validated against the tool's schema before it is used.
 */
export function mergeArgs(original: Record<string, unknown>, edit: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...original };
  for (const [k, v] of Object.entries(edit)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

export function expiresAt(createdAt: Date, ttlHours: number): string {
  return new Date(createdAt.getTime() + ttlHours * 3_600_000).toISOString();
}

export function isExpired(approval: Pick<Approval, 'status' | 'expiresAt'>, now: Date): boolean {
  return approval.status === 'pending' && Date.parse(approval.expiresAt) <= now.getTime();
}

/** What the agent is told once the user has answered (or not); the next model step sees it. */
export function outcomeForAgent(
  tool: string,
  outcome: { decision: 'approve' | 'edit'; result: string } | { decision: 'reject'; reason?: string } | { decision: 'expired'; ttlHours: number },
): string {
  switch (outcome.decision) {
    case 'approve':
      return `The user approved ${tool}. Result: ${outcome.result}`;
    case 'edit':
      return `The user edited the arguments of ${tool} and approved them. Result: ${outcome.result}`;
    case 'reject':
      return `The user rejected ${tool}; nothing was done.${outcome.reason ? ` Their reason: ${outcome.reason}` : ''} Do not retry it unchanged.`;
    case 'expired':
      return `The user did not answer the approval for ${tool} within ${outcome.ttlHours} hours; it expired and nothing was done.`;
  }
}

/** How the approval reads as a notification and as an event for the assistant. */
export function describeApproval(a: Pick<Approval, 'id' | 'tool' | 'preview' | 'expiresAt' | 'provenance'>): { title: string; body: string } {
  const p = a.preview;
  const origin = originLine(a.provenance);
  const lines = [
    ...(origin ? [origin, ''] : []),
    p.to ? `To: ${p.to}` : undefined,
    p.cc ? `Cc: ${p.cc}` : undefined,
    p.subject ? `Subject: ${p.subject}` : undefined,
    p.title ? `Title: ${p.title}` : undefined,
    p.start ? `Start: ${p.start}` : undefined,
    p.end ? `End: ${p.end}` : undefined,
    p.body ? `\n${p.body}` : undefined,
  ].filter((l): l is string => l !== undefined);
  return {
    title: `Approve? ${p.summary}`.slice(0, 300),
    body: `${lines.join('\n')}\n\nApproval ${a.id} for ${a.tool}; expires ${a.expiresAt}.`.slice(0, 5000),
  };
}
