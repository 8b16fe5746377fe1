// Health: is Temporal reachable, is a worker polling our task queue, which model is active.
import type { Hono } from 'hono';
import { breakerState } from '../../shared/model-breaker';
import type { ServerDeps } from '../deps';

export function healthRoutes(app: Hono, { config, paprika, store }: ServerDeps): void {
  app.get('/api/health', async (c) => {
    const t = config.temporal;
    const h = await paprika.health();
    const ok = h.temporalReachable && h.workerPolling;
    return c.json(
      {
        ok,
        ...(h.detail ? { detail: h.detail } : {}),
        temporal: { reachable: h.temporalReachable, address: t.address ?? 'embedded', namespace: t.namespace },
        worker: { reachable: h.workerPolling, taskQueue: t.taskQueue },
        model: config.model.kind === 'openai' ? `openai:${config.model.name}` : 'offline',
        // The breaker every worker shares: open means chats are answered at once and feeds use the rules.
        modelBreaker: (await store.modelHealth.all()).map(({ model, record }) => ({
          model,
          state: breakerState(record, new Date()),
          failures: record.failures,
          ...(record.retryAt && record.state === 'open' ? { retryAt: record.retryAt } : {}),
          ...(record.lastError ? { lastError: record.lastError } : {}),
        })),
        uiUrl: config.publicUrl,
        temporalUiUrl: t.uiUrl,
      },
      ok ? 200 : 503,
    );
  });
}
