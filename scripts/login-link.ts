// `npm run login-link [-- --user <id>]`: prints a fresh one-time login link for the page, e.g.
// when the one in the start banner has expired. Whoever can read the data directory can sign in
// anyway (the API token lives there), so this asks for nothing more.
import { parseArgs } from 'node:util';
import { resolveApiToken } from '../src/api-token';
import { ConfigError, loadConfig } from '../src/config';
import { createLoginLink } from '../src/server/login-link';
import { openStoreFor } from '../src/store';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { user: { type: 'string' } } });
  const config = loadConfig();
  resolveApiToken(config);
  const store = await openStoreFor(config);
  try {
    const userId = values.user ?? config.userId;
    if (values.user && !(await store.users.exists(userId))) throw new ConfigError(`no user "${userId}" (npm run users -- list)`);
    console.log(`${await createLoginLink(config, store, userId)}\n(works once, for ${config.loginLinkMinutes} min)`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? (err as Error).message : err);
  process.exit(1);
});
