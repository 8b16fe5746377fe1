// Started daily by a Temporal Schedule: prunes what is older than PAPRIKA_RETENTION_DAYS. The
// counts it returns show in the Temporal UI, the content never does.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { pruneOldData } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5 },
});

export async function retentionWorkflow(input: { userId: string }) {
  return pruneOldData({ userId: input.userId });
}
