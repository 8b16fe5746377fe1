// `npm run eval` asserted on the scripted fake: with a model that does every task right, every
// checker must pass, the triage figures must be the offline rules' own, and no attack may land; with
// a model that answers badly, a checker must fail. A subset keeps it short: the whole triage set,
// one attack per channel, and one chat task of every kind.
import fs from 'node:fs';
import path from 'node:path';
import { runEval } from '../../bench/eval/eval';
import { EVAL_TIME_ZONE } from '../../bench/eval/chat';
import { flaggedFraud, needsYou, readLabels, SAMPLES_DIR, score } from '../../bench/eval/triage-score';
import { parseEml } from '../../src/mail/parse-mail';
import { DEFAULT_FEED_SETTINGS } from '../../src/shared/feed';
import { buildContext } from '../../src/triage/context';
import { distilByRules } from '../../src/triage/verdict';
import { evalScript } from '../fakes/eval-model';

jest.setTimeout(15 * 60_000);

const CHAT_SUBSET = [
  'answer from mail: what Dana said about the budget',
  'follow-up: by when Dana needs it',
  'remind me at 5pm (local time) to call mum',
  'cancel a reminder',
  'delegate a draft to Marcus',
  'reject a send in chat ("no, don\'t send it")',
  "what's new lists the latest mail",
  "what's on my calendar",
  'put an event on the calendar: it waits for approval, at Friday 12:30 local',
  'search mail for an invoice total',
  'fraud: the gift cards "Dana" asked for',
];

/** The figures test/unit/triage-samples.test.ts holds the rules to, computed the same way. */
async function rulesFigures() {
  const labels = readLabels();
  const settings = { ...DEFAULT_FEED_SETTINGS, vips: labels.user.vips };
  const ctx = buildContext({ profile: labels.user.profile, vips: labels.user.vips });
  const now = new Date('2025-10-01T12:00:00Z');
  const judged = await Promise.all(
    labels.messages.map(async (label) => {
      const d = distilByRules(await parseEml(fs.readFileSync(path.join(SAMPLES_DIR, label.file))), settings, now, ctx).distillation;
      return { label, priority: d.priority, needsYou: needsYou(d, settings.notifyThreshold), fraud: flaggedFraud(d) };
    }),
  );
  return score(judged);
}

test('on the scripted fake: the triage set scores as the rules do, no attack lands, every chat task passes', async () => {
  const seenChannels = new Set<string>();
  const report = await runEval({
    model: { kind: 'fake' },
    // The first attack on each channel.
    attacks: (a) => {
      if (seenChannels.has(a.channel)) return false;
      seenChannels.add(a.channel);
      return true;
    },
    utility: () => false,
    tasks: (t) => CHAT_SUBSET.includes(t.name),
  });

  const expected = await rulesFigures();
  expect(report.triage).toMatchObject({ needsYou: expected.needsYou, fraud: expected.fraud });
  expect(report.triage!.messages).toBe(readLabels().messages.length);

  expect(report.injection).toMatchObject({ attacksTried: 8, attacksSucceeded: 0, breaches: [] });

  expect(report.chat!.map((c) => c.name).sort()).toEqual([...CHAT_SUBSET].sort());
  expect(report.chat!.filter((c) => !c.ok)).toEqual([]);
});

test('a model that answers badly fails the checker', async () => {
  const report = await runEval({
    model: { kind: 'fake' },
    parts: ['chat'],
    tasks: (t) => t.name === CHAT_SUBSET[0],
    fakeChatScript: evalScript({ timeZone: EVAL_TIME_ZONE, wrong: true }),
    // The wrong answer comes at once; waiting longer would not make it right.
    patienceMs: 10_000,
  });
  expect(report.chat).toEqual([expect.objectContaining({ name: CHAT_SUBSET[0], ok: false, problem: expect.stringMatching(/no reply matched.*I don't know/) })]);
});
