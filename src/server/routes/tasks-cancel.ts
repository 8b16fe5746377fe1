// Cancelling a task from the API; how it is cancelled is the application client's business.
import type { Hono } from 'hono';
import type { ServerDeps } from '../deps';
import { failureResponse } from '../errors';

export function taskCancelRoutes(app: Hono, { config, paprika }: ServerDeps): void {
  app.post('/api/tasks/:id/cancel', async (c) => {
    const res = await paprika.tasks.cancel(config.userId, c.req.param('id'));
    return res.ok ? c.json({ ok: true }) : failureResponse(c, res);
  });
}
