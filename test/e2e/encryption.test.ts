// What reaches Temporal is ciphertext: a mail's text is in no history read without the codec
// (the SDK or `temporal workflow show`), the codec endpoint the Temporal UI calls decodes it for
// the user, and after a key rotation old histories still decode and replay.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { createApp } from '../../src/server/app';
import { findTemporalCli } from '../../src/temporal/cli';
import { dataConverter } from '../../src/temporal/connection';
import { rotateKeyFile } from '../../src/temporal/keys';
import { type FeedStack, startFeedStack } from '../helpers/feeds';
import { eventually } from '../helpers/stack';

const PHRASE = 'Quartz pelican ledger';
const LATER = 'Saffron lighthouse memo';

let f: FeedStack;
let plain: Client;
beforeAll(async () => {
  f = await startFeedStack({ offline: true });
  await f.stack.api('/api/settings', { method: 'PUT', body: { vips: ['dana@acme.example'] } });
  // A client as anyone who reaches Temporal's port would have it: no codec.
  plain = new Client({ connection: await Connection.connect({ address: process.env.PAPRIKA_TEST_TEMPORAL! }) });
});
afterAll(async () => {
  await plain?.connection.close();
  await f?.stop();
});

type JsonPayload = { metadata: Record<string, string>; data?: string };

/**
 * Every payload in a history, in the codec endpoint's JSON shape. Search attributes and the core's marker bookkeeping are left out:
 * Temporal must index them, so they are never encoded (they hold the user ID and the kind only).
 */
function payloadsOf(history: History): JsonPayload[] {
  const out: JsonPayload[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    // Markers written by the SDK's core, not through the codec: a patch's own name, and a local
    // activity's bookkeeping (seq, attempt, type, times). A local activity's result is ours: check it.
    if (o.markerName === 'core_patch') return;
    if (o.markerName === 'core_local_activity') return walk((o.details as Record<string, unknown> | undefined)?.result);
    if (o.metadata && typeof o.metadata === 'object' && 'encoding' in (o.metadata as object)) out.push({ metadata: o.metadata as Record<string, string>, data: (o.data as string) ?? '' });
    else Object.entries(o).forEach(([k, x]) => k !== 'searchAttributes' && walk(x));
  };
  walk(JSON.parse(historyToJSON(history)));
  return out;
}

const rawBytes = (history: History) => Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');

async function userHistories() {
  const out: { workflowId: string; runId: string; history: History }[] = [];
  for await (const wf of plain.workflow.list({ query: `PaprikaUser = "${f.stack.userId}"` })) {
    out.push({ workflowId: wf.workflowId, runId: wf.runId, history: await plain.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory() });
  }
  return out;
}

async function decodeViaEndpoint(payloads: JsonPayload[]): Promise<string> {
  const res = await f.stack.api<{ payloads: JsonPayload[] }>('/api/codec/decode', { body: { payloads } });
  expect(res.status).toBe(200);
  return res.body.payloads.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8')).join('\n');
}

async function feedMail(id: string, subject: string) {
  expect((await f.deliver({ id, from: 'Dana Whitfield <dana@acme.example>', to: ['sam@acme.example'], subject, text: `About the ${subject}.` })).status).toBe(202);
  await eventually(async () => (await f.stack.api('/api/notifications')).body.notifications.some((n: { title: string }) => n.title.includes(subject)), 30_000, `the notification of "${subject}"`);
  // The feed workflow has finished (its local activities' results are in history only once the
  // workflow task that ran them completed), and the assistant heard of it, so its history holds the event.
  return eventually(async () => {
    const all = await userHistories();
    const feed = all.find((h) => h.workflowId.startsWith('feed:') && h.workflowId.includes(id));
    const finished = feed?.history.events?.some((e) => e.workflowExecutionCompletedEventAttributes);
    return feed && finished && all.some((h) => h.workflowId.startsWith('assistant:')) ? { all, feed } : undefined;
  }, 30_000, 'the finished feed workflow and the assistant in visibility');
}

let firstFeed: { workflowId: string; runId: string };

