// Builds the user profile from recent mail: once on first launch, then weekly by a Schedule.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BuildProfileResult } from '../activities/feeds/profile';

const { buildProfile } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 3 },
});

export async function profileWorkflow(input: { userId: string }): Promise<BuildProfileResult> {
  return buildProfile({ userId: input.userId });
}
