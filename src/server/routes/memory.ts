// Long-term memory: the facts agents `remember` about the user, visible and deletable.
import type { Hono } from 'hono';
import { z } from 'zod';
import { MEMORY_FACT_MAX } from '../../store/memory';
import type { ServerDeps } from '../deps';
import { jsonBody } from '../validate';

const FactBody = z.object({ text: z.string().trim().min(1, 'text must not be empty').max(MEMORY_FACT_MAX, `text is longer than ${MEMORY_FACT_MAX} characters`) });

export function memoryRoutes(app: Hono, { store }: ServerDeps): void {
  const view = (f: { id: string; text: string; source: string; createdAt: string }) => ({ id: f.id, text: f.text, source: f.source, createdAt: f.createdAt });

  app.get('/api/memory', async (c) => c.json({ facts: (await store.memory.list(c.get('userId'))).map(view) }));

  app.post('/api/memory', jsonBody(FactBody), async (c) => c.json({ fact: view(await store.memory.add(c.get('userId'), c.req.valid('json').text, { source: 'user' })) }));

  app.delete('/api/memory/:id', async (c) => {
    if (!(await store.memory.delete(c.get('userId'), c.req.param('id')))) return c.json({ error: 'no such fact' }, 404);
    return c.json({ ok: true });
  });
}
