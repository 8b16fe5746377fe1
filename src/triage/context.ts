// What the rules know about the user beyond one email and the settings: who they are, who they
// deal with (so an impersonation can be recognised), and the rules they made from feedback.
import type { FeedbackRule } from '../shared/feed';
import type { Profile } from '../shared/profile';
import { domainOf } from './senders';

export interface KnownContact {
  /** Display name as the user knows it ("Dana Whitfield"); absent for a bare address. */
  name?: string;
  address: string;
}

export interface TriageContext {
  /** The user's own names (full name and first name), to see mail that asks for them by name. */
  userNames: string[];
  /** People the user deals with: profile contacts, VIP addresses, people they have mailed. */
  contacts: KnownContact[];
  /** The user's feedback rules; applied before every built-in rule and before the model. */
  feedback: FeedbackRule[];
}

export const EMPTY_CONTEXT: TriageContext = Object.freeze({ userNames: [], contacts: [], feedback: [] }) as TriageContext;

// "Dana Whitfield <dana@acme.example> (manager)", "dana@acme.example", "Dana Whitfield (manager)".
const CONTACT = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>|([^\s<>()]+@[^\s<>()]+)/;

export function parseContact(entry: string): KnownContact | undefined {
  const m = CONTACT.exec(entry);
  if (!m) return undefined;
  const address = (m[2] ?? m[3] ?? '').toLowerCase();
  if (!domainOf(address)) return undefined;
  const name = m[1]?.trim();
  return name ? { name, address } : { address };
}

export function buildContext(input: { profile?: Profile; vips?: readonly string[]; correspondents?: KnownContact[]; feedback?: FeedbackRule[] }): TriageContext {
  const contacts: KnownContact[] = [];
  const seen = new Set<string>();
  const add = (c: KnownContact | undefined) => {
    if (!c || seen.has(c.address)) return;
    seen.add(c.address);
    contacts.push(c);
  };
  for (const entry of input.profile?.contacts ?? []) add(parseContact(entry));
  for (const c of input.correspondents ?? []) add(c);
  for (const v of input.vips ?? []) if (!v.startsWith('@')) add({ address: v });
  const full = input.profile?.name?.trim();
  const userNames = full ? [...new Set([full, full.split(/\s+/)[0]!])] : [];
  return { userNames, contacts, feedback: input.feedback ?? [] };
}
