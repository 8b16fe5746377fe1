// GET/PUT /api/profile: what the assistant knows about the user, and the user's corrections.
import type { Hono } from 'hono';
import { ProfilePatch } from '../../shared/profile';
import type { ServerDeps } from '../deps';
import { jsonBody } from '../validate';

export function profileRoutes(app: Hono, { config, store }: ServerDeps): void {
  const user = config.userId;
  const view = async () => {
    const p = await store.profile.get(user);
    return { profile: p.profile, builtAt: p.builtAt ?? null, corrected: p.corrected };
  };

  app.get('/api/profile', async (c) => c.json(await view()));

  app.put('/api/profile', jsonBody(ProfilePatch), async (c) => {
    await store.profile.correct(user, c.req.valid('json'));
    return c.json(await view());
  });
}
