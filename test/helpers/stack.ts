// The real stack for a test: the shared dev server, a worker (in-process or a child process to
// kill), the store on a real SQLite file, the HTTP API on a random port, and the fake model.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { type Config, loadConfig } from '../../src/config';
import { createApp } from '../../src/server/app';
import { userStartUp } from '../../src/server/user-start';
import type { ServerDeps } from '../../src/server/deps';
import { openStoreFor, type Store } from '../../src/store';
import { PaprikaClient } from '../../src/temporal/app-client';
import type { AssistantClient } from '../../src/temporal/assistant';
import { connectClient } from '../../src/temporal/connection';
import { createWorker, type WorkerDeps } from '../../src/worker';
import type { Engine } from '../../src/store/sql';
import { type FakeOpenAI, type Script, startFakeOpenAI } from '../fakes/openai-server';
import { createDatabase } from './postgres-server';
import { testPostgresUrl } from './test-sql';

export { eventually } from './eventually';

export interface StackOptions {
  /** The fake model's script; omit with `offline: true` to run on the offline rules. */
  script?: Script;
  offline?: boolean;
  env?: Record<string, string>;
  /** 'none' when the test manages workers itself (spawnWorker). */
  worker?: 'in-process' | 'none';
  extraRoutes?: ((app: import('hono').Hono, deps: ServerDeps) => void)[];
  /** Worker interceptors for the in-process worker. */
  interceptors?: WorkerDeps['interceptors'];
  /** Run a new user's start-up (Schedules, first profile) on its first request, as npm start does. */
  startUsers?: boolean;
  /** The store's engine; the Postgres project runs the same tests with PAPRIKA_TEST_STORE=postgres. */
  store?: Engine;
}

/** Another user of the same stack, with its own token. */
export interface StackUser {
  userId: string;
  token: string;
  api: Stack['api'];
}

export interface Stack {
  config: Config;
  env: Record<string, string>;
  store: Store;
  /** The raw Temporal client, for tests that inspect histories and handles directly. */
  client: Client;
  /** The application client the API uses. */
  paprika: PaprikaClient;
  /** `paprika.assistant`, which most tests use. */
  assistant: AssistantClient;
  fake?: FakeOpenAI;
  baseUrl: string;
  userId: string;
  /** The API token (Authorization: Bearer) the stack runs with. */
  token: string;
  startWorker(): Promise<Worker>;
  stopWorker(): Promise<void>;
  /** A request with the API token, unless `auth: false` or the headers carry their own Authorization. */
  api<T = any>(
    urlPath: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: boolean },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  stop(): Promise<void>;
  /** Adds a user to the store (as `npm run users -- add` does) and calls the API with its token. */
  addUser(name?: string): Promise<StackUser>;
  /** Every /api route the app has (method and path), from Hono's route table. */
  apiRoutes: { method: string; path: string }[];
}

/** A request to the stack's API with `token` as Bearer, unless `auth: false` or the headers carry their own. */
export async function apiCall<T = any>(
  baseUrl: string,
  token: string,
  urlPath: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.auth === false ? {} : { authorization: `Bearer ${token}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

let seq = 0;
const unique = () => `${process.pid.toString(36)}${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const address = process.env.PAPRIKA_TEST_TEMPORAL;
  if (!address) throw new Error('PAPRIKA_TEST_TEMPORAL is not set: run the tests through jest (global setup starts Temporal)');
  const id = unique();
  const dataDir = fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? os.tmpdir(), 'stack-'));
  const fake = opts.offline ? undefined : await startFakeOpenAI(opts.script);
  const engine: Engine = opts.store ?? (process.env.PAPRIKA_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite');
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: `paprika-test-${id}`,
    PAPRIKA_DATA_DIR: dataDir,
    PAPRIKA_USER: `u-${id}`,
    PAPRIKA_PORT: '0',
    PAPRIKA_HEARTBEAT_TIMEOUT_SECONDS: '3',
    // Test pages are served on loopback.
    PAPRIKA_WEB_FETCH_ALLOW_PRIVATE: '1',
    PAPRIKA_WORKFLOW_BUNDLE: process.env.PAPRIKA_TEST_BUNDLE ?? '',
    TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    // The API always wants a token; api() below sends it, as a script would.
    PAPRIKA_API_TOKEN: `test-token-${id}-0123456789`,
    ...(engine === 'postgres' ? { PAPRIKA_DATABASE_URL: await createDatabase(testPostgresUrl()) } : {}),
    ...(fake ? { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test-key', PAPRIKA_MODEL: 'fake-model' } : {}),
    ...opts.env,
  };
  const config = loadConfig(env);
  const store = await openStoreFor(config);
  const client = await connectClient(config, address);
  const paprika = new PaprikaClient(client, config, store);

  let connection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const startWorker = async () => {
    connection ??= await NativeConnection.connect({ address });
    worker = await createWorker({ config, store, connection, interceptors: opts.interceptors });
    running = worker.run();
    return worker;
  };
  const stopWorker = async () => {
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await running?.catch(() => undefined);
    worker = undefined;
    running = undefined;
  };
  if (opts.worker !== 'none') await startWorker();

  const startUser = opts.startUsers ? userStartUp(paprika, store, [config.userId]) : undefined;
  const app = createApp({ config, store, paprika, ...(startUser ? { startUser } : {}) }, opts.extraRoutes);
  const added: string[] = [];
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    config,
    env,
    store,
    client,
    paprika,
    assistant: paprika.assistant,
    fake,
    baseUrl,
    userId: config.userId,
    token: config.apiToken!,
    startWorker,
    stopWorker,
    async api(urlPath, init = {}) {
      const res = await fetch(`${baseUrl}${urlPath}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(init.auth === false ? {} : { authorization: `Bearer ${config.apiToken}` }),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: body as never, headers: res.headers };
    },
    apiRoutes: app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => ({ method: r.method, path: r.path })),
    async addUser(name = `user-${unique()}`) {
      const { token } = await store.users.add(name);
      added.push(name);
      return { userId: name, token, api: (urlPath, init) => apiCall(baseUrl, token, urlPath, init) };
    },
    async stop() {
      await new Promise((r) => server.close(r));
      // A started user's Schedules would outlive the test on the shared dev server.
      if (opts.startUsers) for (const u of added) await paprika.feeds.deleteSchedules(u).catch(() => undefined);
      await stopWorker();
      await connection?.close();
      await client.connection.close();
      await store.close();
      await fake?.close();
    },
  };
}

/** A worker in its own process, to be killed like a crash would. */
export function spawnWorker(stack: Stack): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../src/worker.ts')], {
    env: { ...process.env, ...stack.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d) => process.env.PAPRIKA_TEST_VERBOSE && process.stderr.write(d));
  return child;
}

export async function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not print ${pattern} in ${timeoutMs} ms; output: ${seen}`)), timeoutMs);
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${seen}`)));
  });
}

