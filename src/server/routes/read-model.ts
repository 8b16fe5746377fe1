// Reads of what the user sees: the transcript, notifications and tasks, straight from the store.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Notification, NotificationView, TaskRecord } from '../../shared/types';
import type { ServerDeps } from '../deps';
import { query } from '../validate';

const limit = z.coerce.number().int().min(1).max(500).default(100);

export function temporalUrl(config: Config, workflowId: string): string {
  return `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function withTemporalUrl(config: Config, t: TaskRecord) {
  return { ...t, temporalUrl: t.workflowId ? temporalUrl(config, t.workflowId) : undefined };
}

export function readModelRoutes(app: Hono, { config, store }: ServerDeps): void {
  const user = config.userId;

  app.get('/api/conversation', query(z.object({ limit, before: z.string().optional() })), async (c) => {
    const q = c.req.valid('query');
    return c.json({ messages: await store.transcript.list(user, q) });
  });

  const withItem = (n: Notification): NotificationView => {
    const item = n.ref ? store.context.get(user, n.ref) : undefined;
    return item ? { ...n, item: { kind: item.kind, ...(item.senderAddress ? { sender: item.senderAddress } : {}) } } : n;
  };

  app.get('/api/notifications', query(z.object({ limit, unread: z.enum(['0', '1']).optional() })), async (c) => {
    const q = c.req.valid('query');
    return c.json({
      notifications: (await store.notifications.list(user, { unreadOnly: q.unread === '1', limit: q.limit })).map(withItem),
      unread: await store.notifications.unreadCount(user),
    });
  });

  app.post('/api/notifications/read-all', async (c) => c.json({ ok: true, marked: await store.notifications.markAllRead(user) }));

  app.post('/api/notifications/:id/read', async (c) => {
    if (!(await store.notifications.markRead(user, c.req.param('id')))) return c.json({ error: 'no such notification' }, 404);
    return c.json({ ok: true });
  });

  app.get(
    '/api/tasks',
    query(z.object({ limit, status: z.enum(['running', 'completed', 'failed', 'cancelled']).optional() })),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ tasks: (await store.tasks.list(user, q)).map((t) => withTemporalUrl(config, t)) });
    },
  );
}
