// The user's right to make Paprika forget: one context item, or everything from one sender.
// Temporal's copies (encrypted) go with its namespace retention; the store's go now.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { ServerDeps } from '../deps';
import { jsonBody } from '../validate';

export function contextRoutes(app: Hono, { config, store }: ServerDeps): void {
  const user = config.userId;

  app.delete('/api/context/:id', async (c) => {
    const removed = await store.retention.forgetItem(user, c.req.param('id'));
    if (!removed) return c.json({ error: 'no such context item' }, 404);
    return c.json({ ok: true, removed });
  });

  app.post('/api/context/forget-sender', jsonBody(z.object({ address: z.string().trim().min(3).max(320).regex(/^[^\s@]+@[^\s@]+$/, 'an email address') })), async (c) => {
    return c.json({ ok: true, removed: await store.retention.forgetSender(user, c.req.valid('json').address) });
  });
}
