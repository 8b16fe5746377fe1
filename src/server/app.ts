// The HTTP API and the web page, as one Hono app.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { loginRoutes, requireToken } from './auth';
import type { ServerDeps } from './deps';
import { errorResponse } from './errors';
import { chatRoutes } from './routes/chat';
import { healthRoutes } from './routes/health';
import { readModelRoutes } from './routes/read-model';
import { streamRoutes } from './routes/stream';
import { staticRoutes } from './static';

export function createApp(deps: ServerDeps, extraRoutes: ((app: Hono, deps: ServerDeps) => void)[] = []): Hono {
  const app = new Hono();
  app.onError(errorResponse);
  app.use('/api/*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'request body larger than 1 MiB' }, 413) }));
  app.use('/api/*', requireToken(deps.config.apiToken));
  loginRoutes(app, deps.config.apiToken);
  healthRoutes(app, deps);
  chatRoutes(app, deps);
  readModelRoutes(app, deps);
  streamRoutes(app, deps);
  for (const add of extraRoutes) add(app, deps);
  staticRoutes(app);
  return app;
}
