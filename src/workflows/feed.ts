// One feed item, one workflow: `feed:<source>:<itemId>`, so a duplicate delivery is rejected by
// Temporal itself. The raw item is already in the context store; only its ID travels here.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface FeedInput {
  userId: string;
  /** gmail, mbox, maildir, eml, webhook:<name>… */
  source: string;
  /** The context store ID of the raw item. */
  itemId: string;
}

export interface FeedOutcome {
  priority: string;
  category: string;
  by: string;
  notified: boolean;
}

const { distilFeedItem } = proxyActivities<Activities>({
  // Rules take milliseconds; a model call is bounded by the model client's own timeout.
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const { announce } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function feedWorkflow(input: FeedInput): Promise<FeedOutcome> {
  const d = await distilFeedItem({ userId: input.userId, itemId: input.itemId });
  // Below the threshold (newsletters, muted, ignore): filed in the store, nobody is disturbed.
  if (d.announcement) await announce(d.announcement);
  return { priority: d.priority, category: d.category, by: d.by, notified: d.announcement !== undefined };
}
