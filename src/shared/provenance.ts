// Where something came from. Provenance travels with every event, step, task, tool call and
// approval, so the code (not the prompt) can tell an explicit act of the user from anything a
// mail, a webhook, a web page or a tool result that quoted them might have asked for.
// No I/O: workflows import this.
import { z } from 'zod';

/**
 * - `user`: an explicit act of the authenticated user (the API, the page, their own chat turn);
 * - `schedule`: something the user set up in advance (a reminder, the briefing Schedule);
 * - `untrusted`: anything else, or anything that saw untrusted content.
 */
export const ORIGINS = ['user', 'schedule', 'untrusted'] as const;
export const Origin = z.enum(ORIGINS);
export type Origin = z.infer<typeof Origin>;

export const SOURCE_KINDS = ['mail', 'webhook', 'web', 'calendar', 'tool_result', 'memory', 'mcp', 'plugin'] as const;
export const SourceKind = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKind>;

/** One untrusted input that led to something: enough for the user to recognise and open it. */
export const UntrustedSource = z.object({
  kind: SourceKind,
  /** Context-store ID (e.g. `mail:<Message-ID>`) or URL, for "open the item". */
  ref: z.string().max(500).optional(),
  /** Sender address or host, as shown to the user. */
  from: z.string().max(300).optional(),
  subject: z.string().max(300).optional(),
});
export type UntrustedSource = z.infer<typeof UntrustedSource>;

/** At most this many sources are carried; the first ones are the ones that started it. */
export const MAX_SOURCES = 5;

export const Provenance = z.object({
  origin: Origin,
  /** The untrusted inputs that led here (empty unless origin is `untrusted`). */
  sources: z.array(UntrustedSource).max(MAX_SOURCES).default([]),
});
export type Provenance = z.infer<typeof Provenance>;

export const USER: Provenance = { origin: 'user', sources: [] };
export const SCHEDULE: Provenance = { origin: 'schedule', sources: [] };

export const isTainted = (p: Provenance | undefined): boolean => p?.origin === 'untrusted';

/** Provenance of something that saw all of `inputs`: untrusted wins, sources accumulate. */
export function combine(...inputs: (Provenance | undefined)[]): Provenance {
  const present = inputs.filter((p): p is Provenance => p !== undefined);
  const tainted = present.filter(isTainted);
  if (tainted.length) {
    const seen = new Set<string>();
    const sources: UntrustedSource[] = [];
    for (const s of tainted.flatMap((p) => p.sources)) {
      const key = `${s.kind}|${s.ref ?? ''}|${s.from ?? ''}`;
      if (seen.has(key) || sources.length >= MAX_SOURCES) continue;
      seen.add(key);
      sources.push(s);
    }
    return { origin: 'untrusted', sources };
  }
  if (present.some((p) => p.origin === 'user')) return USER;
  return present.length ? SCHEDULE : { origin: 'untrusted', sources: [] };
}

/**
 * How a workflow reports the provenance of its own output (a task's result, a fired reminder, an
 * approval it asks for) over the `event` signal, which may not claim `user`: work the user set
 * going earlier is, by the time it reports, something the user set up in advance.
 */
export const reported = (p: Provenance | undefined): Provenance => (isTainted(p) ? p! : SCHEDULE);

export { describeProvenance, describeSource } from './provenance-text';
