// `buildProfile`: reads recent mail through the configured source (Gmail via Composio when it is
// connected, otherwise the context store) and builds the user profile: by the model when one is
// configured, by rules otherwise. Mail touching sensitive categories is not read at all, and
// whatever comes back is filtered again before it is stored.
import { Context } from '@temporalio/activity';
import type { Config } from '../../config';
import { fenceUntrusted, UNTRUSTED_CONTENT_RULE } from '../../triage/fence';
import type { EmailAddress, RawEmail } from '../../shared/feed';
import { isEmptyProfile, isSensitive, Profile, withoutSensitive } from '../../shared/profile';
import type { Store } from '../../store';
import { executeComposioTool } from '../../integrations/composio/tools';
import { parseAddressList } from '../../mail/gmail-payload';
import type { ModelClient } from '../../integrations/model';

export interface MailLite {
  from: EmailAddress;
  to: EmailAddress[];
  subject: string;
  text: string;
  labels: string[];
  bulk: boolean;
}

export interface BuildProfileResult {
  source: 'gmail' | 'context-store';
  messagesRead: number;
  by: 'model' | 'rules';
  fields: string[];
}

const MAIL_LIMIT = 60;
const GENERIC_PROVIDERS = new Set(['gmail', 'googlemail', 'outlook', 'hotmail', 'live', 'yahoo', 'icloud', 'me', 'proton', 'protonmail', 'aol', 'gmx', 'fastmail', 'mail']);
const AUTOMATED = /(^|[-_.+])(no-?reply|do-?not-?reply|donotreply|notifications?|notify|alerts?|mailer-daemon|postmaster|bounces?|billing|news|newsletter|marketing|digest|calendar)([-_.+]|$)/i;
const RECURRING = /\b(weekly|daily|monthly|every|stand-?up|sync|1:1|one-on-one|retro|planning|review)\b/i;

export const PROFILE_SYSTEM_PROMPT = [
  'You build a short profile of a person from their recent email, so their personal assistant can help them.',
  'Reply with one JSON object and nothing else: {"name": string, "role": string, "organisation": string, "contacts": string[], "commitments": string[], "tone": string}.',
  'name/role/organisation: the user\'s own (they are the recipient of most mail and the sender of sent mail). contacts: up to 8 people the user deals with most, as "Name <address> (relation)". commitments: up to 8 recurring meetings or duties. tone: one sentence on how the user writes. Omit anything you cannot tell.',
  'Collect only what an assistant needs to triage mail and plan the day. Never include health or medical details, immigration or visa status, finances beyond what a single message is about (salary, debts, bank details, taxes), religion, politics, sexuality, or criminal matters, even when the mail mentions them.',
  UNTRUSTED_CONTENT_RULE,
].join('\n\n');

const lite = (e: RawEmail): MailLite => ({
  from: e.from,
  to: [...e.to, ...e.cc],
  subject: e.subject,
  text: e.text.slice(0, 600),
  labels: e.labels,
  bulk: Boolean(e.headers.listUnsubscribe || e.headers.listId || /^(bulk|list|junk)$/.test(e.headers.precedence ?? '')),
});

function fromComposio(m: Record<string, unknown>): MailLite | undefined {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const from = parseAddressList(s(m.sender) || s(m.from))[0];
  if (!from) return undefined;
  const labels = Array.isArray(m.labelIds) ? (m.labelIds as unknown[]).filter((l): l is string => typeof l === 'string') : [];
  return {
    from,
    to: parseAddressList(s(m.to)),
    subject: s(m.subject),
    text: (s(m.messageText) || s(m.snippet)).slice(0, 600),
    labels,
    bulk: labels.includes('CATEGORY_PROMOTIONS') || labels.includes('CATEGORY_UPDATES'),
  };
}

