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

  app.get('/api/conversation', query(z.object({ limit, before: z.string().optional() })), (c) => {
    const q = c.req.valid('query');
    return c.json({ messages: store.transcript.list(user, q) });
  });

  const withItem = async (n: Notification): Promise<NotificationView> => {
    const item = n.ref ? await store.context.get(user, n.ref) : undefined;
    return item ? { ...n, item: { kind: item.kind, ...(item.senderAddress ? { sender: item.senderAddress } : {}) } } : n;
  };

  app.get('/api/notifications', query(z.object({ limit, unread: z.enum(['0', '1']).optional() })), async (c) => {
    const q = c.req.valid('query');
    return c.json({
      notifications: await Promise.all((await store.notifications.list(user, { unreadOnly: q.unread === '1', limit: q.limit })).map(withItem)),
      unread: store.notifications.unreadCount(user),
    });
  });

  app.post('/api/notifications/read-all', (c) => c.json({ ok: true, marked: store.notifications.markAllRead(user) }));

  app.post('/api/notifications/:id/read', (c) => {
    if (!store.notifications.markRead(user, c.req.param('id'))) return c.json({ error: 'no such notification' }, 404);
    return c.json({ ok: true });
  });

  app.get(
    '/api/tasks',
    query(z.object({ limit, status: z.enum(['running', 'completed', 'failed', 'cancelled']).optional() })),
    (c) => {
      const q = c.req.valid('query');
      return c.json({ tasks: store.tasks.list(user, q).map((t) => withTemporalUrl(config, t)) });
    },
  );
}
