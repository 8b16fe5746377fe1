// Provenance in words, for refusals, approval cards and the audit page. Apart from provenance.ts
// (whose zod schemas it only names as types) so the web page can use it without bundling zod.
import type { Provenance, SourceKind, UntrustedSource } from './provenance';

const KIND_WORDS: Record<SourceKind, string> = {
  mail: 'a mail',
  webhook: 'a webhook',
  web: 'a web page',
  calendar: 'a calendar event',
  tool_result: 'a tool result',
  memory: 'a remembered note',
  mcp: 'an MCP tool',
  plugin: 'a plugin',
};

/** One line a person reads: "a mail from dana@acme.example: "Q3"", or "untrusted content". */
export function describeSource(s: UntrustedSource): string {
  return `${KIND_WORDS[s.kind]}${s.from ? ` from ${s.from}` : ''}${s.subject ? `: "${s.subject}"` : ''}`;
}

/** Where a tainted thing came from, for refusals and approval cards. */
export function describeProvenance(p: Provenance): string {
  if (p.origin === 'user') return 'you';
  if (p.origin === 'schedule') return 'something you scheduled';
  return p.sources.length ? p.sources.map(describeSource).join('; ') : 'untrusted content';
}
