// Rules-first distillation of an email: what a careful human would decide from the headers, the
// user's settings and a quick read, with no model. When no model is configured this result stands;
// when one is, `confident: false` asks for it and `refineWithModel` keeps the user's rules binding.
//
// Priority depends on the message and the settings only, never on the wall clock, so importing an
// old mailbox gives the same answer every time; `now` only annotates deadlines that have passed.
import { type Category, Distillation, type FeedSettings, MAX_REASON, MAX_SUMMARY, type RawEmail } from '../shared/feed';
import { type Priority, priorityRank } from '../shared/types';
import { EMPTY_CONTEXT, type TriageContext } from './context';
import { describeDeadline } from './deadlines';
import { describeRule } from './feedback';
import { features } from './features';
import { actionItems, summarise } from './summary';
import { capitalise, clip } from './text';

export interface RuleLimits {
  /** The user's rules put the priority at least this high (VIP, keyword). */
  atLeast?: Priority;
  /** ...and at most this high (muted, bulk or automated mail, a suspected attack). */
  atMost?: Priority;
  /** A category the model may not change. */
  category?: Category;
}

export interface RuleResult {
  distillation: Distillation;
  /** True when a model would add nothing worth its cost (newsletters, muted, automated, attacks). */
  confident: boolean;
  /** What a model's answer is clamped to; see refineWithModel. */
  limits: RuleLimits;
}

/** True when an item of this priority should reach the assistant (and may notify). `ignore` never does. */
export function passesThreshold(priority: Priority, threshold: Priority): boolean {
  return priority !== 'ignore' && priorityRank(priority) <= priorityRank(threshold);
}

const higher = (a: Priority, b: Priority): Priority => (priorityRank(a) <= priorityRank(b) ? a : b);
const lower = (a: Priority, b: Priority): Priority => (priorityRank(a) >= priorityRank(b) ? a : b);

