// How the labelled set is scored, the same figures test/unit/triage-samples.test.ts holds the rules
// to: "needs you" is notified at the threshold and not flagged; fraud is flagged with a warning.
import fs from 'node:fs';
import path from 'node:path';
import type { Distillation } from '../../src/shared/feed';
import type { Priority } from '../../src/shared/types';
import { passesThreshold } from '../../src/triage/verdict';

export const SAMPLES_DIR = path.resolve(__dirname, '../../samples/triage');

export interface Label {
  file: string;
  kind: string;
  needsYou: boolean;
  priority: string;
  fraud: boolean;
}
export interface Labels {
  user: { profile: { name: string; organisation?: string; contacts: string[] }; vips: string[] };
  messages: Label[];
}

export function readLabels(): Labels {
  return JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, 'labels.json'), 'utf8')) as Labels;
}

/** What a user sees: notified (at the default threshold) and not flagged. */
export const needsYou = (d: Pick<Distillation, 'priority' | 'category'>, threshold: Priority) => passesThreshold(d.priority, threshold) && d.category !== 'security';
export const flaggedFraud = (d: Pick<Distillation, 'warning' | 'summary'>) => d.warning !== undefined || /^Likely phishing/.test(d.summary);

export interface Judged {
  label: Label;
  priority: string;
  needsYou: boolean;
  fraud: boolean;
}

export interface TriageFigures {
  messages: number;
  needsYou: { precision: number; recall: number; falseAlarms: string[]; missed: string[] };
  fraud: { caught: number; of: number; falseAlarms: string[]; missed: string[] };
  priorityAgreement: { agree: number; of: number };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 1000) / 1000);

export function score(judged: Judged[]): TriageFigures {
  const tp = judged.filter((j) => j.needsYou && j.label.needsYou).length;
  const fp = judged.filter((j) => j.needsYou && !j.label.needsYou).map((j) => j.label.file);
  const fn = judged.filter((j) => !j.needsYou && j.label.needsYou).map((j) => j.label.file);
  const frauds = judged.filter((j) => j.label.fraud);
  return {
    messages: judged.length,
    needsYou: { precision: ratio(tp, tp + fp.length), recall: ratio(tp, tp + fn.length), falseAlarms: fp, missed: fn },
    fraud: {
      caught: frauds.filter((j) => j.fraud).length,
      of: frauds.length,
      falseAlarms: judged.filter((j) => j.fraud && !j.label.fraud).map((j) => j.label.file),
      missed: frauds.filter((j) => !j.fraud).map((j) => j.label.file),
    },
    priorityAgreement: { agree: judged.filter((j) => j.priority === j.label.priority).length, of: judged.length },
  };
}
