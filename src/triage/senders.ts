// Sender addresses and domains, and matching them against the user's VIP and mute lists.

export function domainOf(addressOrPattern: string): string {
  const at = addressOrPattern.lastIndexOf('@');
  return at < 0 ? '' : addressOrPattern.slice(at + 1).toLowerCase();
}

export function sameOrSubdomain(domain: string, parent: string): boolean {
  return domain !== '' && parent !== '' && (domain === parent || domain.endsWith(`.${parent}`));
}

/** 2 = the exact address is listed, 1 = its domain (or a parent domain) is, 0 = neither. */
export function matchSender(address: string, patterns: readonly string[]): { level: number; kind?: 'address' | 'domain' } {
  const domain = domainOf(address);
  let level = 0;
  for (const p of patterns) {
    if (p === address) return { level: 2, kind: 'address' };
    if (p.startsWith('@') && sameOrSubdomain(domain, p.slice(1))) level = 1;
  }
  return level ? { level, kind: 'domain' } : { level };
}
