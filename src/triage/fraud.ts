// Business-email compromise: someone poses as a person the user knows (their name from another
// domain, or a look-alike of their domain) or writes out of the blue, and asks for money, gift
// cards, credentials or secrecy. Either half alone is common in honest mail; together they are the
// pattern, so the verdict needs an impersonation plus an ask, or a stranger with a strong ask.
import type { RawEmail } from '../shared/feed';
import type { KnownContact } from './context';
import { GENERIC_ORGS, isLookalike } from './phishing';
import { domainOf, sameOrSubdomain } from './senders';

export interface FraudCheck {
  suspected: boolean;
  /** One sentence for the user: who it pretends to be, where it really comes from, what it wants. */
  warning?: string;
}

const GIFT_CARDS = /\b(gift ?cards?|itunes cards?|google play cards?|steam cards?|amazon cards?|scratch (the|off)|card codes?)\b/i;
const MONEY =
  /\b(wire (transfer|the|a|funds|payment)|bank transfer|transfer (the )?(funds|money|\$|€|£)|(new|updated|changed?) (bank|banking|account|payment) (details|information|info)|change (of|to) (our )?(bank|banking|payment) details|process (a|the|this) (payment|transfer)|(urgent|overdue|outstanding) (payment|invoice)|pay (this|the) invoice (today|now|immediately)|remit(tance)? to|crypto|bitcoin|usdt)\b/i;
const CREDENTIALS = /\b(password|passcode|login details|credentials|(verification|security|one-time|mfa|2fa|authentication) code|sign-?in code)\b/i;
const SECRECY =
  /\b(keep (this|it) (between us|confidential|quiet|to yourself)|between (you and me|us)|(do not|don't) (tell|mention|discuss|share)|discreet(ly)?|strictly confidential|(i'?m|i am) (in a meeting|in meetings|boarding|travell?ing|tied up)|can'?t (talk|take calls)|(reply|respond) (only )?(by|via) (e-?mail|text)|are you (at your desk|available)\??)/i;

/** `known`: the sender is one of the user's contacts or from the user's own organisation. */
export function fraudCheck(email: RawEmail, contacts: readonly KnownContact[], references: readonly string[], known: boolean, head: string): FraudCheck {
  const sender = email.from.address.toLowerCase();
  const domain = domainOf(sender);
  const text = `${email.subject}\n${head}`;
  const asks = [
    GIFT_CARDS.test(text) && 'gift cards',
    MONEY.test(text) && 'a payment or a change of bank details',
    CREDENTIALS.test(text) && 'a password or a code',
    SECRECY.test(text) && 'secrecy or a quick answer by mail only',
  ].filter((a): a is string => Boolean(a));
  if (asks.length === 0) return { suspected: false };

  const posing = impersonated(email.from.name, sender, contacts);
  const imitatedDomain = [...new Set([...contacts.map((c) => domainOf(c.address)), ...references])].find((r) => isLookalike(domain, r));
  const replyTo = email.headers.replyTo ? domainOf(email.headers.replyTo) : '';
  const replyElsewhere = replyTo !== '' && !sameOrSubdomain(replyTo, domain) && !sameOrSubdomain(domain, replyTo);
  // Gift cards alone are the classic ask; otherwise a stranger needs two kinds of ask to be suspect.
  const strongAsk = asks.includes('gift cards') || asks.length >= 2;
  const borrowedName = references.find((r) => ownsNameOf(domain, r));

  let who: string | undefined;
  if (posing) who = `it looks like ${posing.name} but comes from ${domain}`;
  else if (imitatedDomain) who = `it comes from ${domain}, a look-alike of ${imitatedDomain}`;
  else if (borrowedName) who = `it comes from ${domain}, which borrows the name of ${borrowedName}`;
  else if (!known && strongAsk) who = `it comes from ${sender}, someone you have not dealt with`;
  if (!who) return { suspected: false };
  const extra = replyElsewhere ? ` and replies would go to ${replyTo}` : '';
  return { suspected: true, warning: `Suspected fraud: ${who}${extra}, and it asks for ${asks.join(', ')}. Check with the person another way before doing anything.` };
}

/** "acme-hr.example" for "acme.example": the organisation's name as one part of another domain. */
function ownsNameOf(domain: string, ref: string): boolean {
  const org = ref.split('.')[0]!;
  if (org.length < 4 || GENERIC_ORGS.has(org) || sameOrSubdomain(domain, ref)) return false;
  return domain.split('.')[0]!.split('-').includes(org) && domain.split('.')[0] !== org;
}

/** A known contact whose name the display name carries while the address is not theirs. */
function impersonated(displayName: string | undefined, sender: string, contacts: readonly KnownContact[]): KnownContact | undefined {
  const shown = normaliseName(displayName ?? '');
  if (shown.split(' ').length < 2) return undefined;
  const senderDomain = domainOf(sender);
  return contacts.find((c) => {
    if (!c.name || c.address === sender) return false;
    const name = normaliseName(c.name);
    if (name.split(' ').length < 2 || !shown.includes(name)) return false;
    const theirs = domainOf(c.address);
    // Their own organisation's other address is them; a webmail or foreign domain is not.
    return !(sameOrSubdomain(senderDomain, theirs) && !GENERIC_ORGS.has(theirs.split('.')[0]!));
  });
}

function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
