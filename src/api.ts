// The HTTP API and page alone, against an external Temporal (`npm run api`; docker-compose).
import { serve } from '@hono/node-server';
import { config as loadedConfig, ConfigError } from './config';
import { startFeeds } from './start-feeds';
import { createApp } from './server/app';
import { ensureWebBuilt } from './server/web-build';
import { openStore } from './store';
import { AssistantClient } from './temporal/assistant-client';
import { connectClient, ensureSearchAttributes } from './temporal/connection';

async function main(): Promise<void> {
  const config = loadedConfig();
  if (!config.temporal.address) throw new ConfigError('TEMPORAL_ADDRESS is required to run the API alone (npm start embeds Temporal).');
  const client = await connectClient(config);
  await ensureSearchAttributes(client);
  const store = openStore(config.dataDir, { sync: config.security.sqliteSync });
  await ensureWebBuilt();
  const app = createApp({ config, store, client, assistant: new AssistantClient(client, config) });
  serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  const feeds = await startFeeds(client, config, store);
  console.log([`Paprika API on ${config.publicUrl} (Temporal ${config.temporal.address}, UI ${config.temporal.uiUrl})`, ...feeds.lines].join('\n'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
