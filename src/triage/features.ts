// What the rules read from one email: who sent it and how they stand with the user, what the
// headers and labels say, the user's keywords, a deadline, and the phishing and injection signals.
import type { FeedbackRule, FeedSettings, RawEmail } from '../shared/feed';
import { tzOffsetMinutes } from '../shared/time-zone';
import { type Deadline, findDeadline, offsetOf } from './deadlines';
import { EMPTY_CONTEXT, type TriageContext } from './context';
import { matchFeedback } from './feedback';
import { type FraudCheck, fraudCheck } from './fraud';
import { type IncidentCheck, incidentCheck } from './incidents';
import { type PersonalCheck, personalCheck } from './personal';
import { findInjection, type PhishingCheck, phishingCheck } from './phishing';
import { domainOf, matchSender, sameOrSubdomain } from './senders';

export interface Features {
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
  deadline?: Deadline;
  refOffset: number;
  phishing: PhishingCheck;
  injection?: string;
  fraud: FraudCheck;
  personal: PersonalCheck;
  incident: IncidentCheck;
  /** The user's feedback rule that matches, if any. */
  feedback?: FeedbackRule;
}

/** How much of the body the rules read: requests and deadlines sit near the top. */
export const HEAD_CHARS = 4000;

export function features(email: RawEmail, settings: FeedSettings, ctx: TriageContext = EMPTY_CONTEXT): Features {
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
  const request = REQUEST.test(head);
  const known = sameOrg || vip !== undefined || ctx.contacts.some((c) => c.address === sender);

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
    request,
    sameOrg,
    ...optional('keyword', findKeyword(subject, head, settings)),
    ...optional('deadline', findDeadline(subject, head, new Date(email.date), refOffset)),
    refOffset,
    phishing: phishingCheck(email, references, head),
    ...optional('injection', findInjection(`${subject}\n${email.text}`)),
    fraud: fraudCheck(email, ctx.contacts, references, known, head),
    personal: personalCheck(subject, head, request),
    incident: incidentCheck(subject, head, ctx.userNames),
    ...optional('feedback', matchFeedback(email, ctx.feedback, head)),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };

const NO_REPLY = /(^|[-_.+])(no[-_]?reply|do-?not-?reply|donotreply)([-_.+]|$)|^(notifications?|notify|alerts?|mailer-daemon|postmaster|bounces?)([-_.+]|$)/i;
const FAILURE = /\b(fail(ed|ure|ing)?|error|broken|outage|down|alert|alarm|incident)\b/i;
const SECURITY_NOTICE = /\b(security alert|new sign-?in|sign-?in attempt|password (was )?(changed|reset)|two-factor|2fa)\b/i;
const MEETING_SUBJECT = /^(invitation|updated invitation|invitation updated|accepted|declined|tentative|canceled event|cancelled event)\b/i;
const MEETING_WORDS = /\b(meeting|review|sync|call|stand-?up|1:1|one-on-one|interview|kick-?off|demo|workshop|appointment)\b/i;
const MEETING_CHANGE = /\b(moved?|moving|re-?scheduled?|postponed|pushed|new time|time change|cancel+ed|cancel+ing)\b/i;
const FINANCE = /\b(invoice|receipt|payment|billing|bill|statement|refund|remittance|purchase order|amount due)\b/i;
export const REQUEST = /\b(please|can you|could you|would you|i need|we need|need your|let me know|send me|approve|rsvp)\b/i;

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
