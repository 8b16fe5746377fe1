// Benchmarks of the core, against the real dev server with the fake model answering instantly
// (every setup with the payload codec on, as Paprika runs; bench/security.ts measures its cost):
//   npm run bench            (prints tables; writes bench/results/core.json)
// 1. chat round trip through POST /api/chat, median of 20, for three dev-server storage setups;
// 2. the assistant workflow's history length after 100 feed events (in a burst, and spaced out).
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { createApp } from '../src/server/app';
import { openStore } from '../src/store';
import { assistantWorkflowId } from '../src/shared/ids';
import type { AssistantClient } from '../src/temporal/assistant';
import { PaprikaClient } from '../src/temporal/app-client';
import { findTemporalCli } from '../src/temporal/cli';
import { connectClient } from '../src/temporal/connection';
import { freePort, startDevServer } from '../src/temporal/dev-server';
import { createWorker } from '../src/worker';
import { installRuntime } from '../src/temporal/runtime';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { startFakeOpenAI } from '../test/fakes/openai-server';

const CHATS = 20;
const EVENTS = 100;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function runSetup(name: string, storage: 'memory' | 'file-default' | 'file-tuned', bundle: string, dir: string) {
  const port = await freePort();
  const server = await startDevServer({
    cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port,
    headless: true,
    dbFile: storage === 'memory' ? undefined : path.join(dir, `${name}.db`),
    tunedSqlite: storage === 'file-tuned',
  });
  const fake = await startFakeOpenAI(() => ({ content: 'ok' }));
  const config = loadConfig({
    TEMPORAL_ADDRESS: server.address,
    PAPRIKA_DATA_DIR: path.join(dir, `${name}-data`),
    PAPRIKA_USER: 'bench',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'bench',
    TEMPORAL_TASK_QUEUE: 'bench',
    PAPRIKA_API_TOKEN: 'bench-token-0123456789abcdef',
  });
  const store = openStore(config.dataDir);
  const client = await connectClient(config, server.address);
  const connection = await NativeConnection.connect({ address: server.address });
  const worker = await createWorker({ config, store, connection, workflowBundle: { codePath: bundle } });
  const running = worker.run();
  const paprika = new PaprikaClient(client, config, store);
  const { assistant } = paprika;
  const app = createApp({ config, store, paprika });
  const http = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const post = (message: string) =>
    fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiToken}` }, body: JSON.stringify({ message }) }).then((r) => r.json());

  await post('warm up'); // starts the assistant workflow
  const latencies: number[] = [];
  for (let i = 0; i < CHATS; i++) {
    const t0 = performance.now();
    await post(`message ${i}`);
    latencies.push(performance.now() - t0);
  }

  // History after 100 events, on fresh users so the chats above do not count: once sent in a
  // burst (they batch), once spaced out so that every event is its own step (the worst case).
  const burst = await historyAfterEvents(assistant, client, 'bench-burst', false);
  const spaced = await historyAfterEvents(assistant, client, 'bench-spaced', true);

  http.close();
  worker.shutdown();
  await running;
  await connection.close();
  await client.connection.close();
  store.close();
  await fake.close();
  await server.stop();
  return {
    name,
    storage,
    chatMedianMs: +median(latencies).toFixed(1),
    chatP90Ms: +pct(latencies, 90).toFixed(1),
    burstHistory: burst.history,
    burstSteps: burst.steps,
    spacedHistory: spaced.history,
    spacedSteps: spaced.steps,
    runs: burst.runs + spaced.runs,
  };
}

async function historyAfterEvents(assistant: AssistantClient, client: Awaited<ReturnType<typeof connectClient>>, user: string, spaced: boolean) {
  for (let i = 0; i < EVENTS; i++) {
    await assistant.sendEvent(user, { id: `bench:${i}`, kind: 'feed', priority: 'low', source: 'bench', text: `event ${i}`, at: new Date().toISOString() });
    if (spaced) await until(async () => (await assistant.snapshot(user)).stats.steps === i + 1);
  }
  await until(async () => {
    const s = await assistant.snapshot(user);
    return s.stats.events === EVENTS && s.queued.length === 0;
  });
  let history = 0;
  let runs = 0;
  for await (const wf of client.workflow.list({ query: `WorkflowId = "${assistantWorkflowId(user)}"` })) {
    history += (await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory()).events?.length ?? 0;
    runs++;
  }
  return { history, runs, steps: (await assistant.snapshot(user)).stats.steps };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

async function main(): Promise<void> {
  installRuntime('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-bench-'));
  const bundle = await bundleWorkflows(path.join(dir, 'bundle.js'));
  const only = process.argv[2];
  const setups = [
    ['in-memory', 'memory'],
    ['sqlite-default', 'file-default'],
    ['sqlite-wal-normal', 'file-tuned'],
  ] as const;
  const rows = [];
  for (const [name, storage] of setups) {
    if (only && only !== name) continue;
    rows.push(await runSetup(name, storage, bundle, dir));
  }
  console.log(`\nChat round trip (${CHATS} sequential POST /api/chat, fake model answers instantly) and history after ${EVENTS} events\n`);
  console.table(rows);
  fs.mkdirSync(path.resolve(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.resolve(__dirname, 'results/core.json'), JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, rows }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
