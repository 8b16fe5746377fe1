// Bare Temporal references for the benchmark, on their own task queue of the same dev server:
// what an update answered from one activity costs, and what a one-activity workflow costs.
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities';

const { echo } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

export const askUpdate = defineUpdate<string, [string]>('ask');

export async function bareUpdateWorkflow(): Promise<void> {
  setHandler(askUpdate, (text) => echo(text));
  await condition(() => false);
}

export async function bareOneActivityWorkflow(text: string): Promise<string> {
  return echo(text);
}
