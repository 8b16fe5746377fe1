// Rules-first distillation of an email: what a careful human would decide from the headers, the
// user's settings and a quick read, with no model. When no model is configured this result stands;
// when one is, `confident: false` asks for it and `refineWithModel` keeps the user's rules binding.
//
// Priority depends on the message and the settings only, never on the wall clock, so importing an
// old mailbox gives the same answer every time; `now` only annotates deadlines that have passed.
import * as chrono from 'chrono-node';
import {
  type Category,
  Distillation,
  type FeedSettings,
  MAX_ACTION_ITEM,
  MAX_REASON,
  MAX_SUMMARY,
  type RawEmail,
} from '../shared/feed';
import { type Priority, priorityRank } from '../shared/types';
import { tzOffsetMinutes } from '../shared/time-zone';
import { clip } from '../shared/text';

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

export function distilByRules(email: RawEmail, settings: FeedSettings, now: Date): RuleResult {
  const f = features(email, settings);
  const reasons: string[] = [];
  const limits: RuleLimits = {};
  const who = f.senderName ?? f.sender;

  // ---- category -------------------------------------------------------------------------------
  let category: Category;
  if (f.phishing.suspected || f.injection) category = 'security';
  else if (f.securityNotice && !f.bulk) category = 'security';
  else if (f.autoSubmitted) category = 'automated';
  else if (f.bulk || f.labels.has('CATEGORY_PROMOTIONS')) category = 'newsletter';
  else if (f.noReply || f.labels.has('CATEGORY_SOCIAL')) category = 'automated';
  else if (f.meeting) category = 'meeting';
  else if (f.finance) category = 'finance';
  else if (f.deadline || f.keyword || (f.request && f.sameOrg)) category = 'action';
  else if (!f.sameOrg) category = 'personal';
  else if (f.request) category = 'action';
  else category = 'other';
  const machine = category === 'automated' || category === 'newsletter';
  const attack = f.phishing.suspected || f.injection !== undefined;

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
  if (reasons.length === 0) reasons.push(category === 'personal' ? 'a personal message, nothing time-critical found' : 'no rule matched: ordinary mail');

  const distillation = Distillation.parse({
    priority,
    category,
    summary: summarise(email, f, category),
    actionItems: attack || machine || f.muted ? [] : actionItems(email, f),
    ...(f.deadline && !machine && !attack ? { deadline: f.deadline.date.toISOString() } : {}),
    reason: clip(capitalise(reasons.join('; ')) + '.', MAX_REASON, { trimEnd: true }),
  });
  const confident = Boolean(f.muted) || attack || (machine && !f.vip) || (!f.vip && f.labels.has('CATEGORY_SOCIAL'));
  return { distillation, confident, limits };
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
    reason: clip(notes.length ? `${model.reason} (${notes.join('; ')})` : model.reason, MAX_REASON, { trimEnd: true }),
  });
}

// ---- features --------------------------------------------------------------------------------

interface Features {
  sender: string;
  senderName?: string;
  senderDomain: string;
  vip?: 'address' | 'domain';
  muted?: 'address' | 'domain';
  labels: Set<string>;
  bulk: boolean;
  bulkWhy: string;
  autoSubmitted: boolean;
  noReply: boolean;
  failure: boolean;
  securityNotice: boolean;
  calendar: boolean;
  meeting: boolean;
  meetingChange: boolean;
  finance: boolean;
  request: boolean;
  sameOrg: boolean;
  keyword?: { word: string; level: 'urgent' | 'high' };
  deadline?: { date: Date; text: string };
  refOffset: number;
  phishing: { suspected: boolean; signals: string[] };
  injection?: string;
}

/** How much of the body the rules read: requests and deadlines sit near the top. */
const HEAD_CHARS = 4000;

