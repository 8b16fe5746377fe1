// `npm start`: Temporal (embedded or external) + worker + HTTP API and page, in one process.
import fs from 'node:fs';
import { serve } from '@hono/node-server';
import { resolveApiToken } from './api-token';
import { type Config, ConfigError, config as loadedConfig } from './config';
import { createLoginLink } from './server/login-link';
import { startFeeds } from './start-feeds';
import { createApp } from './server/app';
import { userStartUp } from './server/user-start';
import { PaprikaClient } from './temporal/app-client';
import { connectClient, ensureSearchAttributes } from './temporal/connection';
import { ensureTemporal, type TemporalEndpoint } from './temporal/embedded';
import { openStoreFor } from './store';
import { connectWorker, createWorker } from './worker';
import { installRuntime } from './temporal/runtime';
import { ensureWebBuilt } from './server/web-build';

async function main(): Promise<void> {
  const loaded = loadedConfig();
  const token = resolveApiToken(loaded);
  const config = { ...loaded, apiToken: token.token };
  installRuntime(config.logLevel === 'info' ? 'warn' : config.logLevel);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const temporal = await ensureTemporal(config);
  try {
    await run(config, temporal, tokenNote(token));
  } catch (err) {
    // A start that fails half-way must not leave the embedded dev server holding its port.
    await temporal.embedded?.stop();
    throw err;
  }
}

function tokenNote(token: ReturnType<typeof resolveApiToken>): string {
  if (token.source === 'env') return 'from PAPRIKA_API_TOKEN';
  return `in ${token.file}${token.source === 'created' ? ' (created now, owner-only)' : ''}`;
}

async function run(config: Config, temporal: TemporalEndpoint, tokenWhere: string): Promise<void> {
  const client = await connectClient(config, temporal.address);
  await ensureSearchAttributes(client);
  const store = await openStoreFor(config);

  const connection = await connectWorker(config, temporal.address);
  const worker = await createWorker({ config, store, connection });
  const workerRun = worker.run();

  await ensureWebBuilt();
  const paprika = new PaprikaClient(client, config, store);
  // start-feeds below does the configured user's start-up; every other user's runs on its first request.
  const app = createApp({ config, store, paprika, startUser: userStartUp(paprika, store, [config.userId]) });
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  const feeds = await startFeeds(paprika, config, store);

  console.log(
    [
      'Paprika is running.',
      `  Web app and API:  ${config.publicUrl}`,
      `  Temporal UI:      ${config.temporal.uiUrl}`,
      `  Temporal:         ${temporal.address}${temporal.embedded ? ` (embedded dev server, data in ${config.dataDir})` : ''}`,
      `  Model:            ${config.model.kind === 'openai' ? `${config.model.name} at ${config.model.baseUrl ?? 'api.openai.com'}` : 'none — offline rules (set OPENAI_API_KEY for a model)'}`,
      `  User:             ${config.userId}`,
      `  Sign in:          ${await createLoginLink(config, store)}  (works once, for ${config.loginLinkMinutes} min; npm run login-link makes another)`,
      `  API token:        ${tokenWhere} (Authorization: Bearer … for scripts)`,
      ...feeds.lines,
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping…');
    try {
      server.close();
      await feeds.stop().catch(() => undefined);
      // The SDK's runtime also reacts to SIGINT/SIGTERM by draining the worker, so it may already be stopping.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun.catch(() => undefined);
      await connection.close().catch(() => undefined);
      await client.connection.close().catch(() => undefined);
      await store.close();
    } finally {
      // Whatever failed above, never leave the embedded dev server running without us.
      await temporal.embedded?.stop();
      process.exit(0);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await workerRun;
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
