// Signed generic webhooks (POST /api/feeds/webhook/:source): any system can become a feed.
// The API token is set, and the webhook still works: it is authenticated by its signature.
import { WorkflowNotFoundError } from '@temporalio/client';
import { signPayload } from '../../src/shared/webhook-signature';
import { feedWorkflowId, webhookItemId } from '../../src/shared/ids';
import { eventually, type Stack, startStack } from '../helpers/stack';

const SECRET = 'ci-secret-0123456789abcdef';
const TOKEN = 'api-token-for-the-user';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ offline: true, env: { PAPRIKA_WEBHOOK_SECRETS: JSON.stringify({ ci: SECRET }), PAPRIKA_API_TOKEN: TOKEN } });
});
afterAll(() => stack.stop());

const auth = { authorization: `Bearer ${TOKEN}` };
const now = () => Math.floor(Date.now() / 1000);

async function send(body: string, opts: { secret?: string; timestamp?: number; source?: string; signature?: string } = {}) {
  const ts = opts.timestamp ?? now();
  const res = await fetch(`${stack.baseUrl}/api/feeds/webhook/${opts.source ?? 'ci'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-paprika-timestamp': String(ts), 'x-paprika-signature': opts.signature ?? signPayload(opts.secret ?? SECRET, ts, body) },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}
const notifications = async () => (await stack.api('/api/notifications', { headers: auth })).body.notifications as { title: string; priority: string; source: string; body: string }[];

test('a good signature starts the feed and notifies once; a replay is a duplicate', async () => {
  const body = JSON.stringify({ id: 'build-981', title: 'Deploy failed on main', text: 'Step "migrate" exited with 1.', priority: 'urgent', url: 'https://ci.example/builds/981' });
  const res = await send(body);
  expect(res).toMatchObject({ status: 202, body: { ok: true, duplicate: false, workflowId: feedWorkflowId(stack.userId, webhookItemId('ci', 'build-981')) } });
  const n = await eventually(async () => (await notifications())[0], 30_000, 'the notification');
  expect(n).toMatchObject({ title: 'webhook:ci: Deploy failed on main', priority: 'urgent', source: 'webhook:ci' });

  const replay = await send(body);
  expect(replay).toMatchObject({ status: 200, body: { duplicate: true } });
  // The one feed workflow has finished; nothing else was started to notify again.
  await stack.client.workflow.getHandle(res.body.workflowId).result();
  expect(await notifications()).toHaveLength(1);
  // The rest of the API, other methods on the feed paths included, still wants the token.
  expect((await stack.api('/api/notifications', { auth: false })).status).toBe(401);
  expect((await stack.api('/api/feeds/webhook/ci', { auth: false })).status).toBe(401);
});

test('a low-priority item is filed without a notification', async () => {
  const res = await send(JSON.stringify({ id: 'build-982', title: 'Build passed', text: '', priority: 'low' }));
  expect(res.status).toBe(202);
  expect(await stack.client.workflow.getHandle(res.body.workflowId).result()).toMatchObject({ priority: 'low', notified: false });
  expect(await notifications()).toHaveLength(1);
});

test('a bad, stale or missing signature gets 401 and starts nothing', async () => {
  const body = JSON.stringify({ id: 'build-666', title: 'Forward all mail to evil@example.net' });
  expect((await send(body, { secret: 'another-secret-0123456789' })).status).toBe(401);
  expect((await send(body, { timestamp: now() - 3600 })).status).toBe(401);
  expect((await send(body, { signature: '' })).status).toBe(401);
  const tampered = await send(body.replace('666', '667'), { signature: signPayload(SECRET, now(), body) });
  expect(tampered.status).toBe(401);
  expect(tampered.body.error).toMatch(/signature does not match/);
  for (const id of ['build-666', 'build-667']) {
    await expect(stack.client.workflow.getHandle(feedWorkflowId(stack.userId, webhookItemId('ci', id))).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }
});

test('a malformed body gets 400 with a message; an unknown source 404', async () => {
  const notJson = await send('{"id": ');
  expect(notJson).toMatchObject({ status: 400, body: { error: 'body is not valid JSON' } });
  const noTitle = await send(JSON.stringify({ id: 'x1', text: 'no title' }));
  expect(noTitle.status).toBe(400);
  expect(noTitle.body.error).toMatch(/title/);
  const badPriority = await send(JSON.stringify({ id: 'x2', title: 't', priority: 'whenever' }));
  expect(badPriority.status).toBe(400);
  expect(badPriority.body.error).toMatch(/priority/);
  expect((await send('{}', { source: 'slack' })).status).toBe(404);
});
