// Is Temporal reachable, and is a worker polling our task queue?
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Config } from '../config';

const WORKER_FRESH_MS = 90_000;

export interface TemporalHealth {
  temporalReachable: boolean;
  workerPolling: boolean;
  /** Why not, when either is false. */
  detail?: string;
}

export async function temporalHealth(client: Client, config: Config): Promise<TemporalHealth> {
  const t = config.temporal;
  let temporalReachable = false;
  try {
    await client.workflowService.getSystemInfo({});
    temporalReachable = true;
    const res = await client.workflowService.describeTaskQueue({
      namespace: t.namespace,
      taskQueue: { name: t.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const now = Date.now();
    const workerPolling = (res.pollers ?? []).some((p) => now - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < WORKER_FRESH_MS);
    return workerPolling ? { temporalReachable, workerPolling } : { temporalReachable, workerPolling, detail: `no worker is polling task queue "${t.taskQueue}"` };
  } catch (err) {
    return { temporalReachable, workerPolling: false, detail: `Temporal unreachable: ${(err as Error).message}` };
  }
}
