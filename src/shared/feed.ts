// Schemas for what feeds produce: a raw email, its distillation, and the user's feed settings.
// No I/O here: workflow code imports this file.
import { z } from 'zod';
import { Priority } from './types';
import { clip } from './text';
import { isTimeZone } from './time-zone';

/** Longest plain-text body kept per message; the rest of a long mail adds cost, not signal. */
export const MAX_EMAIL_TEXT = 20_000;

export const EMAIL_SOURCES = ['gmail', 'imap', 'mbox', 'maildir', 'eml', 'webhook'] as const;
export const EmailSource = z.enum(EMAIL_SOURCES);
export type EmailSource = z.infer<typeof EmailSource>;

export const EmailAddress = z.object({
  name: z.string().max(300).optional(),
  address: z.string().max(320),
});
export type EmailAddress = z.infer<typeof EmailAddress>;

export const EmailHeaders = z.object({
  listUnsubscribe: z.string().max(2000).optional(),
  listId: z.string().max(500).optional(),
  precedence: z.string().max(100).optional(),
  autoSubmitted: z.string().max(100).optional(),
  /** Normalised Message-ID of the parent (no angle brackets). */
  inReplyTo: z.string().max(1000).optional(),
  /** Normalised Message-IDs of the thread, oldest first. */
  references: z.array(z.string().max(1000)).max(200).optional(),
  /** Address the sender asked replies to go to, lower-case. */
  replyTo: z.string().max(320).optional(),
});
export type EmailHeaders = z.infer<typeof EmailHeaders>;

/** Attachment metadata only: content never travels (a calendar invite is recognised by its type). */
export const AttachmentInfo = z.object({
  filename: z.string().max(300).optional(),
  contentType: z.string().max(200),
  size: z.number().int().nonnegative(),
});
export type AttachmentInfo = z.infer<typeof AttachmentInfo>;

export const RawEmail = z.object({
  /** Stable dedupe key: the normalised Message-ID, or a hash of from+date+subject when there is none. */
  id: z.string().min(1).max(200),
  source: EmailSource,
  /** The Message-ID header as sent (angle brackets kept); '' when the message had none. */
  messageId: z.string().max(1000),
  threadId: z.string().max(1000).optional(),
  from: EmailAddress,
  to: z.array(EmailAddress).default([]),
  cc: z.array(EmailAddress).default([]),
  subject: z.string().max(2000).default(''),
  /** ISO 8601; keeps the sender's UTC offset when the Date header had one. */
  date: z.iso.datetime({ offset: true }),
  /** Plain text only; HTML is converted, never kept. */
  text: z.string().max(MAX_EMAIL_TEXT).default(''),
  snippet: z.string().max(300).default(''),
  /** Gmail label IDs when known (INBOX, IMPORTANT, CATEGORY_PROMOTIONS, ...). */
  labels: z.array(z.string().max(200)).default([]),
  headers: EmailHeaders.default({}),
  attachments: z.array(AttachmentInfo).max(100).default([]),
});
export type RawEmail = z.infer<typeof RawEmail>;
export type RawEmailInput = z.input<typeof RawEmail>;

export const CATEGORIES = [
  'action',
  'meeting',
  'finance',
  'newsletter',
  'automated',
  'personal',
  'security',
  'other',
] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

export const MAX_SUMMARY = 300;
export const MAX_REASON = 500;
export const MAX_ACTION_ITEMS = 10;
export const MAX_ACTION_ITEM = 300;

export const Distillation = z.object({
  priority: Priority,
  category: Category,
  summary: z.string().max(MAX_SUMMARY),
  actionItems: z.array(z.string().min(1).max(MAX_ACTION_ITEM)).max(MAX_ACTION_ITEMS).default([]),
  /** ISO 8601 date-time. */
  deadline: z.iso.datetime({ offset: true }).optional(),
  /** Why this priority: shown to the user, so it must make sense to them. */
  reason: z.string().max(MAX_REASON),
  /** Set when the rules suspect fraud (impersonation of a known contact, a payment or secrecy ask): shown before anything else. */
  warning: z.string().max(MAX_REASON).optional(),
});
export type Distillation = z.infer<typeof Distillation>;

const clipIfText = (s: unknown, max: number): unknown => (typeof s === 'string' ? clip(s, max) : s);

/**
 * Validates a model's answer. Over-long text is clipped and a date-only or offset-less deadline is
 * normalised first, because a model that wrote 310 characters should not cost the whole result;
 * anything else that is wrong still throws.
 */
export function parseDistillation(raw: unknown): Distillation {
  if (raw === null || typeof raw !== 'object') return Distillation.parse(raw);
  const r = { ...(raw as Record<string, unknown>) };
  r.summary = clipIfText(r.summary, MAX_SUMMARY);
  r.reason = clipIfText(r.reason, MAX_REASON);
  if (Array.isArray(r.actionItems)) {
    r.actionItems = r.actionItems
      .filter((a) => typeof a !== 'string' || a.trim() !== '')
      .slice(0, MAX_ACTION_ITEMS)
      .map((a) => clipIfText(typeof a === 'string' ? a.trim() : a, MAX_ACTION_ITEM));
  }
  if (r.deadline === null || r.deadline === '') delete r.deadline;
  if (typeof r.deadline === 'string' && !Distillation.shape.deadline.safeParse(r.deadline).success) {
    const t = Date.parse(r.deadline);
    if (!Number.isNaN(t)) r.deadline = new Date(t).toISOString();
  }
  return Distillation.parse(r);
}

