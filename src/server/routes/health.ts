// Health: is Temporal reachable, is a worker polling our task queue, which model is active.
import type { Hono } from 'hono';
import { temporal } from '@temporalio/proto';
import type { ServerDeps } from '../deps';

const WORKER_FRESH_MS = 90_000;

export function healthRoutes(app: Hono, { config, client }: ServerDeps): void {
  app.get('/api/health', async (c) => {
    const t = config.temporal;
    let temporalOk = false;
    let workerOk = false;
    let detail: string | undefined;
    try {
      await client.workflowService.getSystemInfo({}, );
      temporalOk = true;
      const res = await client.workflowService.describeTaskQueue({
        namespace: t.namespace,
        taskQueue: { name: t.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const now = Date.now();
      workerOk = (res.pollers ?? []).some((p) => {
        const seconds = Number(p.lastAccessTime?.seconds ?? 0);
        return now - seconds * 1000 < WORKER_FRESH_MS;
      });
      if (!workerOk) detail = `no worker is polling task queue "${t.taskQueue}"`;
    } catch (err) {
      detail = `Temporal unreachable: ${(err as Error).message}`;
    }
    const ok = temporalOk && workerOk;
    return c.json(
      {
        ok,
        ...(detail ? { detail } : {}),
        temporal: { reachable: temporalOk, address: t.address ?? 'embedded', namespace: t.namespace },
        worker: { reachable: workerOk, taskQueue: t.taskQueue },
        model: config.model.kind === 'openai' ? `openai:${config.model.name}` : 'offline',
        uiUrl: config.publicUrl,
        temporalUiUrl: t.uiUrl,
      },
      ok ? 200 : 503,
    );
  });
}