/** `ctx`: who the user is and knows, and their feedback rules; without it only the settings apply. */
export function distilByRules(email: RawEmail, settings: FeedSettings, now: Date, ctx: TriageContext = EMPTY_CONTEXT): RuleResult {
  const f = features(email, settings, ctx);
  const reasons: string[] = [];
  const limits: RuleLimits = {};
  const who = f.senderName ?? f.sender;

  // ---- category -------------------------------------------------------------------------------
  let category: Category;
  if (f.phishing.suspected || f.injection || f.fraud.suspected) category = 'security';
  else if (f.securityNotice && !f.bulk) category = 'security';
  // A pager that assigns the incident to the user is automated mail that needs a person now.
  else if (f.incident.needsUser && !f.bulk) category = 'action';
  else if (f.autoSubmitted) category = 'automated';
  else if (f.bulk || f.labels.has('CATEGORY_PROMOTIONS')) category = 'newsletter';
  else if (f.noReply || f.labels.has('CATEGORY_SOCIAL')) category = 'automated';
  else if (f.personal.needsUser) category = 'personal';
  else if (f.meeting) category = 'meeting';
  else if (f.finance) category = 'finance';
  else if (f.deadline || f.keyword || (f.request && f.sameOrg)) category = 'action';
  else if (!f.sameOrg) category = 'personal';
  else if (f.request) category = 'action';
  else category = 'other';
  const machine = category === 'automated' || category === 'newsletter';
  const attack = f.phishing.suspected || f.injection !== undefined || f.fraud.suspected;

  // ---- priority -------------------------------------------------------------------------------
  let priority: Priority = 'normal';
  if (category === 'newsletter') {
    priority = 'low';
    reasons.push(f.bulk ? `bulk mail (${f.bulkWhy})` : 'Gmail filed it under Promotions');
  } else if (category === 'automated') {
    priority = 'low';
    reasons.push(f.autoSubmitted ? 'sent automatically (Auto-Submitted header)' : f.noReply ? `sent from an automated address (${f.sender})` : 'Gmail filed it under Social');
    if (f.failure) {
      priority = 'normal';
      reasons.push('reports a failure or alert');
    }
  } else if (category === 'security' && !attack) {
    reasons.push('a security notice about one of your accounts');
  }
  if (f.labels.has('CATEGORY_SOCIAL') && category !== 'automated' && !attack) {
    priority = lower(priority, 'low');
    reasons.push('Gmail filed it under Social');
  }

  if (f.keyword) {
    const kw = f.keyword;
    if (category === 'newsletter') {
      // Marketing shouts "URGENT" for a sale; a newsletter's keywords say nothing about the user.
      reasons.push(`the word "${kw.word}" is ignored in bulk mail`);
    } else if (machine) {
      priority = higher(priority, 'normal');
      reasons.push(`contains your ${kw.level} keyword "${kw.word}" (capped at normal: not sent by a person)`);
    } else {
      priority = higher(priority, kw.level);
      limits.atLeast = kw.level;
      reasons.push(`contains your ${kw.level} keyword "${kw.word}"`);
    }
  }

  if (f.deadline && !machine) {
    const sent = Date.parse(email.date);
    const hours = (f.deadline.date.getTime() - sent) / 3_600_000;
    const when = describeDeadline(f.deadline.date, f.refOffset);
    const passed = f.deadline.date.getTime() < now.getTime() ? ', already passed' : '';
    // "By tomorrow morning" is today's work: up to a day and a half counts as urgent.
    if (hours >= 0 && hours <= 36) priority = higher(priority, 'urgent');
    else if (hours >= 0 && hours <= 7 * 24) priority = higher(priority, 'high');
    const days = Math.round(hours / 24);
    reasons.push(`deadline ${when} (${hours < 20 ? `${Math.max(1, Math.round(hours))} hour(s)` : days === 1 ? '1 day' : `${days} days`} after it was sent${passed})`);
  }

  if (f.meetingChange && !machine) {
    priority = higher(priority, 'high');
    reasons.push('changes a meeting time');
  } else if (f.meeting && !machine) {
    reasons.push(f.calendar ? 'a calendar invitation' : 'about a meeting');
  }
  if (category === 'finance') reasons.push('an invoice or payment');
  if (f.incident.needsUser && category === 'action') {
    priority = higher(priority, 'urgent');
    reasons.push(`an incident that asks for you (${f.incident.how})`);
  }
  if (category === 'personal' && f.personal.needsUser) {
    priority = higher(priority, f.personal.today ? 'urgent' : 'high');
    reasons.push(`about ${f.personal.topic} and asks something of you${f.personal.today ? ' today' : ''}`);
  }

  if (f.labels.has('IMPORTANT') && !attack) {
    priority = higher(priority, 'high');
    reasons.push('Gmail marked it important');
  }
  if (f.vip) {
    priority = higher(priority, 'high');
    limits.atLeast = higher(limits.atLeast ?? 'high', 'high');
    reasons.unshift(`${who} is on your VIP list`);
  }
  if (machine) limits.atMost = 'normal';

  // ---- attacks override everything but a mute ---------------------------------------------------
  if (attack) {
    // Keep it visible in the feed with a warning, never as something to act on. A VIP's exact
    // address keeps its priority: a spoofed boss asking for a password is worth an alert.
    priority = f.vip === 'address' ? 'high' : 'low';
    limits.atLeast = undefined;
    limits.atMost = priority;
    limits.category = 'security';
    reasons.length = 0;
    if (f.fraud.suspected && !f.phishing.suspected) reasons.push(f.fraud.warning!);
    if (f.phishing.suspected) reasons.push(`Warning: likely phishing (${f.phishing.signals.join('; ')}). Do not click its links or reply with any details`);
    if (f.injection) reasons.push(`Warning: it contains text that tries to give orders to an AI assistant ("${f.injection}"); it was treated as data and nothing was done`);
    if (f.vip === 'address') reasons.push(`it claims to come from ${who}, a VIP: check with them another way`);
  }

  if (f.muted) {
    priority = 'ignore';
    limits.atLeast = 'ignore';
    limits.atMost = 'ignore';
    reasons.unshift(`${f.muted === 'address' ? 'sender' : 'sender domain'} is muted`);
  }
  // The user's own answers come last so they override the settings; "always tell me" never lifts an attack.
  const fb = f.feedback;
  if (fb?.effect === 'never_notify') {
    priority = 'ignore';
    limits.atLeast = 'ignore';
    limits.atMost = 'ignore';
    reasons.unshift(describeRule(fb));
  } else if (fb?.effect === 'always_notify' && !attack) {
    const floor: Priority = settings.notifyThreshold === 'ignore' ? 'low' : settings.notifyThreshold;
    priority = higher(priority, floor);
    limits.atLeast = higher(limits.atLeast ?? floor, floor);
    limits.atMost = undefined;
    reasons.unshift(describeRule(fb));
  }
  if (reasons.length === 0) reasons.push(category === 'personal' ? 'a personal message, nothing time-critical found' : 'no rule matched: ordinary mail');

  const ignored = priority === 'ignore';
  const distillation = Distillation.parse({
    priority,
    category,
    summary: f.fraud.suspected && !f.phishing.suspected ? fraudSummary(email, f.sender) : summarise(email, f, category),
    actionItems: attack || machine || ignored ? [] : actionItems(email, f),
    ...(f.deadline && !machine && !attack ? { deadline: f.deadline.date.toISOString() } : {}),
    reason: clip(capitalise(reasons.join('; ')) + '.', MAX_REASON),
    ...(f.fraud.suspected ? { warning: clip(f.fraud.warning!, MAX_REASON) } : {}),
  });
  const confident = ignored || attack || (machine && !f.vip) || (!f.vip && f.labels.has('CATEGORY_SOCIAL'));
  return { distillation, confident, limits };
}

function fraudSummary(email: RawEmail, sender: string): string {
  const who = email.from.name ? `"${email.from.name}" <${sender}>` : sender;
  return clip(`Suspected fraud: "${email.subject || '(no subject)'}" from ${who}. Do not pay, buy or send anything before checking with them another way.`, MAX_SUMMARY);
}

/**
 * Folds a model's distillation into the rules' one. The model read untrusted text, so the user's
 * rules bind it: a VIP stays high, a muted sender stays ignored, bulk mail cannot become urgent,
 * and a suspected attack keeps the rules' warning whatever the model says.
 */
export function refineWithModel(rules: RuleResult, model: Distillation): Distillation {
  const { limits } = rules;
  if (limits.category === 'security') return rules.distillation;
  let priority = model.priority;
  const notes: string[] = [];
  if (limits.atLeast && priorityRank(priority) > priorityRank(limits.atLeast)) {
    priority = limits.atLeast;
    notes.push(`raised to ${priority} by your rules`);
  }
  if (limits.atMost && priorityRank(priority) < priorityRank(limits.atMost)) {
    priority = limits.atMost;
    notes.push(`held at ${priority} by your rules`);
  }
  const deadline = model.deadline ?? rules.distillation.deadline;
  return Distillation.parse({
    ...model,
    priority,
    category: limits.category ?? model.category,
    ...(deadline ? { deadline } : {}),
    reason: clip(notes.length ? `${model.reason} (${notes.join('; ')})` : model.reason, MAX_REASON),
  });
}
