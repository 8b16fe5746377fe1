// The morning briefing, started by a Temporal Schedule at the user's local briefing time.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { scheduledJob } from './activity-options';

const { gatherBriefing, announce } = proxyActivities<Activities>(scheduledJob);

export async function briefingWorkflow(input: { userId: string }): Promise<{ title: string }> {
  // A scheduled run's workflow ID carries its time, so it keys this briefing's notification.
  const a = await gatherBriefing({ userId: input.userId, runKey: workflowInfo().workflowId });
  await announce(a);
  return { title: a.notification?.title ?? '' };
}
