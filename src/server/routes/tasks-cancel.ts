// Cancelling a task from the API; how it is cancelled is the application client's business.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { USER } from '../../shared/provenance';
import type { ServerDeps } from '../deps';
import { failureResponse } from '../errors';

export function taskCancelRoutes(app: Hono, { config, store, paprika }: ServerDeps): void {
  app.post('/api/tasks/:id/cancel', async (c) => {
    const taskId = c.req.param('id');
    const res = await paprika.tasks.cancel(config.userId, taskId);
    const task = await store.tasks.get(taskId);
    // A cancel of someone else's or no task is not an action on anything, so it is not logged.
    if (task?.userId === config.userId) {
      store.audit.record({
        id: `api:${randomUUID()}`,
        userId: config.userId,
        action: 'cancel_task',
        actor: 'api',
        provenance: USER,
        outcome: res.ok ? 'done' : 'refused',
        detail: res.ok ? `Cancelled "${task.title}"` : res.message,
        taskId,
        ...(res.ok ? { workflowId: res.action.workflowId } : task.workflowId ? { workflowId: task.workflowId } : {}),
      });
    }
    return res.ok ? c.json({ ok: true }) : failureResponse(c, res);
  });
}
