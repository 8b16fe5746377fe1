// One feed item of one user, one workflow: `feed:<userId>:<itemId>`, so a duplicate delivery is
// rejected by Temporal itself. The raw item is already in the context store; only its ID travels here.
import { ApplicationFailure, log, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { claimedSourceMismatch } from '../shared/feed-item-check';
import { distil, feedAnnounce, localDistil, localFeedAnnounce, localFeedItem } from './activity-options';

export interface FeedInput {
  userId: string;
  /** gmail, mbox, maildir, eml, imap, webhook:<name>, calendar, plugin:<name> */
  source: string;
  /** The context store ID of the raw item (src/shared/ids.ts). */
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
const local = {
  distilFeedItem: proxyLocalActivities<Activities>(localDistil).distilFeedItem,
  announce: proxyLocalActivities<Activities>(localFeedAnnounce).announce,
  distilAndAnnounce: proxyLocalActivities<Activities>(localFeedItem).distilAndAnnounce,
};

export async function feedWorkflow(input: FeedInput): Promise<FeedOutcome> {
  // Runs started before IDs carried their kind (`feed:<source>:<id>`) had no such check; for them
  // the patch is absent and they go on as they were.
  if (patched('feed-item-kind-check')) {
    const mismatch = claimedSourceMismatch(input.itemId, input.source);
    if (mismatch) {
      log.error('feed item refused', { userId: input.userId, itemId: input.itemId, source: input.source, reason: mismatch });
      throw ApplicationFailure.nonRetryable(mismatch, 'FeedItemMismatch');
    }
  }
  // Both steps in the worker, in the workflow's first task: one workflow task per item instead of
  // three and two activity tasks. Runs before this patch ran them as activities.
  const inWorker = patched('feed-local-activities');
  // Then both in one local activity: one activation per item fewer. Runs before this ran two.
  if (inWorker && patched('feed-one-local-activity')) {
    const d = await local.distilAndAnnounce({ userId: input.userId, itemId: input.itemId, source: input.source });
    return { priority: d.priority, category: d.category, by: d.by, notified: d.announced };
  }
  const d = await (inWorker ? local.distilFeedItem : distilFeedItem)({ userId: input.userId, itemId: input.itemId, source: input.source });
  // Below the threshold (newsletters, muted, ignore): filed in the store, nobody is disturbed.
  if (d.announcement) await (inWorker ? local.announce : announce)(d.announcement);
  return { priority: d.priority, category: d.category, by: d.by, notified: d.announcement !== undefined };
}
