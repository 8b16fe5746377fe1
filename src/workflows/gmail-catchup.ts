// One Gmail catch-up, started by its Temporal Schedule. Each message starts its own feed workflow
// (deduped by ID), so this run only reports counts.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CatchupResult } from '../integrations/composio/catchup';

const { catchUpGmail } = proxyActivities<Activities>({
  // A long downtime is many pages; a failed run is retried a little, then the next one tries again.
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 3, initialInterval: '10 seconds' },
});

export async function gmailCatchupWorkflow(input: { userId: string }): Promise<CatchupResult> {
  return catchUpGmail(input);
}