test("a history read without the codec holds no mail text; the UI's codec endpoint decodes it", async () => {
  const { all, feed } = await feedMail('enc-first', PHRASE);
  firstFeed = feed;
  const payloads = all.flatMap((h) => payloadsOf(h.history));
  expect(payloads.length).toBeGreaterThan(3);
  for (const h of all) expect(rawBytes(h.history)).not.toContain(PHRASE);
  // Every payload is encrypted (none slipped past the codec), and the text is in them.
  expect(new Set(payloads.map((p) => Buffer.from(p.metadata.encoding!, 'base64').toString()))).toEqual(new Set(['binary/encrypted']));
  expect(await decodeViaEndpoint(payloadsOf(feed.history))).toContain(PHRASE);
});

test('`temporal workflow show` without the codec shows ciphertext only', async () => {
  const { stdout } = await promisify(execFile)(findTemporalCli(process.env.TEMPORAL_CLI_PATH), [
    'workflow', 'show', '--workflow-id', firstFeed.workflowId, '--address', process.env.PAPRIKA_TEST_TEMPORAL!, '--output', 'json',
  ]);
  expect(stdout).toContain('encryption-key-id');
  expect(stdout).not.toContain(PHRASE);
});

test('the codec endpoint: CORS only for the Temporal UI, and behind the API token', async () => {
  const ui = new URL(f.stack.config.temporal.uiUrl).origin;
  const preflight = (origin: string) =>
    fetch(`${f.stack.baseUrl}/api/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
  const ok = await preflight(ui);
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(ui);
  expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
  expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
  expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).not.toBe('https://evil.example');

  // The same app with a token: the preflight stays open, decoding does not.
  // The stack's own token: an app started with another one would make that the configured user's.
  const token = f.stack.token;
  const { store, paprika } = f.stack;
  const app = createApp({ config: f.stack.config, store, paprika });
  const body = JSON.stringify({ payloads: payloadsOf(await plain.workflow.getHandle(firstFeed.workflowId).fetchHistory()) });
  const headers = { 'content-type': 'application/json', origin: ui, host: '127.0.0.1' };
  expect((await app.request('/api/codec/decode', { method: 'POST', headers, body })).status).toBe(401);
  expect((await app.request('/api/codec/decode', { method: 'OPTIONS', headers: { origin: ui, host: '127.0.0.1', 'access-control-request-method': 'POST' } })).status).toBe(204);
  const authed = await app.request('/api/codec/decode', { method: 'POST', headers: { ...headers, authorization: `Bearer ${token}` }, body });
  expect(authed.status).toBe(200);
  expect(JSON.stringify(await authed.json())).not.toContain('YmluYXJ5L2VuY3J5cHRlZA'); // "binary/encrypted": all decoded
});

test('after a key rotation, new work uses the new key and old histories still decode and replay', async () => {
  const { id: newKey, previous } = rotateKeyFile(f.stack.config.dataDir);
  // A restarted worker picks up the new current key.
  await f.stack.stopWorker();
  await f.stack.startWorker();
  const { feed } = await feedMail('enc-second', LATER);
  const keyIds = new Set(payloadsOf(feed.history).map((p) => Buffer.from(p.metadata['encryption-key-id'] ?? '', 'base64').toString()));
  expect(keyIds).toContain(newKey);
  expect(rawBytes(feed.history)).not.toContain(LATER);

  const old = await plain.workflow.getHandle(firstFeed.workflowId, firstFeed.runId).fetchHistory();
  expect(new Set(payloadsOf(old).map((p) => Buffer.from(p.metadata['encryption-key-id'] ?? '', 'base64').toString()))).toEqual(new Set([previous]));
  expect(await decodeViaEndpoint(payloadsOf(old))).toContain(PHRASE);
  expect(await decodeViaEndpoint(payloadsOf(feed.history))).toContain(LATER);
  // A process started after the rotation (as `npm run replay` is) replays both.
  for (const h of [old, feed.history]) {
    await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.PAPRIKA_TEST_BUNDLE! }, dataConverter: dataConverter(f.stack.config) }, h);
  }
});
