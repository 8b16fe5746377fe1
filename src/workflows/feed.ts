// One feed item, one workflow: `feed:<source>:<itemId>`, so a duplicate delivery is rejected by
// Temporal itself. The raw item is already in the context store; only its ID travels here.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { distil, feedAnnounce } from './activity-options';

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

const { distilFeedItem } = proxyActivities<Activities>(distil);
const { announce } = proxyActivities<Activities>(feedAnnounce);

export async function feedWorkflow(input: FeedInput): Promise<FeedOutcome> {
  const d = await distilFeedItem({ userId: input.userId, itemId: input.itemId });
  // Below the threshold (newsletters, muted, ignore): filed in the store, nobody is disturbed.
  if (d.announcement) await announce(d.announcement);
  return { priority: d.priority, category: d.category, by: d.by, notified: d.announcement !== undefined };
}
