// `npm run bench`: Paprika against a bare Temporal reference on the same dev server (SQLite file,
// WAL + synchronous=normal, as `npm start` runs it), in one run. The fake model answers instantly
// unless a part says otherwise. Prints one table (figure, Paprika, reference, ratio, goal, pass) and
// the chat breakdown; writes bench/results/bench.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { assistantWorkflowId } from '../src/shared/ids';
import { findTemporalCli } from '../src/temporal/cli';
import { Client, Connection } from '@temporalio/client';
import { freePort, startDevServer } from '../src/temporal/dev-server';
import { installRuntime } from '../src/temporal/runtime';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { lastUserText, promptKind } from '../test/fakes/openai-server';
import { referenceChat, referenceOneActivity, startReferenceWorker } from './reference/worker';
import { startPaprika, TASKS } from './stack';
import { startWorkerProcess } from './worker-process';
import { cpuDuring, mainThreadOf, profiled } from './cpu';
import { loadConfig } from '../src/config';
import { PaprikaClient } from '../src/temporal/app-client';
import { connectClient } from '../src/temporal/connection';

const CHATS = Number(process.env.BENCH_CHATS ?? 40);
const FEEDS = Number(process.env.BENCH_FEEDS ?? 150);
const CONCURRENCY = 8;
const IDLE_USERS = Number(process.env.BENCH_IDLE_USERS ?? 1000);
// Chats per loaded measurement, and per idle baseline taken just before it (same server state).
const LOADED_CHATS = Number(process.env.BENCH_LOADED_CHATS ?? 30);
// With running tasks: twice as many, over two agent steps (one step's wave of ends and starts is a
// few seconds of every 20, so 30 chats saw it 2-3 times and their median moved by ±8% run to run).
const TASK_CHATS = 2 * LOADED_CHATS;
// BENCH_ONLY=chat,feeds,burst,underburst,prompt,tasks,rss runs those parts alone (comma-separated).
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const part = (name: string) => ONLY.size === 0 || ONLY.has(name);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) => (xs.length ? sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : NaN);
const r1 = (x: number) => Math.round(x * 10) / 10;
const timed = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};
/** Times `f`, then waits out the rest of `gapMs` (so calls start `gapMs` apart). */
async function spaced(gapMs: number, f: () => Promise<unknown>): Promise<number> {
  const ms = await timed(f);
  if (gapMs > ms) await new Promise((r) => setTimeout(r, gapMs - ms));
  return ms;
}
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
async function pool(n: number, f: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < n) await f(next++); }));
}

interface Row { figure: string; paprika: number; reference: number | string; ratio: number | string; goal: string; pass: boolean }

