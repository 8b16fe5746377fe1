// `catchUpGmail`: the scheduled safety net behind webhooks and the subscription (see
// src/integrations/composio/catchup.ts); its messages go through the same feed pipeline.
import type { Config } from '../config';
import { type CatchupResult, catchUpGmail } from '../integrations/composio/catchup';
import type { Store } from '../store';
import { paprikaClient } from './paprika';

export function makeGmailCatchupActivities(config: Config, store: Store) {
  return {
    async catchUpGmail({ userId }: { userId: string }): Promise<CatchupResult> {
      const feeds = paprikaClient(config, store).feeds;
      return catchUpGmail(config, store, userId, (email) => feeds.submitEmail(email, userId));
    },
  };
}
