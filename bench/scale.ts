// Many users through several workers: 200 users × 10 feed items each, on (a) the embedded default —
// one worker process on the SQLite store — and (b) two worker processes on PostgreSQL, against one
// dev server in the same run. Prints items/s and p50/p90 latency from submission to the item's
// feed workflow being done (its notification written), side by side.
//   npm run bench:scale      (writes bench/results/scale.json)
// BENCH_SCALE_USERS, BENCH_SCALE_ITEMS and BENCH_SCALE_CONCURRENCY change the load.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { openStoreFor } from '../src/store';
import { PaprikaClient } from '../src/temporal/app-client';
import { findTemporalCli } from '../src/temporal/cli';
import { connectClient } from '../src/temporal/connection';
import { freePort, startDevServer } from '../src/temporal/dev-server';
import { installRuntime } from '../src/temporal/runtime';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { startFakeOpenAI } from '../test/fakes/openai-server';
import { createDatabase, startLocalPostgres } from '../test/helpers/postgres-server';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

const USERS = Number(process.env.BENCH_SCALE_USERS ?? 200);
const ITEMS = Number(process.env.BENCH_SCALE_ITEMS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 32);

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

interface Setup {
  name: string;
  workers: number;
  databaseUrl?: string;
}

async function runSetup(setup: Setup, ctx: { address: string; bundle: string; modelUrl: string; dir: string; encryptionKey: string }) {
  const queue = `scale-${setup.name}`;
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: ctx.address,
    TEMPORAL_TASK_QUEUE: queue,
    PAPRIKA_DATA_DIR: path.join(ctx.dir, setup.name),
    PAPRIKA_USER: `${setup.name}-u0`,
    PAPRIKA_API_TOKEN: 'bench-token-0123456789abcdef',
    PAPRIKA_WORKFLOW_BUNDLE: ctx.bundle,
    OPENAI_BASE_URL: ctx.modelUrl,
    OPENAI_API_KEY: 'bench',
    // One key ring for every process, as README's "Running for a team" asks of several hosts.
    PAPRIKA_ENCRYPTION_KEY: ctx.encryptionKey,
    ...(setup.databaseUrl ? { PAPRIKA_DATABASE_URL: setup.databaseUrl } : {}),
  };
  const config = loadConfig(env);
  // The bench process plays the API: it stores each item and starts its feed workflow, as the route does.
  const store = await openStoreFor(config);
  const workers: WorkerProcess[] = [];
  for (let i = 0; i < setup.workers; i++) workers.push(await startWorkerProcess(env));
  const client = await connectClient(config, ctx.address);
  const paprika = new PaprikaClient(client, config, store);

  // Users are named per setup: a feed item's workflow ID is per user and item, and a second start of
  // one would be (rightly) deduplicated against the first setup's run on the same server.
  const userId = (u: number) => `${setup.name}-u${u}`;
  const jobs = Array.from({ length: USERS * ITEMS }, (_, n) => ({ user: userId(n % USERS), item: Math.floor(n / USERS) }));
  const latencies: number[] = [];
  let notified = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const { user, item } = jobs[next++]!;
        const sent = performance.now();
        const started = await paprika.feeds.submitWebhookItem('ops', { id: `${user}-${item}`, title: `Alert ${item} for ${user}`, text: `Disk ${item} is full.`, priority: 'high' }, user);
        const outcome = await paprika.feeds.outcome(started.workflowId);
        if (outcome.notified) notified++;
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  // Every user was told about each of their items, once.
  let stored = 0;
  for (let u = 0; u < USERS; u++) stored += (await store.notifications.list(userId(u), { limit: 1000 })).filter((n) => n.source === 'webhook:ops').length;
  if (stored !== notified || notified !== jobs.length) throw new Error(`${setup.name}: ${jobs.length} items, ${notified} notified, ${stored} notifications stored`);

  for (const w of workers) await w.stop();
  await client.connection.close();
  await store.close();
  return {
    setup: setup.name,
    store: setup.databaseUrl ? 'PostgreSQL' : 'SQLite',
    workers: setup.workers,
    items: jobs.length,
    seconds: round(seconds, 1),
    itemsPerSecond: round(jobs.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p90Ms: round(percentile(latencies, 90)),
  };
}

async function main() {
  installRuntime('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-bench-scale-'));
  const port = await freePort();
  const server = await startDevServer({ cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH), port, headless: true, dbFile: path.join(dir, 'temporal.db'), tunedSqlite: true });
  const postgres = await startLocalPostgres();
  const bundle = await bundleWorkflows(path.join(dir, 'bundle.js'));
  const model = await startFakeOpenAI(() => ({ content: 'ok' }));
  const ctx = { address: server.address, bundle, modelUrl: model.url, dir, encryptionKey: randomBytes(32).toString('base64') };
  try {
    const rows = [
      await runSetup({ name: 'sqlite-1-worker', workers: 1 }, ctx),
      await runSetup({ name: 'postgres-2-workers', workers: 2, databaseUrl: await createDatabase(postgres.url, 'bench') }, ctx),
    ];
    console.table(rows);
    const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
    console.log(
      `${USERS} users × ${ITEMS} items, ${CONCURRENCY} in flight, ${os.cpus().length} CPUs, one dev server: ` +
        `PostgreSQL + 2 workers ${b.itemsPerSecond} items/s (p50 ${b.p50Ms} ms, p90 ${b.p90Ms} ms) vs SQLite + 1 worker ${a.itemsPerSecond} items/s (p50 ${a.p50Ms} ms, p90 ${a.p90Ms} ms): ${round(b.itemsPerSecond / a.itemsPerSecond, 2)}x.`,
    );
    fs.mkdirSync(path.resolve(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.resolve(__dirname, 'results/scale.json'), JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, users: USERS, items: ITEMS, concurrency: CONCURRENCY, rows }, null, 2));
  } finally {
    await model.close();
    await postgres.stop();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
