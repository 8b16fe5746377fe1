// Signals that an email is an attack: phishing (look-alike domains, a brand in the display name,
// requests for credentials, threats) and text that tries to give orders to an AI assistant.
import type { RawEmail } from '../shared/feed';
import { domainOf, sameOrSubdomain } from './senders';
import { clip } from './text';

export interface PhishingCheck {
  suspected: boolean;
  /** Why, in words for the user. */
  signals: string[];
}

const BRANDS = ['paypal', 'microsoft', 'office 365', 'outlook', 'apple', 'icloud', 'google', 'gmail', 'amazon', 'netflix', 'docusign', 'dropbox', 'dhl', 'fedex', 'ups', 'usps', 'irs', 'hmrc', 'chase', 'wells fargo', 'coinbase'];
// First labels that name a mail provider or a documentation domain, not an organisation.
export const GENERIC_ORGS = new Set(['gmail', 'googlemail', 'outlook', 'hotmail', 'live', 'yahoo', 'icloud', 'me', 'proton', 'protonmail', 'aol', 'gmx', 'mail', 'fastmail', 'example']);
// A domain written into a display name ("PayPal.com Support"); a short TLD list keeps "j.smith" out.
const SHOWN_DOMAIN = /\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|net|org|io|co|uk|de|fr|info|biz|us|ca|au|app|dev|ai|example)\b/;
const VERIFY_ACCOUNT = /\b(verify|confirm|validate|update|re-?enter|reactivate|unlock|restore)\s+(your\s+)?(account|identity|password|login|credentials|mailbox|payment (details|information)|billing (details|information)|card)\b/i;
const CREDENTIALS = /\b(enter|confirm|confirming|provide|send|submit|reply with|type|verify)\b[^.\n]{0,40}\b(password|passcode|credentials|card number|cvv|pin|security code|one-time code|bank details)\b/i;
const THREAT = /\b(suspend(ed|sion)?|locked|deactivat\w*|terminat\w*|within \d+ hours|expires? today|final (notice|warning)|legal action|unusual (sign-?in|activity))\b/i;

/** `references`: domains the user deals with (recipients, VIPs), which an attacker would imitate. */
export function phishingCheck(email: RawEmail, references: string[], head: string): PhishingCheck {
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

/** The first phrase that tries to instruct an AI assistant, clipped for quoting in a warning. */
export function findInjection(text: string): string | undefined {
  for (const re of INJECTION) {
    const m = re.exec(text);
    if (m) return clip(m[0].replace(/\s+/g, ' '), 80);
  }
  return undefined;
}

// Maps characters attackers swap for each other onto one, so "acrne" and "acme" compare equal.
function skeleton(domain: string): string {
  return domain.toLowerCase().replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/0/g, 'o').replace(/[1il|]/g, 'l').replace(/3/g, 'e').replace(/5/g, 's').replace(/-/g, '');
}

export function isLookalike(domain: string, ref: string): boolean {
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
