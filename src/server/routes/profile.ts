// GET/PUT /api/profile: what the assistant knows about the user, and the user's corrections.
import type { Hono } from 'hono';
import { ProfilePatch } from '../../shared/profile';
import type { ServerDeps } from '../deps';
import { jsonBody } from '../validate';

export function profileRoutes(app: Hono, { config, store }: ServerDeps): void {
  const user = config.userId;
  const view = () => {
    const p = store.profile.get(user);
    return { profile: p.profile, builtAt: p.builtAt ?? null, corrected: p.corrected };
  };

  app.get('/api/profile', (c) => c.json(view()));

  app.put('/api/profile', jsonBody(ProfilePatch), (c) => {
    store.profile.correct(user, c.req.valid('json'));
    return c.json(view());
  });
}
