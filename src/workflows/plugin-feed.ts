// One poll of one plugin feed, started by its Temporal Schedule. The items themselves each start
// their own feed workflow (deduped by ID), so this run only reports counts.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PollPluginFeedInput, PollPluginFeedResult } from '../activities/plugins';

const { pollPluginFeed } = proxyActivities<Activities>({
  // poll() is the plugin's own code calling its own service: bounded, and retried a little.
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3, initialInterval: '5 seconds' },
});

export async function pluginFeedWorkflow(input: PollPluginFeedInput): Promise<PollPluginFeedResult> {
  return pollPluginFeed(input);
}
