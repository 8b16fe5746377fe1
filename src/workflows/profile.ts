// Builds the user profile from recent mail: once on first launch, then weekly by a Schedule.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { profileBuild } from './activity-options';
import type { BuildProfileResult } from '../activities/feeds/profile';

const { buildProfile } = proxyActivities<Activities>(profileBuild);

export async function profileWorkflow(input: { userId: string }): Promise<BuildProfileResult> {
  return buildProfile({ userId: input.userId });
}