function features(email: RawEmail, settings: FeedSettings): Features {
  const sender = email.from.address.toLowerCase();
  const senderDomain = domainOf(sender);
  const subject = email.subject;
  const head = email.text.slice(0, HEAD_CHARS);
  const h = email.headers;
  const labels = new Set(email.labels.map((l) => l.toUpperCase()));

  const vipMatch = matchSender(sender, settings.vips);
  const muteMatch = matchSender(sender, settings.muted);
  // The more specific entry wins: mute @bigcorp.example but keep its CEO as a VIP, or the reverse.
  const muted = muteMatch.level > 0 && muteMatch.level >= vipMatch.level ? muteMatch.kind : undefined;
  const vip = vipMatch.level > 0 && !muted ? vipMatch.kind : undefined;

  const precedence = (h.precedence ?? '').toLowerCase();
  const bulkWhy = [h.listUnsubscribe && 'List-Unsubscribe', h.listId && 'List-Id', /^(bulk|list|junk)$/.test(precedence) && `Precedence: ${precedence}`]
    .filter(Boolean)
    .join(', ');
  const auto = (h.autoSubmitted ?? '').toLowerCase();
  const autoSubmitted = (auto !== '' && auto !== 'no') || precedence === 'auto_reply';

  const recipientDomains = [...email.to, ...email.cc].map((a) => domainOf(a.address)).filter(Boolean);
  const sameOrg = recipientDomains.some((d) => sameOrSubdomain(senderDomain, d));

  const calendar = email.attachments.some((a) => /^(text|application)\/(calendar|ics)/i.test(a.contentType) || /\.ics$/i.test(a.filename ?? ''));
  const meeting = calendar || MEETING_SUBJECT.test(subject) || MEETING_WORDS.test(subject);
  const meetingChange = (meeting && MEETING_CHANGE.test(subject)) || /^(updated invitation|canceled event|cancelled event)\b/i.test(subject);

  const refOffset = offsetOf(email.date) ?? tzOffsetMinutes(settings.timezone, new Date(email.date));
  const references = [...new Set([...recipientDomains, ...settings.vips.map(domainOf)].filter((d) => d && d !== senderDomain))];

  return {
    sender,
    ...(email.from.name ? { senderName: email.from.name } : {}),
    senderDomain,
    ...(vip ? { vip } : {}),
    ...(muted ? { muted } : {}),
    labels,
    bulk: bulkWhy !== '',
    bulkWhy,
    autoSubmitted,
    noReply: NO_REPLY.test(sender.split('@')[0] ?? ''),
    failure: FAILURE.test(subject),
    securityNotice: SECURITY_NOTICE.test(subject),
    calendar,
    meeting,
    meetingChange,
    finance: FINANCE.test(subject) || /^(billing|invoices?|accounts?|payments?|receipts?)@/.test(sender),
    request: REQUEST.test(head),
    sameOrg,
    ...optional('keyword', findKeyword(subject, head, settings)),
    ...optional('deadline', findDeadline(subject, head, new Date(email.date), refOffset)),
    refOffset,
    phishing: phishingCheck(email, references, head),
    ...optional('injection', findInjection(`${subject}\n${email.text}`)),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };

const NO_REPLY = /(^|[-_.+])(no-?reply|do-?not-?reply|donotreply)([-_.+]|$)|^(notifications?|notify|alerts?|mailer-daemon|postmaster|bounces?)([-_.+]|$)/i;
const FAILURE = /\b(fail(ed|ure|ing)?|error|broken|outage|down|alert|alarm|incident)\b/i;
const SECURITY_NOTICE = /\b(security alert|new sign-?in|sign-?in attempt|password (was )?(changed|reset)|two-factor|2fa)\b/i;
const MEETING_SUBJECT = /^(invitation|updated invitation|invitation updated|accepted|declined|tentative|canceled event|cancelled event)\b/i;
const MEETING_WORDS = /\b(meeting|review|sync|call|stand-?up|1:1|one-on-one|interview|kick-?off|demo|workshop|appointment)\b/i;
const MEETING_CHANGE = /\b(moved?|moving|re-?scheduled?|postponed|pushed|new time|time change|cancel+ed|cancel+ing)\b/i;
const FINANCE = /\b(invoice|receipt|payment|billing|bill|statement|refund|remittance|purchase order|amount due)\b/i;
const REQUEST = /\b(please|can you|could you|would you|i need|we need|need your|let me know|send me|approve|rsvp)\b/i;

function findKeyword(subject: string, head: string, settings: FeedSettings): Features['keyword'] {
  for (const level of ['urgent', 'high'] as const) {
    for (const word of settings.keywords[level]) {
      const re = phraseRegex(word);
      // An urgent word in the body alone is often chatter ("no urgent need"); in the subject it is a flag.
      if (re.test(subject)) return { word, level };
    }
  }
  for (const level of ['urgent', 'high'] as const) {
    for (const word of settings.keywords[level]) {
      if (phraseRegex(word).test(head)) return { word, level: 'high' };
    }
  }
  return undefined;
}

function phraseRegex(phrase: string): RegExp {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
}

// ---- deadlines -------------------------------------------------------------------------------

const DEADLINE_CUE = /\b(by|due|before|deadline|no later than|until|till|latest)\b[^.!?\n]{0,20}$/i;

/** A date that the text asks for something by ("needed by Friday 5pm", "due October 15"). */
function findDeadline(subject: string, head: string, sent: Date, offset: number): Features['deadline'] {
  for (const text of [subject, head]) {
    for (const r of chrono.parse(text, { instant: sent, timezone: offset }, { forwardDate: true })) {
      const before = text.slice(Math.max(0, r.index - 40), r.index);
      if (!DEADLINE_CUE.test(before)) continue;
      let date = r.start.date();
      // "due October 15" means the end of that day, not chrono's implied noon.
      if (!r.start.isCertain('hour')) {
        const y = r.start.get('year')!;
        const m = r.start.get('month')!;
        const d = r.start.get('day')!;
        date = new Date(Date.UTC(y, m - 1, d, 23, 59, 59) - offset * 60_000);
      }
      // A date well before the message was sent is a reference ("by March 3 we had..."), not a deadline.
      if (date.getTime() < sent.getTime() - 24 * 3_600_000) continue;
      return { date, text: r.text };
    }
  }
  return undefined;
}

function describeDeadline(date: Date, offset: number): string {
  const local = new Date(date.getTime() + offset * 60_000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][local.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][local.getUTCMonth()];
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  const off = `UTC${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return `${day} ${local.getUTCDate()} ${month} ${local.getUTCFullYear()} ${hh}:${mm} ${off}`;
}

function offsetOf(iso: string): number | undefined {
  const m = iso.match(/([+-])(\d{2}):(\d{2})$/);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : undefined;
}

// ---- phishing and prompt injection -----------------------------------------------------------

const BRANDS = ['paypal', 'microsoft', 'office 365', 'outlook', 'apple', 'icloud', 'google', 'gmail', 'amazon', 'netflix', 'docusign', 'dropbox', 'dhl', 'fedex', 'ups', 'usps', 'irs', 'hmrc', 'chase', 'wells fargo', 'coinbase'];
// First labels that name a mail provider or a documentation domain, not an organisation.
const GENERIC_ORGS = new Set(['gmail', 'googlemail', 'outlook', 'hotmail', 'live', 'yahoo', 'icloud', 'me', 'proton', 'protonmail', 'aol', 'gmx', 'mail', 'fastmail', 'example']);
// A domain written into a display name ("PayPal.com Support"); a short TLD list keeps "j.smith" out.
const SHOWN_DOMAIN = /\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|net|org|io|co|uk|de|fr|info|biz|us|ca|au|app|dev|ai|example)\b/;
const VERIFY_ACCOUNT = /\b(verify|confirm|validate|update|re-?enter|reactivate|unlock|restore)\s+(your\s+)?(account|identity|password|login|credentials|mailbox|payment (details|information)|billing (details|information)|card)\b/i;
const CREDENTIALS = /\b(enter|confirm|confirming|provide|send|submit|reply with|type|verify)\b[^.\n]{0,40}\b(password|passcode|credentials|card number|cvv|pin|security code|one-time code|bank details)\b/i;
const THREAT = /\b(suspend(ed|sion)?|locked|deactivat\w*|terminat\w*|within \d+ hours|expires? today|final (notice|warning)|legal action|unusual (sign-?in|activity))\b/i;

function phishingCheck(email: RawEmail, references: string[], head: string): Features['phishing'] {
  const signals: string[] = [];
  let score = 0;
  const add = (points: number, why: string) => {
    score += points;
    signals.push(why);
  };
  const sender = email.from.address.toLowerCase();
  const domain = domainOf(sender);
  const name = (email.from.name ?? '').toLowerCase();
  const text = `${email.subject}\n${head}`;

  const lookalikeOf = references.find((r) => isLookalike(domain, r));
  if (lookalikeOf) add(3, `the sender's domain ${domain} imitates ${lookalikeOf}`);
  if (domain.split('.').some((l) => l.startsWith('xn--'))) add(1, `the sender's domain ${domain} uses look-alike characters`);

  const shownDomain = name.match(SHOWN_DOMAIN)?.[0];
  if (shownDomain && !sameOrSubdomain(domain, shownDomain.replace(/^.*@/, ''))) add(2, `the display name shows ${shownDomain} but the mail comes from ${domain}`);
  const brand = BRANDS.find((b) => new RegExp(`\\b${b}\\b`).test(name) && !domain.replace(/[-.]/g, '').includes(b.replace(/\s+/g, '')));
  if (brand) add(2, `the name says ${brand} but the mail comes from ${domain}`);
  const org = references.find((r) => {
    const o = r.split('.')[0]!;
    return o.length >= 3 && !GENERIC_ORGS.has(o) && new RegExp(`\\b${o}\\b`).test(name) && !sameOrSubdomain(domain, r);
  });
  if (org) add(1, `the name says "${org.split('.')[0]}" but the mail comes from outside ${org}`);

  if (VERIFY_ACCOUNT.test(text)) add(2, 'it asks you to verify your account');
  if (CREDENTIALS.test(text)) add(2, 'it asks for a password or other credentials');
  if (THREAT.test(text)) add(1, 'it threatens suspension or sets a short fuse');

  const replyTo = email.headers.replyTo ? domainOf(email.headers.replyTo) : '';
  if (replyTo && !sameOrSubdomain(replyTo, domain) && !sameOrSubdomain(domain, replyTo)) add(1, `replies would go to another domain (${replyTo})`);

  for (const host of linkHosts(head)) {
    const imitated = references.find((r) => isLookalike(host, r));
    if (imitated) {
      add(2, `a link goes to ${host}, which imitates ${imitated}`);
      break;
    }
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
      add(1, `a link goes to a bare IP address (${host})`);
      break;
    }
  }
  return { suspected: score >= 3, signals };
}

