// The offline rules over the labelled sample set in samples/triage: does mail that needs the user
// reach them, does mail that does not stay quiet, and is fraud flagged with a warning instead of
// being raised as an ordinary item. The thresholds are floors for the set as a whole, not per
// message, so a new rule must help the kinds it targets without costing the others.
import fs from 'node:fs';
import path from 'node:path';
import { parseEml, readMailboxAll } from '../../src/mail/parse-mail';
import { DEFAULT_FEED_SETTINGS, type Distillation, type FeedSettings } from '../../src/shared/feed';
import { buildContext } from '../../src/triage/context';
import { distilByRules, passesThreshold } from '../../src/triage/verdict';

const DIR = path.join(__dirname, '../../samples/triage');
interface Label {
  file: string;
  kind: string;
  needsYou: boolean;
  priority: string;
  fraud: boolean;
}
const labels = JSON.parse(fs.readFileSync(path.join(DIR, 'labels.json'), 'utf8')) as { user: { profile: { name: string; contacts: string[] }; vips: string[] }; messages: Label[] };
const settings: FeedSettings = { ...DEFAULT_FEED_SETTINGS, vips: labels.user.vips };
const ctx = buildContext({ profile: labels.user.profile, vips: labels.user.vips });
const NOW = new Date('2025-10-01T12:00:00Z');

/** What a user sees: notified (at the default threshold) and not flagged. */
const needsYou = (d: Distillation) => passesThreshold(d.priority, settings.notifyThreshold) && d.category !== 'security';
const flaggedFraud = (d: Distillation) => d.warning !== undefined || /^Likely phishing/.test(d.summary);

interface Scored {
  label: Label;
  d: Distillation;
}
let scored: Scored[];
beforeAll(async () => {
  scored = await Promise.all(labels.messages.map(async (label) => ({ label, d: distilByRules(await parseEml(fs.readFileSync(path.join(DIR, label.file))), settings, NOW, ctx).distillation })));
});

function rates(predicted: (s: Scored) => boolean, actual: (s: Scored) => boolean) {
  const tp = scored.filter((s) => predicted(s) && actual(s)).length;
  const fp = scored.filter((s) => predicted(s) && !actual(s));
  const fn = scored.filter((s) => !predicted(s) && actual(s));
  return { precision: tp / (tp + fp.length), recall: tp / (tp + fn.length), fp: fp.map((s) => s.label.file), fn: fn.map((s) => s.label.file) };
}

test('the set is large and covers every kind', () => {
  expect(labels.messages.length).toBeGreaterThanOrEqual(60);
  const kinds = new Set(labels.messages.map((m) => m.kind));
  for (const k of ['family', 'school', 'health', 'incident', 'bec', 'phishing', 'work', 'newsletter', 'notification', 'receipt']) expect(kinds).toContain(k);
});

test('"needs you": precision >= 0.9 and recall >= 0.85', () => {
  const r = rates((s) => needsYou(s.d), (s) => s.label.needsYou);
  console.log(`needs you: precision ${r.precision.toFixed(2)}, recall ${r.recall.toFixed(2)}; false alarms ${JSON.stringify(r.fp)}, missed ${JSON.stringify(r.fn)}`);
  expect(r.precision).toBeGreaterThanOrEqual(0.9);
  expect(r.recall).toBeGreaterThanOrEqual(0.85);
});

test('fraud: precision >= 0.9 and recall >= 0.85, and no fraud ever reaches the user as a plain item', () => {
  const r = rates((s) => flaggedFraud(s.d), (s) => s.label.fraud);
  console.log(`fraud: precision ${r.precision.toFixed(2)}, recall ${r.recall.toFixed(2)}; false alarms ${JSON.stringify(r.fp)}, missed ${JSON.stringify(r.fn)}`);
  expect(r.precision).toBeGreaterThanOrEqual(0.9);
  expect(r.recall).toBeGreaterThanOrEqual(0.85);
  for (const s of scored.filter((x) => x.label.fraud)) expect({ file: s.label.file, plainNotify: needsYou(s.d) }).toEqual({ file: s.label.file, plainNotify: false });
});

test('the priority band matches the label for at least 80% of the set', () => {
  const agree = scored.filter((s) => s.d.priority === s.label.priority);
  const off = scored.filter((s) => s.d.priority !== s.label.priority).map((s) => `${s.label.file}: ${s.d.priority} (label ${s.label.priority})`);
  console.log(`priority band: ${agree.length}/${scored.length} agree; off: ${JSON.stringify(off)}`);
  expect(agree.length / scored.length).toBeGreaterThanOrEqual(0.8);
});

test('an impersonation says who it looks like and where it really comes from', () => {
  const s = scored.find((x) => x.label.file === labels.messages.find((m) => m.kind === 'bec')!.file)!;
  expect(s.d.category).toBe('security');
  expect(s.d.warning).toMatch(/^Suspected fraud: it looks like Dana Whitfield but comes from freemail\.example/);
  expect(s.d.warning).toMatch(/gift cards/);
});

test('samples/expected-priorities.json still holds with the user context in force', async () => {
  const expected = JSON.parse(fs.readFileSync(path.join(DIR, '../expected-priorities.json'), 'utf8')) as Record<string, string>;
  const emails = await readMailboxAll(path.join(DIR, '../inbox.mbox'));
  const got = Object.fromEntries(emails.map((e) => [e.id, distilByRules(e, { ...DEFAULT_FEED_SETTINGS, vips: ['dana@acme.example'] }, NOW, ctx).distillation.priority]));
  expect(got).toEqual(expected);
});
