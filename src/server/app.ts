// The HTTP API and the web page, as one Hono app.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { loginRoutes, requireToken } from './auth';
import type { ServerDeps } from './deps';
import { errorResponse } from './errors';
import { agentRoutes } from './routes/agents';
import { approvalRoutes } from './routes/approvals';
import { chatRoutes } from './routes/chat';
import { codecCors, codecRoutes } from './routes/codec';
import { contextRoutes } from './routes/context';
import { feedRoutes } from './routes/feeds';
import { healthRoutes } from './routes/health';
import { memoryRoutes } from './routes/memory';
import { profileRoutes } from './routes/profile';
import { readModelRoutes } from './routes/read-model';
import { settingsRoutes } from './routes/settings';
import { streamRoutes } from './routes/stream';
import { taskCancelRoutes } from './routes/tasks-cancel';
import { staticRoutes } from './static';

export function createApp(deps: ServerDeps, extraRoutes: ((app: Hono, deps: ServerDeps) => void)[] = []): Hono {
  const app = new Hono();
  app.onError(errorResponse);
  app.use('/api/*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'request body larger than 1 MiB' }, 413) }));
  app.use('/api/codec/*', codecCors(deps.config)); // before the token check: a CORS preflight carries no credentials
  app.use('/api/*', requireToken(deps.config.apiToken));
  loginRoutes(app, deps.config.apiToken);
  healthRoutes(app, deps);
  chatRoutes(app, deps);
  readModelRoutes(app, deps);
  streamRoutes(app, deps);
  approvalRoutes(app, deps);
  taskCancelRoutes(app, deps);
  memoryRoutes(app, deps);
  agentRoutes(app, deps);
  feedRoutes(app, deps);
  settingsRoutes(app, deps);
  profileRoutes(app, deps);
  codecRoutes(app, deps);
  contextRoutes(app, deps);
  for (const add of extraRoutes) add(app, deps);
  staticRoutes(app);
  return app;
}
