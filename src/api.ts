// The HTTP API and page alone, against an external Temporal (`npm run api`; docker-compose).
import { serve } from '@hono/node-server';
import { resolveApiToken } from './api-token';
import { config as loadedConfig, ConfigError } from './config';
import { createLoginLink } from './server/login-link';
import { startFeeds } from './start-feeds';
import { createApp } from './server/app';
import { userStartUp } from './server/user-start';
import { ensureWebBuilt } from './server/web-build';
import { openStoreFor } from './store';
import { PaprikaClient } from './temporal/app-client';
import { connectClient, ensureSearchAttributes } from './temporal/connection';

async function main(): Promise<void> {
  const loaded = loadedConfig();
  const config = { ...loaded, apiToken: resolveApiToken(loaded).token };
  if (!config.temporal.address) throw new ConfigError('TEMPORAL_ADDRESS is required to run the API alone (npm start embeds Temporal).');
  const client = await connectClient(config);
  await ensureSearchAttributes(client);
  const store = await openStoreFor(config);
  await ensureWebBuilt();
  const paprika = new PaprikaClient(client, config, store);
  // start-feeds below does the configured user's start-up; every other user's runs on its first request.
  const app = createApp({ config, store, paprika, startUser: userStartUp(paprika, store, [config.userId]) });
  serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  const feeds = await startFeeds(paprika, config, store);
  console.log(
    [
      `Paprika API on ${config.publicUrl} (Temporal ${config.temporal.address}, UI ${config.temporal.uiUrl})`,
      `  Sign in: ${await createLoginLink(config, store)}  (works once, for ${config.loginLinkMinutes} min)`,
      ...feeds.lines,
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
