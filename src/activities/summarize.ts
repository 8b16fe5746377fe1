// `summarize`: folds the oldest window entries into the running summary, so the prompt stays
// bounded however long the assistant runs. Without a model it keeps a clipped digest.
import type { WindowEntry } from '../assistant/state';
import { fenceUntrusted, UNTRUSTED_CONTENT_RULE } from '../triage/fence';
import { Context } from '@temporalio/activity';
import type { ModelClient, ModelReply } from '../integrations/model';
import { isModelOutage } from '../integrations/model-guard';

/** Attempts at the model before settling for the clipped digest: a summary must never fail a step. */
const MODEL_ATTEMPTS = 3;

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
    let res: ModelReply;
    try {
      res = await client.complete([
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
    } catch (err) {
      // Down or rate-limited: a few retries, then the digest (an open breaker goes straight to it),
      // since a failed summary would fail the assistant's step.
      if (isModelOutage(err) && Context.current().info.attempt < MODEL_ATTEMPTS) throw err;
      Context.current().log.warn('model summary failed; keeping a clipped digest', { error: (err as Error).message });
      return offlineSummary(input);
    }
    return (res.content ?? '').trim().slice(0, SUMMARY_LIMIT) || offlineSummary(input);
  };
}
