// The user's feedback rules ("not important", "always tell me") matched against one email. The
// most specific scope wins (sender over domain over keyword), and among equals the latest answer.
import type { FeedbackRule, RawEmail } from '../shared/feed';
import { domainOf, sameOrSubdomain } from './senders';

const SPECIFICITY = { sender: 3, domain: 2, keyword: 1 } as const;

export function matchFeedback(email: RawEmail, rules: readonly FeedbackRule[], head: string): FeedbackRule | undefined {
  const sender = email.from.address.toLowerCase();
  const domain = domainOf(sender);
  const text = `${email.subject}\n${head}`;
  let best: FeedbackRule | undefined;
  for (const r of rules) {
    const hit = r.scope === 'sender' ? r.value === sender : r.scope === 'domain' ? sameOrSubdomain(domain, r.value) : phrase(r.value).test(text);
    if (!hit) continue;
    if (!best || SPECIFICITY[r.scope] > SPECIFICITY[best.scope] || (SPECIFICITY[r.scope] === SPECIFICITY[best.scope] && r.updatedAt > best.updatedAt)) best = r;
  }
  return best;
}

export function describeRule(r: Pick<FeedbackRule, 'scope' | 'value' | 'effect'>): string {
  const what = r.scope === 'sender' ? `mail from ${r.value}` : r.scope === 'domain' ? `mail from ${r.value}` : `mail mentioning "${r.value}"`;
  return `your rule: ${r.effect === 'never_notify' ? 'never notify' : 'always tell me about'} ${what}`;
}

function phrase(p: string): RegExp {
  const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
}
