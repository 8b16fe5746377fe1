// Feed throughput, end to end: signed Composio webhooks (the sample inbox, many copies) → POST
// /api/feeds/composio → feed workflows (rules + the fake model) → notifications, on the real dev
// server and the real Composio SDK against the fake Composio. Median of three runs.
//   npm run bench:feeds      (prints a table; writes bench/results/feeds.json)
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { NativeConnection } from '@temporalio/worker';
import { linkAccount } from '../src/integrations/composio/client';
import { ensureGmailTrigger } from '../src/integrations/composio/triggers';
import { loadConfig } from '../src/config';
import { readMailboxAll } from '../src/mail/parse-mail';
import { createApp } from '../src/server/app';
import type { RawEmail } from '../src/shared/feed';
import { openStore } from '../src/store';
import { PaprikaClient } from '../src/temporal/app-client';
import { findTemporalCli } from '../src/temporal/cli';
import { connectClient } from '../src/temporal/connection';
import { installRuntime } from '../src/temporal/runtime';
import { freePort, startDevServer } from '../src/temporal/dev-server';
import { createWorker } from '../src/worker';
import type { FeedOutcome } from '../src/workflows/feed';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { type GmailMessageInput, startFakeComposio } from '../test/fakes/composio/server';
import { startFakeOpenAI } from '../test/fakes/openai-server';

const RUNS = 3;
const COPIES = Number(process.env.BENCH_FEED_COPIES ?? 10); // 14 sample messages × COPIES per run
const CONCURRENCY = Number(process.env.BENCH_FEED_CONCURRENCY ?? 8); // webhooks in flight at once

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function asGmail(e: RawEmail, id: string): GmailMessageInput {
  const fmt = (a: { name?: string; address: string }) => (a.name ? `${a.name} <${a.address}>` : a.address);
  const h = e.headers;
  const headers: Record<string, string> = {};
  if (h.listUnsubscribe) headers['List-Unsubscribe'] = h.listUnsubscribe;
  if (h.listId) headers['List-Id'] = h.listId;
  if (h.precedence) headers.Precedence = h.precedence;
  if (h.autoSubmitted) headers['Auto-Submitted'] = h.autoSubmitted;
  if (h.replyTo) headers['Reply-To'] = h.replyTo;
  return { id, from: fmt(e.from), to: e.to.map(fmt), cc: e.cc.map(fmt), subject: e.subject, text: e.text, date: e.date, labels: ['INBOX', 'UNREAD'], headers };
}

async function main() {
  installRuntime('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-bench-feeds-'));
  process.env.HOME = dir; // the Composio SDK must not read a developer's ~/.composio
  const port = await freePort();
  const server = await startDevServer({ cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH), port, headless: true, dbFile: path.join(dir, 'temporal.db'), tunedSqlite: true });
  const bundle = await bundleWorkflows(path.join(dir, 'bundle.js'));
  const sample = await readMailboxAll(path.resolve(__dirname, '../samples/inbox.mbox'));
  const model = await startFakeOpenAI((req) =>
    (req.messages[0]?.content ?? '').startsWith('You triage email')
      ? { content: JSON.stringify({ priority: 'normal', category: 'other', summary: 'A message.', actionItems: [], reason: 'fake model' }) }
      : { content: 'ok' },
  );
  const composio = await startFakeComposio();
  const rows: Record<string, unknown>[] = [];

  for (let run = 1; run <= RUNS; run++) {
    const config = loadConfig({
      TEMPORAL_ADDRESS: server.address,
      PAPRIKA_DATA_DIR: path.join(dir, `data-${run}`),
      PAPRIKA_USER: `bench-${run}`,
      PAPRIKA_API_TOKEN: 'bench-token-0123456789abcdef',
      TEMPORAL_TASK_QUEUE: `bench-feeds-${run}`,
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'bench',
      COMPOSIO_API_KEY: composio.apiKey,
      COMPOSIO_BASE_URL: composio.url,
      COMPOSIO_WEBHOOK_SECRET: composio.webhookSecret,
      COMPOSIO_AUTH_CONFIG_GMAIL: 'ac_gmail',
      COMPOSIO_TOOLKIT_VERSIONS: 'gmail=20250909_00,googlecalendar=20250909_00',
    });
    const store = await openStore(config.dataDir);
    await store.settings.update(config.userId, { vips: ['dana@acme.example'] });
    const client = await connectClient(config, server.address);
    const connection = await NativeConnection.connect({ address: server.address });
    const worker = await createWorker({ config, store, connection, workflowBundle: { codePath: bundle } });
    const running = worker.run();
    const paprika = new PaprikaClient(client, config, store);
    const app = createApp({ config, store, paprika });
    const http = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/feeds/composio`;
    const link = await linkAccount(config, config.userId, 'gmail');
    composio.activateAccount(link.connectedAccountId);
    await ensureGmailTrigger(config, config.userId, link.connectedAccountId);

    const messages = Array.from({ length: COPIES }, (_, c) => sample.map((e, i) => asGmail(e, `r${run}-c${c}-m${i}`))).flat();
    const latencies: number[] = [];
    const outcomes: FeedOutcome[] = [];
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < messages.length) {
          const m = messages[next++]!;
          const sent = performance.now();
          const { headers, body } = composio.signWebhook(composio.makeGmailMessageEvent(m, { version: 'V3' }));
          const res = await fetch(url, { method: 'POST', headers, body });
          const answer = (await res.json()) as { workflowId: string };
          if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(answer)}`);
          // The notification is written inside the workflow, so its end is "webhook to notification".
          outcomes.push(await paprika.feeds.outcome(answer.workflowId));
          latencies.push(performance.now() - sent);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const notified = outcomes.filter((o) => o.notified).length;
    const stored = (await store.notifications.list(config.userId, { limit: 10_000 })).filter((n) => n.source === 'gmail').length;
    if (stored !== notified) throw new Error(`expected ${notified} notifications, found ${stored}`);
    rows.push({
      run,
      messages: messages.length,
      seconds: round(seconds, 2),
      messagesPerSecond: round(messages.length / seconds),
      latencyMedianMs: round(median(latencies)),
      notified,
      modelCalls: model.requests.filter((r) => (r.messages[0]?.content ?? '').startsWith('You triage email')).length,
    });
    model.requests.length = 0;

    http.close();
    worker.shutdown();
    await running;
    await connection.close();
    await client.connection.close();
    await store.close();
  }

  const summary = {
    messagesPerSecondMedian: median(rows.map((r) => r.messagesPerSecond as number)),
    latencyMedianMs: median(rows.map((r) => r.latencyMedianMs as number)),
  };
  console.table(rows);
  console.log(`Feed throughput (median of ${RUNS}): ${summary.messagesPerSecondMedian} messages/s end to end, webhook → notification; median latency ${summary.latencyMedianMs} ms (${CONCURRENCY} webhooks in flight, ${os.cpus().length} CPUs).`);
  fs.mkdirSync(path.resolve(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(
    path.resolve(__dirname, 'results/feeds.json'),
    JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, copies: COPIES, concurrency: CONCURRENCY, summary, rows }, null, 2),
  );
  await composio.close();
  await model.close();
  await server.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
