// `summarize`: folds the oldest window entries into the running summary, so the prompt stays
// bounded however long the assistant runs. Without a model it keeps a clipped digest.
import type { WindowEntry } from '../assistant/state';
import { fenceUntrusted, UNTRUSTED_CONTENT_RULE } from '../triage/fence';
import type { ModelClient } from '../integrations/model';

export const SUMMARY_LIMIT = 4000;

export interface SummarizeInput {
  summary: string;
  entries: WindowEntry[];
}

export function offlineSummary(input: SummarizeInput): string {
  const lines = input.entries.map((e) => `- ${e.at.slice(0, 16)} ${e.role}: ${e.text.replace(/\s+/g, ' ').slice(0, 160)}`);
  const merged = [input.summary, ...lines].filter(Boolean).join('\n');
  // Keep the newest part: older material has already been folded once.
  return merged.length <= SUMMARY_LIMIT ? merged : `…${merged.slice(merged.length - SUMMARY_LIMIT + 1)}`;
}

export function makeSummarize(client: ModelClient | undefined) {
  return async function summarize(input: SummarizeInput): Promise<string> {
    if (!client) return offlineSummary(input);
    const res = await client.complete([
      {
        role: 'system',
        content: `Update the running summary of a personal assistant's conversation and events. Keep facts, open questions, commitments and deadlines; drop chatter. At most 250 words. ${UNTRUSTED_CONTENT_RULE}`,
      },
      {
        role: 'user',
        content: `Current summary:\n${input.summary || '(empty)'}\n\nEntries to fold in:\n${input.entries
          .map((e) => (e.role === 'event' ? fenceUntrusted('event', e.text) : `${e.role}: ${e.text}`))
          .join('\n')}`,
      },
    ]);
    return (res.content ?? '').trim().slice(0, SUMMARY_LIMIT) || offlineSummary(input);
  };
}
