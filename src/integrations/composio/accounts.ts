// The state of the user's Composio connections, for the settings page's health of each source.
import type { Config } from '../../config';
import { createComposio } from './client';

const CACHE_MS = 60_000;
const LOOKUP_TIMEOUT_MS = 5_000;
// The settings page is polled; a minute of staleness spares Composio a call per view.
const cache = new WeakMap<Config, { at: number; accounts: Promise<Map<string, string>> }>();

/** toolkit → status of the user's newest connected account (ACTIVE, EXPIRED, …), cached for a minute. */
export function connectedAccountStatuses(config: Config, userId: string): Promise<Map<string, string>> {
  const hit = cache.get(config);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.accounts;
  const accounts = (async () => {
    const composio = createComposio(config);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`Composio did not answer in ${LOOKUP_TIMEOUT_MS / 1000} s`)), LOOKUP_TIMEOUT_MS).unref());
    const list = await Promise.race([composio.connectedAccounts.list({ userIds: [userId] }), timeout]);
    const out = new Map<string, string>();
    for (const a of list.items) {
      const toolkit = a.toolkit?.slug?.toLowerCase();
      if (toolkit && (out.get(toolkit) !== 'ACTIVE' || a.status === 'ACTIVE')) out.set(toolkit, a.status);
    }
    return out;
  })();
  cache.set(config, { at: Date.now(), accounts });
  accounts.catch(() => cache.delete(config));
  return accounts;
}

/** Forget the cached statuses (after a webhook says an account expired). */
export function forgetAccountStatuses(config: Config): void {
  cache.delete(config);
}
