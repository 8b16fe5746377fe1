// The team topology without Docker: two worker processes and two API instances against one
// Temporal and one PostgreSQL. One worker is killed (kill -9) mid-burst; the other carries on.
// Every feed item is notified exactly once, every chat is answered, and an SSE client on the
// second API sees what workers wrote through the shared store.
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { createApp } from '../../src/server/app';
import { signPayload } from '../../src/shared/webhook-signature';
import { openStoreFor, type Store } from '../../src/store';
import { PaprikaClient } from '../../src/temporal/app-client';
import { eventually, spawnWorker, type Stack, startStack, waitForOutput } from '../helpers/stack';

const SECRET = 'scale-secret-0123456789abcdef';
const ITEMS = 40;
const CHATS = 6;
let stack: Stack;
let secondStore: Store;
let second: ServerType;
let secondUrl: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startStack({ offline: true, worker: 'none', store: 'postgres', env: { PAPRIKA_WEBHOOK_SECRETS: JSON.stringify({ ci: SECRET }) } });
  // A second API process would open its own pool to the same database; in-process is the same code.
  secondStore = await openStoreFor(stack.config);
  const app = createApp({ config: stack.config, store: secondStore, paprika: new PaprikaClient(stack.client, stack.config, secondStore) });
  second = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await new Promise((r) => second.close(r));
  await secondStore.close();
  await stack.stop();
});

const apis = () => [stack.baseUrl, secondUrl];

async function send(n: number): Promise<number> {
  const body = JSON.stringify({ id: `scale-${n}`, title: `Deploy ${n} failed`, text: `Job ${n} exited with 1.`, priority: 'high' });
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${apis()[n % 2]}/api/feeds/webhook/ci`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-paprika-timestamp': String(ts), 'x-paprika-signature': signPayload(SECRET, ts, body) },
    body,
  });
  return res.status;
}

async function chat(n: number): Promise<{ status: number; reply?: string }> {
  const res = await fetch(`${apis()[n % 2]}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
    body: JSON.stringify({ id: `scale-chat-${n}`, message: `what needs me? (${n})` }),
  });
  const body = (await res.json()) as { reply?: { text: string } };
  return { status: res.status, reply: body.reply?.text };
}

function listen(baseUrl: string) {
  const events: EventSourceMessage[] = [];
  const abort = new AbortController();
  const parser = createParser({ onEvent: (e) => events.push(e) });
  const done = fetch(`${baseUrl}/api/stream`, { headers: { authorization: `Bearer ${stack.token}` }, signal: abort.signal })
    .then(async (res) => {
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    })
    .catch((err) => {
      if ((err as Error).name !== 'AbortError') throw err;
    });
  return { events, close: async () => (abort.abort(), done) };
}

const burstNotes = async () => (await stack.store.notifications.list(stack.userId, { limit: 500 })).filter((n) => n.source === 'webhook:ci');

test('two workers, two APIs, one Postgres: kill -9 one worker mid-burst and nothing is lost or doubled', async () => {
  for (let i = 0; i < 2; i++) {
    const w = spawnWorker(stack);
    workers.push(w);
    await waitForOutput(w, /worker polling/);
  }
  const live = listen(secondUrl);
  await eventually(() => live.events.some((e) => e.event === 'ready'), 10_000, 'the second API stream to open');

  const sent = Promise.all(Array.from({ length: ITEMS }, (_, i) => send(i)));
  const chats = Promise.all(Array.from({ length: CHATS }, (_, i) => chat(i)));
  await eventually(async () => (await burstNotes()).length > 0, 60_000, 'the first notification');
  workers[0]!.kill('SIGKILL');
  await new Promise((r) => workers[0]!.once('exit', r));

  expect((await sent).every((s) => s === 202)).toBe(true);
  const answers = await chats;
  expect(answers.map((a) => a.status)).toEqual(Array(CHATS).fill(200));
  expect(answers.every((a) => typeof a.reply === 'string' && a.reply.length > 0)).toBe(true);

  await eventually(async () => (await burstNotes()).length >= ITEMS, 110_000, `all ${ITEMS} notifications`);
  const notes = await burstNotes();
  expect(notes).toHaveLength(ITEMS);
  expect(new Set(notes.map((n) => n.title)).size).toBe(ITEMS);

  // Each chat was recorded once, whichever API took it and whichever worker answered.
  const transcript = await stack.store.transcript.list(stack.userId, { limit: 500 });
  const userLines = transcript.filter((m) => m.role === 'user' && m.text.startsWith('what needs me?'));
  expect(userLines).toHaveLength(CHATS);

  // The second API's stream saw every notification, written by workers through the shared store.
  const streamed = await eventually(() => {
    const titles = new Set(live.events.filter((e) => e.event === 'notification').map((e) => JSON.parse(e.data).title as string));
    return notes.every((n) => titles.has(n.title)) && titles;
  }, 30_000, 'every notification on the second API stream');
  expect(streamed.size).toBeGreaterThanOrEqual(ITEMS);
  await live.close();
});
