// Replays workflow histories against the current workflow code: a nondeterminism error means a
// change would break workflows that are already running (guard it with patched()).
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';

export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  error?: string;
}

export async function fetchHistories(client: Client, query?: string): Promise<{ workflowId: string; runId: string; history: History }[]> {
  const out: { workflowId: string; runId: string; history: History }[] = [];
  for await (const wf of client.workflow.list({ query })) {
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    out.push({ workflowId: wf.workflowId, runId: wf.runId, history });
  }
  return out;
}

export async function replayAll(
  options: ReplayWorkerOptions,
  histories: { workflowId: string; runId: string; history: History }[],
): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  const iterable = Worker.runReplayHistories(
    options,
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  let i = 0;
  for await (const result of iterable) {
    const h = histories[i++]!;
    outcomes.push({ workflowId: result.workflowId, runId: h.runId, ...(result.error ? { error: String(result.error.message ?? result.error) } : {}) });
  }
  return outcomes;
}
