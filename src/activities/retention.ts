// The daily prune: the activity reads the clock (a workflow must not) and the retention period.
import type { Config } from '../config';
import type { Store } from '../store';
import type { PruneCounts } from '../store/retention';

const DAY_MS = 86_400_000;

export function makeRetentionActivities(config: Config, store: Store) {
  return {
    async pruneOldData(input: { userId: string }): Promise<PruneCounts & { cutoff: string }> {
      const cutoff = new Date(Date.now() - config.security.retentionDays * DAY_MS).toISOString();
      return { cutoff, ...await store.retention.prune(input.userId, cutoff) };
    },
  };
}
