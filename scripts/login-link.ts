// `npm run login-link`: prints a fresh one-time login link for the page, e.g. when the one in
// the start banner has expired. Whoever can read the data directory can sign in anyway (the
// API token lives there), so this asks for nothing more.
import { resolveApiToken } from '../src/api-token';
import { ConfigError, loadConfig } from '../src/config';
import { createLoginLink } from '../src/server/login-link';
import { openStore } from '../src/store';

async function main(): Promise<void> {
  const config = loadConfig();
  resolveApiToken(config);
  const store = await openStore(config.dataDir);
  console.log(`${await createLoginLink(config, store)}\n(works once, for ${config.loginLinkMinutes} min)`);
  await store.close();
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
