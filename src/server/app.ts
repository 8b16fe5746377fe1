// The HTTP API and the web page, as one Hono app.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isSignedFeed, loginRoutes, requireAuth } from './auth';
import type { ServerDeps } from './deps';
import { errorResponse } from './errors';
import { agentRoutes } from './routes/agents';
import { approvalRoutes } from './routes/approvals';
import { auditRoutes } from './routes/audit';
import { chatRoutes } from './routes/chat';
import { codecCors, codecRoutes } from './routes/codec';
import { contextRoutes } from './routes/context';
import { feedRoutes } from './routes/feeds';
import { healthRoutes } from './routes/health';
import { memoryRoutes } from './routes/memory';
import { profileRoutes } from './routes/profile';
import { readModelRoutes } from './routes/read-model';
import { ruleRoutes } from './routes/rules';
import { settingsRoutes } from './routes/settings';
import { streamRoutes } from './routes/stream';
import { taskCancelRoutes } from './routes/tasks-cancel';
import { requireJsonBody } from './security/content-type';
import { allowedHosts, requireKnownHost } from './security/host';
import { requireSameOrigin } from './security/origin';
import { FailureThrottle } from './security/throttle';
import { staticRoutes } from './static';

export function createApp(deps: ServerDeps, extraRoutes: ((app: Hono, deps: ServerDeps) => void)[] = []): Hono {
  const { config, store } = deps;
  // Fail closed: an API without a token would answer anyone (entries resolve it with src/api-token.ts).
  if (!config.apiToken) throw new Error('createApp: config.apiToken is required (see resolveApiToken)');
  // The configured token stays the configured user's, so a single-user setup works unchanged.
  const ready = store.users.ensure(config.userId, config.apiToken);
  ready.catch(() => undefined); // awaited (and reported) by the first request that needs it
  const auth = {
    store,
    ready,
    onUser: deps.startUser,
    throttle: new FailureThrottle(),
    sessionTtlMs: config.sessionHours * 3_600_000,
    secure: new URL(config.publicUrl).protocol === 'https:',
  };
  const app = new Hono();
  app.onError(errorResponse);
  app.use('*', requireKnownHost(allowedHosts(config)));
  app.use('/api/*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'request body larger than 1 MiB' }, 413) }));
  app.use('/api/codec/*', codecCors(config)); // before the auth check: a CORS preflight carries no credentials
  // Who first (a caller without credentials learns only that), then whether the cookie's page sent it.
  app.use('/api/*', requireAuth(auth));
  const temporalUi = new URL(config.temporal.uiUrl).origin;
  app.use('/api/*', requireSameOrigin({ publicUrl: config.publicUrl, isExempt: isSignedFeed, trustedOrigins: (path) => (path.startsWith('/api/codec/') ? [temporalUi] : []) }));
  app.use('/api/*', requireJsonBody(isSignedFeed));
  loginRoutes(app, auth);
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
  ruleRoutes(app, deps);
  auditRoutes(app, deps);
  for (const add of extraRoutes) add(app, deps);
  staticRoutes(app);
  return app;
}