const INJECTION = [
  /\b(ignore|disregard|forget|override)\b[^.\n]{0,30}\b(previous|prior|above|earlier|all|any|your)\b[^.\n]{0,20}\b(instructions?|prompts?|rules|directions|guidelines)\b/i,
  /\b(forward|send|export|copy)\b[^.\n]{0,20}\ball\b[^.\n]{0,20}\b(mail|e-?mails?|messages|files|contacts|documents)\b[^.\n]{0,30}\bto\b/i,
  /\b(system prompt|developer message|you are now (a|an|in)|new instructions\s*:)/i,
  /\b(ai|llm|assistant|chatbot|language model|agent)\b[^.\n]{0,20}\b(reading|processing|summari[sz]ing)\s+this\b/i,
  /\bdo not (tell|mention|inform|alert)\b[^.\n]{0,25}\buser\b/i,
];

function findInjection(text: string): string | undefined {
  for (const re of INJECTION) {
    const m = re.exec(text);
    if (m) return clip(m[0].replace(/\s+/g, ' '), 80, { trimEnd: true });
  }
  return undefined;
}

// Maps characters attackers swap for each other onto one, so "acrne" and "acme" compare equal.
function skeleton(domain: string): string {
  return domain.toLowerCase().replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/0/g, 'o').replace(/[1il|]/g, 'l').replace(/3/g, 'e').replace(/5/g, 's').replace(/-/g, '');
}

