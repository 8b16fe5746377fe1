// GET/PUT /api/settings: the user's feed settings and the health of each source. A change of
// briefing time or time zone moves the briefing Schedule at once, before the change is saved.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { USER } from '../../shared/provenance';
import { sourcesHealth } from '../sources-health';
import { SettingsError } from '../../store/settings';
import type { ServerDeps } from '../deps';

export function settingsRoutes(app: Hono, { config, store, paprika }: ServerDeps): void {
  const user = config.userId;

  app.get('/api/settings', async (c) => c.json({ settings: await store.settings.get(user), sources: await sourcesHealth(config, store, user) }));

  app.put('/api/settings', async (c) => {
    let patch: unknown;
    try {
      patch = await c.req.json();
    } catch {
      return c.json({ error: 'body is not valid JSON' }, 400);
    }
    const before = await store.settings.get(user);
    let next;
    try {
      next = await store.settings.preview(user, patch);
    } catch (err) {
      if (err instanceof SettingsError) return c.json({ error: err.message, field: err.field }, 400);
      throw err;
    }
    // Move the Schedules first: if Temporal refuses, nothing is saved and a retry does it all again.
    if (next.briefingTime !== before.briefingTime || next.timezone !== before.timezone) {
      await paprika.feeds.ensureSchedules(next, user);
    }
    const settings = await store.settings.update(user, patch);
    const changed = Object.keys(settings).filter((k) => JSON.stringify(settings[k as keyof typeof settings]) !== JSON.stringify(before[k as keyof typeof before]));
    if (changed.length) {
      store.audit.record({
        id: `api:${randomUUID()}`,
        userId: user,
        action: 'change_settings',
        actor: 'api',
        provenance: USER,
        outcome: 'done',
        detail: `Changed ${changed.join(', ')}`,
      });
    }
    return c.json({ settings, sources: await sourcesHealth(config, store, user) });
  });
}
