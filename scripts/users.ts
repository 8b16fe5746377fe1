// `npm run users -- add <id> [--name "…"]`, `list`, `remove <id>`: the people this Paprika serves.
// `add` prints the new user's token once (only its hash is kept) and a one-time login link; a new
// user's Schedules and first profile are set up by the API on that user's first request.
import { parseArgs } from 'node:util';
import { resolveApiToken } from '../src/api-token';
import { ConfigError, loadConfig } from '../src/config';
import { createLoginLink } from '../src/server/login-link';
import { openStoreFor, type Store } from '../src/store';
import { UserError } from '../src/store/users';

const USAGE = 'usage: npm run users -- add <id> [--name "…"] | list | remove <id>';

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { name: { type: 'string' } }, allowPositionals: true });
  const [command, id, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected ${extra.map((e) => `"${e}"`).join(' ')}\n${USAGE}`);
  if (values.name !== undefined && command !== 'add') throw new UsageError(`--name goes with add\n${USAGE}`);
  if ((command === 'add' || command === 'remove') && !id) throw new UsageError(`${command} needs a user id\n${USAGE}`);
  if (command === 'list' && id) throw new UsageError(`list takes no argument\n${USAGE}`);
  if (command !== 'add' && command !== 'list' && command !== 'remove') throw new UsageError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);

  const loaded = loadConfig();
  const config = { ...loaded, apiToken: resolveApiToken(loaded).token };
  const store = await openStoreFor(config);
  try {
    // As the API does at start, so the configured user is listed (and its id is taken) before the API ever ran.
    await store.users.ensure(config.userId, config.apiToken);
    if (command === 'add') await add(store, config, id!, values.name);
    else if (command === 'list') await list(store);
    else await remove(store, config.userId, id!);
  } finally {
    await store.close();
  }
}

async function add(store: Store, config: Parameters<typeof createLoginLink>[0], id: string, name: string | undefined): Promise<void> {
  const { token } = await store.users.add(id, name === undefined ? {} : { name });
  console.log(
    [
      `Added user "${id}"${name ? ` (${name})` : ''}.`,
      `  API token:  ${token}`,
      '              (shown once: Authorization: Bearer … for scripts; only its hash is stored)',
      `  Sign in:    ${await createLoginLink(config, store, id)}  (works once, for ${config.loginLinkMinutes} min; npm run login-link -- --user ${id} makes another)`,
    ].join('\n'),
  );
}

async function list(store: Store): Promise<void> {
  const users = await store.users.list();
  const rows = [['ID', 'NAME', 'CREATED', 'SESSIONS'], ...users.map((u) => [u.id, u.name ?? '', u.createdAt, String(u.activeSessions)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

async function remove(store: Store, configured: string, id: string): Promise<void> {
  // Its token comes from PAPRIKA_API_TOKEN or the api-token file, so the API would bring it back.
  if (id === configured) throw new UserError(`"${id}" is the configured user (PAPRIKA_USER); change PAPRIKA_USER to remove it`);
  if (!(await store.users.remove(id))) throw new UserError(`no user "${id}" (npm run users -- list)`);
  console.log(`Removed user "${id}": its token and sessions no longer work. Its data stays in the store and in Temporal.`);
}

main().catch((err) => {
  const known = err instanceof UsageError || err instanceof UserError || err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
