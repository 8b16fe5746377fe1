// The Paprika side of the benchmark: worker, HTTP API and the fake model on a shared dev server,
// with a worker interceptor that times each activity (for the breakdown of a chat).
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { createApp } from '../src/server/app';
import { openStore } from '../src/store';
import { PaprikaClient } from '../src/temporal/app-client';
import { signPayload, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../src/shared/webhook-signature';
import { createWorker } from '../src/worker';
import { connectClient } from '../src/temporal/connection';
import { type ChatRequest, lastUserText, promptKind, startFakeOpenAI } from '../test/fakes/openai-server';

export const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';
export const TASKS = 50;

/** Activity durations by name, appended as activities finish. */
export type ActivityTimes = Map<string, number[]>;

export interface ModelKnobs {
  /** Delay of an assistant think whose batch has no user message (a model busy with background work). */
  backgroundThinkMs: number;
  /** How long each agent step's model call takes. */
  agentStepMs: number;
  /** Agents answer at their next step, so running tasks end. */
  agentsFinish: boolean;
}

export async function startPaprika(opts: { client: Client; connection: NativeConnection; bundle: string; dir: string; address: string }) {
  const knobs: ModelKnobs = { backgroundThinkMs: 0, agentStepMs: 20_000, agentsFinish: false };
  const script = (req: ChatRequest) => {
    const kind = promptKind(req);
    // A task that keeps running: each agent step reads for 20 s (inside the model timeout, so the
    // breaker sees no failure) and asks for another read, until the bench is done with it.
    if (kind === 'agent' && knobs.agentsFinish) return { content: 'Done.' };
    if (kind === 'agent') return { toolCalls: [{ name: 'recall', arguments: { query: 'notes' } }], delayMs: knobs.agentStepMs };
    if (kind !== 'assistant') {
      if ((req.messages[0]?.content ?? '').startsWith('You triage'))
        return { content: JSON.stringify({ priority: 'normal', category: 'other', summary: 'An item.', actionItems: [], reason: 'fake model' }) };
      return { content: 'A short summary.' };
    }
    const text = lastUserText(req);
    if (text.includes('start the background tasks'))
      return { content: 'Started.', toolCalls: Array.from({ length: TASKS }, (_, i) => ({ name: 'delegate_task', arguments: { title: `task ${i}`, instruction: 'wait' } })) };
    if (!text.includes('User (') && knobs.backgroundThinkMs) return { content: null, delayMs: knobs.backgroundThinkMs };
    return { content: text.includes('User (') ? 'ok' : null };
  };
  const model = await startFakeOpenAI(script);
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: opts.address,
    PAPRIKA_DATA_DIR: path.join(opts.dir, 'paprika-data'),
    PAPRIKA_USER: 'bench',
    OPENAI_BASE_URL: model.url,
    OPENAI_API_KEY: 'bench',
    TEMPORAL_TASK_QUEUE: 'bench',
    PAPRIKA_API_TOKEN: 'bench-token-0123456789abcdef',
    PAPRIKA_MAX_TASKS_PER_USER: String(TASKS + 10),
    PAPRIKA_WEBHOOK_SECRETS: JSON.stringify({ bench: WEBHOOK_SECRET }),
    // As the user runs it unless set: the store's durability (default full), the workflow cache.
    ...Object.fromEntries(['PAPRIKA_SQLITE_SYNC', 'PAPRIKA_WORKFLOW_CACHE_SIZE'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
  };
  const config = loadConfig(env);
  const store = await openStore(config.dataDir, { sync: config.security.sqliteSync });
  const times: ActivityTimes = new Map();
  const worker = await createWorker({
    config,
    store,
    connection: opts.connection,
    workflowBundle: { codePath: opts.bundle },
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: {
            async execute(input, next) {
              const t0 = performance.now();
              try {
                return await next(input);
              } finally {
                const name = ctx.info.activityType;
                times.set(name, [...(times.get(name) ?? []), performance.now() - t0]);
              }
            },
          },
        }),
      ],
    },
  });
  const running = worker.run();
  const paprika = new PaprikaClient(await connectClient(config), config, store);
  const app = createApp({ config, store, paprika });
  const http = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${config.apiToken}` };
  const chat = async (message: string) => {
    const res = await fetch(`${base}/api/chat`, { method: 'POST', headers, body: JSON.stringify({ message }) });
    if (res.status !== 200) throw new Error(`chat answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { reply: { text: string } };
  };
  const webhook = async (id: string) => {
    const body = JSON.stringify({ id, title: `Item ${id}`, text: 'Something happened.', priority: 'high' });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${base}/api/feeds/webhook/bench`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signPayload(WEBHOOK_SECRET, ts, body), [TIMESTAMP_HEADER]: String(ts) },
      body,
    });
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { workflowId: string }).workflowId;
  };
  return {
    /** The environment the config was read from, for a worker started in its own process. */
    env,
    config,
    store,
    paprika,
    model,
    knobs,
    times,
    worker,
    chat,
    webhook,
    async stop() {
      http.close();
      // The worker first: its held agent calls end with the shutdown, not with a closed model.
      worker.shutdown();
      await running.catch(() => undefined);
      await model.close();
      await store.close();
    },
  };
}