async function main(): Promise<void> {
  installRuntime('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-bench-'));
  const server = await startDevServer({ cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH), port: await freePort(), headless: true, dbFile: path.join(dir, 'temporal.db'), tunedSqlite: true });
  const bundle = await bundleWorkflows(path.join(dir, 'bundle.js'));
  // The reference is bare Temporal: no payload codec (Paprika's own client below has it).
  const client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: 'default' });
  const connection = await NativeConnection.connect({ address: server.address });
  const reference = await startReferenceWorker(connection);
  const p = await startPaprika({ client, connection, bundle, dir, address: server.address });
  const userId = p.config.userId;
  const rows: Row[] = [];
  const row = (figure: string, paprika: number, ref: number | undefined, goal: string, pass: boolean) =>
    rows.push({ figure, paprika: r1(paprika), reference: ref === undefined ? '' : r1(ref), ratio: ref === undefined ? '' : Math.round((paprika / ref) * 100) / 100, goal, pass });
  const drained = (user: string) => until(async () => (await p.paprika.assistant.snapshot(user)).queued.length === 0, `${user}'s queue to drain`);
  const assistantCalls = () => p.model.requests.filter((r) => promptKind(r) === 'assistant').length;
  // The last step's model calls may follow an empty queue: wait until no request came for a while.
  const quiet = async () => { let n = -1; while (n !== p.model.requests.length) { n = p.model.requests.length; await new Promise((r) => setTimeout(r, 500)); } };
  const log = (s: string) => console.error(`bench: ${s}`);

  let idle: number[] = [], refChat: number[] = [], underBurst: number[] = [], withTasks: number[] = [], idleAroundTasks: number[] = [];
  let breakdown: Record<string, number> = {};
  let tasksBreakdown: Record<string, Record<string, number>> = {};
  // CPU seconds per part: the dev server's and this process's (API, worker, fake model, reference).
  const pids = { server: server.process.pid!, bench: process.pid, 'bench main thread': mainThreadOf(process.pid) };
  const cpu: Record<string, Record<string, number>> = {};
  const warm = async () => { for (let i = 0; i < 5; i++) { await referenceChat(client, 'bench-reference', `warm ${i}`); await p.chat(`warm ${i}`); } };
  /** Idle chats right before a loaded measurement: the same server state (history, database size) minus the load. */
  const idleBaseline = async (label: string) => {
    const xs: number[] = [];
    for (let i = 0; i < LOADED_CHATS; i++) xs.push(await timed(() => p.chat(`${label} baseline ${i}`)));
    return xs;
  };
  /** The assistant's workflow tasks between two times: scheduled → started (the server's dispatch), started → completed (the worker). */
  const workflowTasks = async (from: number, to: number) => {
    const history = await client.workflow.getHandle(assistantWorkflowId(userId)).fetchHistory();
    const ms = (t: unknown) => { const x = t as { seconds?: { toNumber(): number } | number; nanos?: number }; return Number(typeof x.seconds === 'object' ? x.seconds.toNumber() : x.seconds ?? 0) * 1000 + (x.nanos ?? 0) / 1e6; };
    const at = new Map<string, number>();
    const out = { dispatch: [] as number[], worker: [] as number[], total: [] as number[] };
    for (const e of history.events ?? []) {
      const t = ms(e.eventTime);
      if (t < from || t > to) continue;
      at.set(String(e.eventId), t);
      const started = e.workflowTaskStartedEventAttributes;
      if (started && at.has(String(started.scheduledEventId))) out.dispatch.push(t - at.get(String(started.scheduledEventId))!);
      const done = e.workflowTaskCompletedEventAttributes;
      if (done && at.has(String(done.scheduledEventId)) && at.has(String(done.startedEventId))) {
        out.worker.push(t - at.get(String(done.startedEventId))!);
        out.total.push(t - at.get(String(done.scheduledEventId))!);
      }
    }
    return out;
  };
  if (part('chat')) {
    // 1. Idle chat, and where its time goes.
    log('idle chat');
    await warm();
    refChat = [];
    for (let i = 0; i < CHATS; i++) refChat.push(await timed(() => referenceChat(client, 'bench-reference', `m ${i}`)));
    const clientTimes: number[] = [];
    const chatMethod = p.paprika.assistant.chat.bind(p.paprika.assistant);
    p.paprika.assistant.chat = async (...args) => {
      const t0 = performance.now();
      try { return await chatMethod(...args); } finally { clientTimes.push(performance.now() - t0); }
    };
    p.times.clear();
    const since = new Date();
    idle = [];
    for (let i = 0; i < CHATS; i++) idle.push(await timed(() => p.chat(`message ${i}`)));
    const wft = (await workflowTasks(since.getTime(), Date.now())).total;
  const p50 = (name: string) => pct(p.times.get(name) ?? [], 50);
  breakdown = {
    'HTTP round trip (client)': r1(pct(idle, 50)),
    'HTTP layer + auth + JSON (HTTP − app client)': r1(pct(idle, 50) - pct(clientTimes, 50)),
    'app client: update-with-start until answered': r1(pct(clientTimes, 50)),
    '  think activity (fake model, instant)': r1(p50('think')),
    '  deliver (local activity, SQLite transaction)': r1(p50('deliver')),
    '  Temporal: server, task dispatch, workflow tasks': r1(pct(clientTimes, 50) - p50('think') - p50('deliver')),
    'workflow tasks per chat': r1(wft.length / CHATS),
    'workflow task, scheduled → completed (p50)': r1(pct(wft, 50)),
    'reference update round trip (p50)': r1(pct(refChat, 50)),
  };
  row('chat p50 ms (POST /api/chat vs bare update→activity)', pct(idle, 50), pct(refChat, 50), '≤ 1.5x', pct(idle, 50) <= 1.5 * pct(refChat, 50));
  row('chat p90 ms', pct(idle, 90), pct(refChat, 90), '≤ 2x', pct(idle, 90) <= 2 * pct(refChat, 90));
  }

  // 2. Feed throughput: signed webhooks → notification, against bare one-activity workflows.
  if (part('feeds')) {
    log('feed throughput');
    let refSeconds = 0, feedSeconds = 0;
    const refCpu = await cpuDuring(pids, async () => { refSeconds = (await timed(() => pool(FEEDS, (i) => referenceOneActivity(client, `bench-one:${i}`)))) / 1000; });
    const feedCpu = await cpuDuring(pids, () => profiled('feeds', async () => { feedSeconds = (await timed(() => pool(FEEDS, async (i) => { await p.paprika.feeds.outcome(await p.webhook(`item-${i}`)); }))) / 1000; }));
    cpu['feeds: reference'] = refCpu;
    cpu['feeds: Paprika'] = feedCpu;
    log(`feeds: ${r1(FEEDS / feedSeconds)}/s vs ${r1(FEEDS / refSeconds)}/s; CPU s ${JSON.stringify(feedCpu)} vs ${JSON.stringify(refCpu)}`);
    row(`feed throughput /s (${FEEDS} webhooks → notification vs one-activity workflows)`, FEEDS / feedSeconds, FEEDS / refSeconds, '≥ 0.8x', FEEDS / feedSeconds >= 0.8 * (FEEDS / refSeconds));
    await drained(userId);
  }

  // 3. A burst of 100 feed events on a fresh user: how many model calls.
  if (part('burst')) {
    log('burst');
    const before = p.model.requests.length;
    for (let i = 0; i < 100; i++) await p.paprika.assistant.sendEvent('bench-burst', { id: `burst:${i}`, kind: 'feed', priority: 'normal', source: 'bench', text: `burst item ${i}`, at: new Date().toISOString() });
    await until(async () => { const s = await p.paprika.assistant.snapshot('bench-burst'); return s.stats.events === 100 && s.queued.length === 0; }, 'the burst');
    await quiet();
    const burstCalls = p.model.requests.length - before;
    row('model calls for a burst of 100 feed events (think + summarize)', burstCalls, undefined, '≤ 15', burstCalls <= 15);
  }

  // 4. Chat while a 100-item burst is thought about (the model takes 200 ms per background batch).
  if (part('underburst')) {
    log('chat under a feed burst');
    if (!part('chat')) await warm();
    const idleBeforeBurst = await idleBaseline('burst');
    p.knobs.backgroundThinkMs = 200;
    for (let i = 0; i < 100; i++) await p.paprika.assistant.sendEvent(userId, { id: `load:${i}`, kind: 'feed', priority: 'normal', source: 'bench', text: `load item ${i}`, at: new Date().toISOString() });
    underBurst = [];
    for (let i = 0; i < LOADED_CHATS; i++) underBurst.push(await timed(() => p.chat(`during the burst ${i}`)));
    // The burst must still be there when the last chat is answered, or the chats measured nothing.
    const left = (await p.paprika.assistant.snapshot(userId)).queued.filter((e) => e.id.startsWith('load:')).length;
    log(`burst events still queued after the chats: ${left} of 100`);
    if (left === 0) throw new Error('bench: the burst was over before the chats ended; nothing was measured under load');
    p.knobs.backgroundThinkMs = 0;
    await drained(userId);
    row('chat p50 ms with a 100-item feed burst in flight vs idle just before', pct(underBurst, 50), pct(idleBeforeBurst, 50), '≤ 1.2x', pct(underBurst, 50) <= 1.2 * pct(idleBeforeBurst, 50));
  }

  // 5. Bounded prompt: the largest think prompt for one new event over a window's worth of events
  // (a prompt is largest just before the window folds) ending at event 100, and ending at event 1,000.
  if (part('prompt')) {
    log('prompt size');
    const promptFor = async (n: number) => {
      const id = `prompt:${n}`;
      await p.paprika.assistant.sendEvent('bench-prompt', { id, kind: 'feed', priority: 'normal', source: 'bench', text: `prompt item ${n}`, at: new Date().toISOString() });
      const mine = () => [...p.model.requests].reverse().find((r) => promptKind(r) === 'assistant' && lastUserText(r).includes(`prompt item ${n}\n`));
      await until(() => mine() !== undefined, `the think of event ${n}`);
      return JSON.stringify(mine()!.messages).length;
    };
    const fill = async (from: number, to: number) => {
      for (let i = from; i < to; i++) await p.paprika.assistant.sendEvent('bench-prompt', { id: `prompt:${i}`, kind: 'feed', priority: 'normal', source: 'bench', text: `prompt item ${i}`, at: new Date().toISOString() });
      await drained('bench-prompt');
    };
    const cycle = p.config.limits.windowSize;
    const largestUpTo = async (last: number) => {
      let largest = 0;
      for (let n = last - cycle + 1; n <= last; n++) largest = Math.max(largest, await promptFor(n));
      return largest;
    };
    await fill(1, 100 - cycle + 1);
    const at100 = await largestUpTo(100);
    await fill(101, 1000 - cycle + 1);
    const at1000 = await largestUpTo(1000);
    row(`largest think prompt bytes over events ${1000 - p.config.limits.windowSize + 1}-1,000 vs ${100 - p.config.limits.windowSize + 1}-100`, at1000, at100, '≤ 1.2x', at1000 <= 1.2 * at100);
  }

  // 6. Chat with 50 background tasks running (their agents wait on the model), against idle chats
  // taken before the tasks start and after they end, so drift across the part (a growing history
  // and database, the machine's own swings) weighs on both sides of the ratio.
  if (part('tasks')) {
    log('chat with running tasks');
    if (!part('chat') && !part('underburst')) await warm();
    // The chats are spread over two agent steps (20 s each), so they meet the agents' waves of step
    // ends and new steps in proportion to time, not just the first one; the idle chats are spaced alike.
    const gap = Math.ceil(48_000 / TASK_CHATS);
    // Local activity times and the assistant's workflow tasks over a stretch of chats.
    const counts = () => new Map([...p.times].map(([k, v]) => [k, v.length]));
    const p50Since = (name: string, from: Map<string, number>) => r1(pct((p.times.get(name) ?? []).slice(from.get(name) ?? 0), 50));
    const stretch = async (label: string, cpuLabel: string) => {
      const from = Date.now(), mark = counts();
      const xs: number[] = [];
      cpu[cpuLabel] = await cpuDuring(pids, () => profiled(label, async () => {
        for (let i = 0; i < TASK_CHATS; i++) xs.push(await spaced(gap, () => p.chat(`${label} ${i}`)));
      }));
      const w = await workflowTasks(from, Date.now());
      const parts = { think: p50Since('think', mark), deliver: p50Since('deliver', mark), 'workflow task: server dispatch': r1(pct(w.dispatch, 50)), 'workflow task: worker': r1(pct(w.worker, 50)), 'chat (HTTP round trip)': r1(pct(xs, 50)) };
      return { xs, parts };
    };
    // Each idle stretch starts once the part before it has settled (the model quiet, then 10 s for the
    // server's own follow-up work: closing workflows, visibility), so it measures idle, not an aftermath.
    const settle = async () => { await quiet(); await new Promise((r) => setTimeout(r, 10_000)); };
    await settle();
    const before = await stretch('idle-before-tasks', 'idle chats before the tasks');
    const agentCalls = () => p.model.requests.filter((r) => promptKind(r) === 'agent').length;
    await p.chat('start the background tasks');
    // As many agent steps in flight as the worker has activity slots (the rest of the tasks queue for one).
    await until(() => agentCalls() >= Math.min(TASKS, p.config.worker.concurrency), 'the tasks to run');
    const loaded = await stretch('with-tasks', `chats with ${TASKS} tasks running`);
    withTasks = loaded.xs;
    p.knobs.agentsFinish = true;
    await until(async () => (await p.paprika.assistant.snapshot(userId)).pending.length === 0, 'the tasks to end', 120_000);
    await drained(userId);
    await settle();
    const after = await stretch('idle-after-tasks', 'idle chats after the tasks');
    idleAroundTasks = [...before.xs, ...after.xs];
    tasksBreakdown = Object.fromEntries(Object.keys(before.parts).map((k) => {
      const key = k as keyof typeof before.parts;
      return [k, { 'idle before': before.parts[key], [`${TASKS} tasks`]: loaded.parts[key], 'idle after': after.parts[key] }];
    }));
    row(`chat p50 ms with ${TASKS} background tasks running vs idle before and after`, pct(withTasks, 50), pct(idleAroundTasks, 50), '≤ 1.1x', pct(withTasks, 50) <= 1.1 * pct(idleAroundTasks, 50));
  }

  // 7. Memory with 1,000 users' assistant workflows idle, read from a worker in its own process
  // (`src/worker.ts` with the bench's configuration, on a task queue of its own).
  if (part('rss')) {
    log('idle workflows (worker process)');
    const idleQueue = 'bench-idle';
    const idleEnv = {
      ...p.env,
      TEMPORAL_TASK_QUEUE: idleQueue,
      PAPRIKA_WORKFLOW_BUNDLE: bundle,
      ...(process.env.PAPRIKA_WORKFLOW_CACHE_SIZE ? { PAPRIKA_WORKFLOW_CACHE_SIZE: process.env.PAPRIKA_WORKFLOW_CACHE_SIZE } : {}),
    };
    const idleWorker = await startWorkerProcess(idleEnv);
    const idleConfig = loadConfig(idleEnv);
    const idleTemporal = await connectClient(idleConfig);
    const idleClient = new PaprikaClient(idleTemporal, idleConfig, p.store);
    const rssBefore = idleWorker.rssMb();
    const start = assistantCalls();
    await pool(IDLE_USERS, (i) => idleClient.assistant.sendEvent(`idle-${i}`, { id: `idle:${i}`, kind: 'feed', priority: 'low', source: 'bench', text: 'one event', at: new Date().toISOString() }));
    await until(() => assistantCalls() - start >= IDLE_USERS, 'every idle user to think once');
    await quiet();
    const rssMb = idleWorker.rssMb();
    row(`worker process RSS MB with ${IDLE_USERS} idle assistants (cache ${idleConfig.temporal.workflowCacheSize} workflows; ${r1(rssBefore)} MB before)`, rssMb, undefined, '≤ 400', rssMb <= 400);
    await idleWorker.stop();
    await idleTemporal.connection.close();
  }

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
  console.log(`\nPaprika against a bare Temporal reference, same dev server (SQLite WAL + synchronous=normal), fake model; ${machine}\n`);
  console.table(rows);
  console.log('\nWhere a chat goes (p50 ms over the idle chats):');
  console.table(breakdown);
  if (Object.keys(tasksBreakdown).length) {
    console.log(`\nA chat with ${TASKS} tasks running, against idle chats before and after (p50 ms):`);
    console.table(tasksBreakdown);
  }
  if (Object.keys(cpu).length) {
    console.log('\nCPU seconds used during a part (dev server; bench process = API, worker, fake model, reference worker):');
    console.table(cpu);
  }
  fs.mkdirSync(path.resolve(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.resolve(__dirname, 'results/bench.json'), JSON.stringify({ at: new Date().toISOString(), machine, rows, breakdown, tasksBreakdown, cpu, raw: { idle, refChat, underBurst, withTasks, idleAroundTasks } }, null, 2));

  await p.stop();
  await reference.stop();
  await connection.close();
  await client.connection.close();
  await server.stop();
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