/** '<Abc@Host>' → 'Abc@Host'. Message-IDs are case-sensitive on the left, so case is kept. */
export function normaliseMessageId(raw: string): string {
  return raw
    .trim()
    .replace(/^<+/, '')
    .replace(/>+$/, '')
    .replace(/\s+/g, '');
}

// ---- settings ---------------------------------------------------------------------------------

const ADDRESS_RE = /^[^\s@<>()",;]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const DOMAIN_RE = /^@[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** An address (`dana@acme.example`) or a whole domain (`@acme.example`, which includes its subdomains). */
export const SenderPattern = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => ADDRESS_RE.test(s) || DOMAIN_RE.test(s), {
    message: 'expected an email address (name@example.com) or a domain starting with @ (@example.com)',
  });

const Keyword = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().min(1, 'keywords cannot be empty').max(100));

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

export const FeedSettings = z.object({
  /** Senders whose mail is always at least `high`. */
  vips: z.array(SenderPattern).max(500).transform(uniq),
  /** Senders whose mail is filed as `ignore`. */
  muted: z.array(SenderPattern).max(500).transform(uniq),
  /** Whole words or phrases matched case-insensitively in the subject and the start of the body. */
  keywords: z.object({
    urgent: z.array(Keyword).max(200).transform(uniq),
    high: z.array(Keyword).max(200).transform(uniq),
  }),
  /** Mail at or above this priority is passed to the assistant (and so may notify). */
  notifyThreshold: Priority,
  /** Local time of the morning briefing. */
  briefingTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (24-hour)'),
  /** IANA time zone, e.g. Europe/Paris. */
  timezone: z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/Paris' }),
  /** Hosts (and their subdomains) an agent that read untrusted content may still fetch from without asking. */
  webFetchAllowlist: z
    .array(z.string().trim().toLowerCase().regex(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/, 'expected a host name such as wikipedia.org'))
    .max(200)
    .transform(uniq),
});
export type FeedSettings = z.infer<typeof FeedSettings>;

/** A partial update: any top-level field, and either keyword list on its own. */
export const FeedSettingsPatch = FeedSettings.extend({
  keywords: FeedSettings.shape.keywords.partial(),
})
  .partial()
  .strict();
export type FeedSettingsPatch = z.input<typeof FeedSettingsPatch>;

// Frozen all the way down: callers merge into copies, and a stray push must fail loudly.
export const DEFAULT_FEED_SETTINGS: FeedSettings = Object.freeze({
  vips: Object.freeze([]) as unknown as string[],
  muted: Object.freeze([]) as unknown as string[],
  keywords: Object.freeze({
    urgent: Object.freeze(['urgent', 'asap', 'emergency', 'outage']) as unknown as string[],
    high: Object.freeze(['deadline', 'action required', 'time-sensitive', 'overdue', 'past due']) as unknown as string[],
  }),
  notifyThreshold: 'high',
  briefingTime: '08:00',
  timezone: 'UTC',
  webFetchAllowlist: Object.freeze([]) as unknown as string[],
}) as FeedSettings;

// ---- feedback rules -------------------------------------------------------------------------------

/** What a feedback rule matches: the exact sender, the sender's domain (and subdomains), or a phrase in the subject or the start of the body. */
export const RULE_SCOPES = ['sender', 'domain', 'keyword'] as const;
export const RuleScope = z.enum(RULE_SCOPES);
export type RuleScope = z.infer<typeof RuleScope>;

export const RULE_EFFECTS = ['never_notify', 'always_notify'] as const;
export const RuleEffect = z.enum(RULE_EFFECTS);
export type RuleEffect = z.infer<typeof RuleEffect>;

/** A rule the user made from a notification ("not important", "always tell me") or edited in Settings. */
export const FeedbackRule = z.object({
  id: z.string().min(1).max(100),
  scope: RuleScope,
  /** An address, a domain without "@", or a phrase; lower-case. */
  value: z.string().min(1).max(200),
  effect: RuleEffect,
  /** The notification the user answered, when the rule came from one. */
  notificationId: z.string().max(300).optional(),
  note: z.string().max(300).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FeedbackRule = z.infer<typeof FeedbackRule>;

const DOMAIN_VALUE = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** The editable part of a rule, checked so that a value fits its scope. */
export const FeedbackRuleInput = z
  .object({
    scope: RuleScope,
    value: z
      .string()
      .transform((s) => s.trim().toLowerCase().replace(/^@/, ''))
      .pipe(z.string().min(1, 'value cannot be empty').max(200)),
    effect: RuleEffect,
    note: z.string().trim().max(300).optional(),
  })
  .strict()
  .refine((r) => r.scope !== 'sender' || ADDRESS_RE.test(r.value), { message: 'a sender rule needs an email address', path: ['value'] })
  .refine((r) => r.scope !== 'domain' || DOMAIN_VALUE.test(r.value), { message: 'a domain rule needs a domain such as example.com', path: ['value'] });
export type FeedbackRuleInput = z.input<typeof FeedbackRuleInput>;