const top = <T>(counts: Map<T, number>, n: number): T[] => [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k]) => k);
const bump = <T>(m: Map<T, number>, k: T) => m.set(k, (m.get(k) ?? 0) + 1);
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What plain counting can tell: who the user is (the usual recipient), who writes most, what recurs. */
export function profileByRules(mail: MailLite[]): Profile {
  const sent = mail.filter((m) => m.labels.includes('SENT'));
  const recipients = new Map<string, number>();
  for (const m of mail) if (!m.bulk && !m.labels.includes('SENT')) for (const r of m.to) bump(recipients, r.address.toLowerCase());
  const me = sent[0]?.from.address.toLowerCase() ?? top(recipients, 1)[0];
  const names = new Map<string, number>();
  for (const m of mail) {
    for (const a of [m.from, ...m.to]) if (a.address.toLowerCase() === me && a.name) bump(names, a.name);
  }
  const domain = me?.split('@')[1] ?? '';
  const labels = domain.split('.');
  const orgLabel = labels.length >= 2 ? labels[labels.length - 2]! : '';
  const contacts = new Map<string, number>();
  const display = new Map<string, string>();
  for (const m of mail) {
    const a = m.from.address.toLowerCase();
    if (m.bulk || a === me || AUTOMATED.test(a.split('@')[0] ?? '')) continue;
    bump(contacts, a);
    if (m.from.name) display.set(a, m.from.name);
  }
  const subjects = new Map<string, number>();
  for (const m of mail) {
    if (m.bulk) continue;
    const s = m.subject
      .replace(/^((re|fwd?|aw|invitation|updated invitation|accepted|declined)\s*:\s*)+/i, '')
      .replace(/\s*@.*$/, '')
      .replace(/\b\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?\b/g, '')
      .trim();
    if (s && RECURRING.test(s)) bump(subjects, s);
  }
  let tone: string | undefined;
  if (sent.length) {
    const words = sent.map((m) => m.text.split(/\s+/).filter(Boolean).length).sort((a, b) => a - b)[Math.floor(sent.length / 2)]!;
    const informal = sent.filter((m) => /^\s*(hi|hey|hello)\b/i.test(m.text)).length * 2 >= sent.length;
    tone = `${words < 80 ? 'brief' : 'detailed'} (${words} words typically), ${informal ? 'informal greetings' : 'formal'}`;
  }
  return {
    ...(names.size ? { name: top(names, 1)[0] } : {}),
    ...(orgLabel && !GENERIC_PROVIDERS.has(orgLabel) && orgLabel !== 'example' ? { organisation: capitalise(orgLabel) } : {}),
    ...(orgLabel === 'example' && labels.length >= 2 ? { organisation: capitalise(labels[0]!) } : {}),
    ...(contacts.size ? { contacts: top(contacts, 6).map((a) => (display.get(a) ? `${display.get(a)} <${a}>` : a)) } : {}),
    ...(subjects.size ? { commitments: top(subjects, 5) } : {}),
    ...(tone ? { tone } : {}),
  };
}

export function makeProfile(config: Config, store: Store, client: ModelClient | undefined) {
  async function readMail(userId: string): Promise<{ source: BuildProfileResult['source']; mail: MailLite[] }> {
    if (config.composio.apiKey && config.composio.toolkitVersions.gmail) {
      try {
        const res = await executeComposioTool(config, { userId, slug: 'GMAIL_FETCH_EMAILS', arguments: { max_results: MAIL_LIMIT } });
        const messages = Array.isArray(res.data.messages) ? (res.data.messages as Record<string, unknown>[]) : [];
        if (res.successful) return { source: 'gmail', mail: messages.map(fromComposio).filter((m): m is MailLite => m !== undefined) };
        Context.current().log.info('Gmail not readable for the profile; using the context store', { error: res.error });
      } catch (err) {
        Context.current().log.info('Gmail not reachable for the profile; using the context store', { error: (err as Error).message });
      }
    }
    const emails: RawEmail[] = [];
    for (const i of await store.context.recent(userId, { kind: 'email', limit: MAIL_LIMIT })) {
      const e = await store.context.getEmail(userId, i.id);
      if (e) emails.push(e);
    }
    return { source: 'context-store', mail: emails.map(lite) };
  }

  async function byModel(mail: MailLite[], rules: Profile): Promise<Profile | undefined> {
    const listing = mail
      .slice(0, 40)
      .map((m) => `From: ${m.from.name ? `${m.from.name} <${m.from.address}>` : m.from.address}\nTo: ${m.to.map((a) => a.address).join(', ')}\nSubject: ${m.subject}${m.labels.includes('SENT') ? '\n(sent by the user)' : ''}\n${m.text.slice(0, 300)}`)
      .join('\n---\n');
    try {
      const res = await client!.complete(
        [
          { role: 'system', content: PROFILE_SYSTEM_PROMPT },
          { role: 'user', content: `Counting suggests: ${JSON.stringify(rules)}\n\n${fenceUntrusted('recent mail', listing)}\n\nReply with the JSON object only.` },
        ],
        [],
        { json: true },
      );
      const raw = JSON.parse(res.content ?? '') as Record<string, unknown>;
      for (const [k, v] of Object.entries(raw)) if (v === null || v === '') delete raw[k];
      const parsed = Profile.safeParse(raw);
      return parsed.success ? parsed.data : undefined;
    } catch (err) {
      Context.current().log.warn('model profile failed; using the rules', { error: (err as Error).message });
      return undefined;
    }
  }

  return async function buildProfile(input: { userId: string }): Promise<BuildProfileResult> {
    const { source, mail: all } = await readMail(input.userId);
    // Sensitive mail is not read at all, not even by the model.
    const mail = all.filter((m) => !isSensitive(`${m.subject}\n${m.text}`));
    const rules = profileByRules(mail);
    const model = client && mail.length ? await byModel(mail, rules) : undefined;
    const profile = withoutSensitive({ ...rules, ...model });
    if (!isEmptyProfile(profile) || !(await store.profile.get(input.userId)).builtAt) await store.profile.setAuto(input.userId, profile);
    return { source, messagesRead: mail.length, by: model ? 'model' : 'rules', fields: Object.keys(profile) };
  };
}