function isLookalike(domain: string, ref: string): boolean {
  if (!domain || !ref || sameOrSubdomain(domain, ref) || sameOrSubdomain(ref, domain)) return false;
  if (skeleton(domain) === skeleton(ref)) return true;
  // "acme.example.account-verify.example", "acme-example.com": the real name inside another domain.
  if (domain.startsWith(`${ref}.`) || domain.includes(ref.replace(/\./g, '-'))) return true;
  return ref.length >= 6 && Math.abs(domain.length - ref.length) <= 1 && levenshtein(domain, ref) <= 1;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function linkHosts(text: string): string[] {
  const hosts = new Set<string>();
  for (const m of text.matchAll(/\bhttps?:\/\/([^\s/?#<>"')\]]+)/gi)) {
    hosts.add(m[1]!.replace(/^.*@/, '').replace(/:\d+$/, '').toLowerCase());
  }
  return [...hosts];
}

// ---- senders -----------------------------------------------------------------------------------

function domainOf(addressOrPattern: string): string {
  const at = addressOrPattern.lastIndexOf('@');
  return at < 0 ? '' : addressOrPattern.slice(at + 1).toLowerCase();
}

function sameOrSubdomain(domain: string, parent: string): boolean {
  return domain !== '' && parent !== '' && (domain === parent || domain.endsWith(`.${parent}`));
}

/** 2 = the exact address is listed, 1 = its domain (or a parent domain) is, 0 = neither. */
function matchSender(address: string, patterns: readonly string[]): { level: number; kind?: 'address' | 'domain' } {
  const domain = domainOf(address);
  let level = 0;
  for (const p of patterns) {
    if (p === address) return { level: 2, kind: 'address' };
    if (p.startsWith('@') && sameOrSubdomain(domain, p.slice(1))) level = 1;
  }
  return level ? { level, kind: 'domain' } : { level };
}

// ---- summary and action items ---------------------------------------------------------------

function summarise(email: RawEmail, f: Features, category: Category): string {
  const subject = email.subject || '(no subject)';
  const who = f.senderName ? `${f.senderName} <${f.sender}>` : f.sender || 'unknown sender';
  if (f.phishing.suspected) {
    return clip(`Likely phishing: "${subject}" from ${f.sender}${f.senderName ? ` (posing as ${f.senderName})` : ''}. Do not click its links or reply.`, MAX_SUMMARY, { trimEnd: true });
  }
  if (f.injection) {
    return clip(`Suspicious email from ${who}: "${subject}". It contains instructions aimed at an AI assistant; none were followed.`, MAX_SUMMARY, { trimEnd: true });
  }
  const lead = category === 'newsletter' ? undefined : firstSentence(email.text);
  return clip(`${f.senderName ?? f.sender}: ${subject}${lead ? ` — ${lead}` : ''}`, MAX_SUMMARY, { trimEnd: true });
}

const GREETING = /^(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings)\b[^.!?]{0,40}[,!:]?$/i;

function paragraphs(text: string): string[] {
  return text
    .slice(0, HEAD_CHARS)
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
}

function sentences(text: string): string[] {
  return paragraphs(text)
    .flatMap((p) => p.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/))
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !GREETING.test(s));
}

/** The first real sentence: headings (short or all capitals) and greetings are skipped. */
function firstSentence(text: string): string | undefined {
  return sentences(text).find((s) => s.split(/\s+/).length >= 5 && /[a-z]/.test(s));
}

function actionItems(email: RawEmail, f: Features): string[] {
  const items: string[] = [];
  for (const s of sentences(email.text)) {
    if (REQUEST.test(s) || (f.deadline && s.includes(f.deadline.text) && DEADLINE_CUE.test(s.slice(0, s.indexOf(f.deadline.text))))) {
      items.push(clip(s, MAX_ACTION_ITEM, { trimEnd: true }));
      if (items.length === 3) break;
    }
  }
  return items;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
