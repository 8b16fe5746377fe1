// The cost of Paprika's security defaults on chat latency, against the real dev server with the
// fake model answering instantly:  npm run bench:security  (writes bench/results/security.json)
// Four setups in one run: payload codec on/off x store synchronous FULL/NORMAL, on one dev server.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadConfig } from '../src/config';
import { createApp } from '../src/server/app';
import { openStore } from '../src/store';
import { PaprikaClient } from '../src/temporal/app-client';
import { findTemporalCli } from '../src/temporal/cli';
import { EncryptionCodec } from '../src/temporal/codec';
import { connectClient } from '../src/temporal/connection';
import { loadKeyRing } from '../src/temporal/keys';
import { freePort, startDevServer } from '../src/temporal/dev-server';
import { installRuntime } from '../src/temporal/runtime';
import { connectWorker, createWorker } from '../src/worker';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { startFakeOpenAI } from '../test/fakes/openai-server';

const CHATS = Number(process.env.BENCH_CHATS ?? 50);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function startSetup(name: string, codec: boolean, sync: 'full' | 'normal', address: string, modelUrl: string, bundle: string, dir: string) {
  const config = loadConfig({
    TEMPORAL_ADDRESS: address,
    PAPRIKA_DATA_DIR: path.join(dir, name),
    PAPRIKA_USER: `bench-${name}`,
    OPENAI_BASE_URL: modelUrl,
    OPENAI_API_KEY: 'bench',
    TEMPORAL_TASK_QUEUE: `bench-${name}`,
    PAPRIKA_SQLITE_SYNC: sync,
  });
  const store = await openStore(config.dataDir, { sync });
  const client = codec ? await connectClient(config) : new Client({ connection: await Connection.connect({ address }), namespace: config.temporal.namespace });
  const connection = await connectWorker(config);
  const worker = await createWorker({ config, store, connection, workflowBundle: { codePath: bundle }, ...(codec ? {} : { dataConverter: {} }) });
  const running = worker.run();
  const app = createApp({ config, store, paprika: new PaprikaClient(client, config, store) });
  const http = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const chat = async (message: string) => {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });
    if (!res.ok) throw new Error(`${name}: chat answered ${res.status}`);
    await res.json();
    return performance.now() - t0;
  };
  return {
    chat,
    async stop() {
      http.close();
      worker.shutdown();
      await running;
      await connection.close();
      await client.connection.close();
      await store.close();
    },
  };
}

/** The codec alone, in process: microseconds per payload of a typical size. */
async function codecCost(dir: string): Promise<number> {
  const codec = new EncryptionCodec(loadKeyRing(path.join(dir, 'codec-alone')));
  const payload = defaultPayloadConverter.toPayload({ text: 'x'.repeat(2000) });
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await codec.decode(await codec.encode([payload]));
  return ((performance.now() - t0) * 1000) / n;
}

/** One store commit (a transcript message, as a chat writes two), per synchronous setting. */
async function commitCost(dir: string, sync: 'full' | 'normal'): Promise<number> {
  const store = await openStore(path.join(dir, `commits-${sync}`), { sync });
  const n = 2000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await store.transcript.add({ id: `m${i}`, userId: 'bench', role: 'user', text: `message ${i}` });
  await store.close();
  return ((performance.now() - t0) * 1000) / n;
}

async function main(): Promise<void> {
  installRuntime('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-bench-security-'));
  const bundle = await bundleWorkflows(path.join(dir, 'bundle.js'));
  // Stored like the embedded default: a SQLite file, WAL, synchronous=normal on Temporal's side.
  const server = await startDevServer({ cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH), port: await freePort(), headless: true, dbFile: path.join(dir, 'temporal.db') });
  const fake = await startFakeOpenAI(() => ({ content: 'ok' }));
  console.log(`Codec alone: ${(await codecCost(dir)).toFixed(1)} µs to encrypt and decrypt a 2 KB payload`);
  for (const sync of ['full', 'normal'] as const) console.log(`Store commit, synchronous=${sync}: ${(await commitCost(dir, sync)).toFixed(1)} µs`);
  try {
    await measure(server.address, fake.url, bundle, dir);
  } finally {
    await fake.close();
    await server.stop();
  }
}

async function measure(address: string, modelUrl: string, bundle: string, dir: string): Promise<void> {
  const setups = ([
    ['codec-full', true, 'full'],
    ['codec-normal', true, 'normal'],
    ['plain-full', false, 'full'],
    ['plain-normal', false, 'normal'],
  ] as const)
    .filter(([name]) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY === name)
    .map(([name, codec, sync]) => ({ name, codec, sync, latencies: [] as number[] }));
  // One setup runs at a time (idle workers of the others would skew it), in the order A B C D D C B A,
  // half the chats each time, so a drift of the shared machine's load hits every setup alike.
  for (const s of [...setups, ...[...setups].reverse()]) {
    const running = await startSetup(s.name, s.codec, s.sync, address, modelUrl, bundle, dir);
    await running.chat('warm up');
    for (let i = 0; i < CHATS / 2; i++) s.latencies.push(await running.chat(`message ${i}`));
    await running.stop();
  }
  const rows = setups.map((s) => ({ setup: s.name, codec: s.codec, storeSync: s.sync, chatMedianMs: +median(s.latencies).toFixed(1), chatP90Ms: +pct(s.latencies, 90).toFixed(1) }));
  console.log(`\nChat round trip, ${CHATS} sequential POST /api/chat per setup (in two halves, A B C D D C B A), fake model answers instantly\n`);
  console.table(rows);
  fs.mkdirSync(path.resolve(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.resolve(__dirname, 'results/security.json'), JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, chats: CHATS, rows }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
