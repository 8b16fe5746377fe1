// Part a: every labelled sample through the real feed pipeline (the application client stores it
// and starts its feed workflow, as `npm run feed` does), with the user's profile and VIPs set as a
// user would. Distillation uses the configured model, or the offline rules when there is none.
import fs from 'node:fs';
import path from 'node:path';
import { parseEml } from '../../src/mail/parse-mail';
import { DEFAULT_FEED_SETTINGS } from '../../src/shared/feed';
import { mailItemId } from '../../src/shared/ids';
import type { Script } from '../../test/fakes/openai-server';
import { startStack } from '../../test/helpers/stack';
import { flaggedFraud, type Judged, needsYou, readLabels, SAMPLES_DIR, score, type TriageFigures } from './triage-score';

export interface TriageResult extends TriageFigures {
  by: Record<string, number>;
}

/** `script` undefined: the offline rules. */
export async function runTriage(script: Script | undefined): Promise<TriageResult> {
  const labels = readLabels();
  const stack = await startStack(script ? { script } : { offline: true });
  try {
    const put = async (p: string, body: unknown) => {
      const res = await stack.api(p, { method: 'PUT', body });
      if (res.status !== 200) throw new Error(`PUT ${p} answered ${res.status}: ${JSON.stringify(res.body)}`);
    };
    await put('/api/settings', { vips: labels.user.vips });
    await put('/api/profile', labels.user.profile);
    const threshold = DEFAULT_FEED_SETTINGS.notifyThreshold;
    const by: Record<string, number> = {};
    const judged: Judged[] = [];
    // One at a time: a real endpoint's rate limit is the bottleneck, and the order is the label file's.
    for (const label of labels.messages) {
      const email = await parseEml(fs.readFileSync(path.join(SAMPLES_DIR, label.file)));
      const { workflowId } = await stack.paprika.feeds.submitEmail(email);
      const outcome = await stack.paprika.feeds.outcome(workflowId);
      by[outcome.by] = (by[outcome.by] ?? 0) + 1;
      const d = (await stack.store.context.get(stack.userId, mailItemId(email.id)))?.distillation;
      if (!d) throw new Error(`no distillation stored for ${label.file}`);
      judged.push({ label, priority: outcome.priority, needsYou: needsYou({ priority: d.priority, category: d.category }, threshold) && outcome.notified, fraud: flaggedFraud(d) });
    }
    return { ...score(judged), by };
  } finally {
    await stack.stop();
  }
}
