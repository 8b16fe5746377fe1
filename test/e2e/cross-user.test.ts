// Two users on one stack: every /api route (taken from the app's own route table, so a route added
// later without a row here fails) is called with user A's token and then A's session cookie, aimed
// at user B's things. A gets 404 or a list without B's things, and B's things are unchanged after.
// And two users who receive the same signed webhook item are both told.
import { USER } from '../../src/shared/provenance';
import { signPayload } from '../../src/shared/webhook-signature';
import { eventually, type Stack, type StackUser, startStack } from '../helpers/stack';

const SECRET = 'ci-secret-0123456789abcdef';
let stack: Stack;
let A: StackUser;
let B: StackUser;

const b = {
  approval: 'apr-b-1',
  task: 'task-b-1',
  note: 'note-b-1',
  item: 'webhook:ci:b-item-1',
  audit: 'audit-b-1',
  sender: 'secret-sender@b.example',
  fact: '',
  rule: '',
  agent: 'helper',
};

beforeAll(async () => {
  stack = await startStack({ offline: true, env: { PAPRIKA_WEBHOOK_SECRETS: JSON.stringify({ ci: SECRET }) } });
  A = await stack.addUser();
  B = await stack.addUser();
  const s = stack.store;
  await s.tasks.start({ id: b.task, userId: B.userId, tool: 'web_fetch', title: 'B private task', workflowId: `tool:${B.userId}:${b.task}` });
  await s.approvals.create({
    id: b.approval,
    userId: B.userId,
    taskId: b.task,
    workflowId: `tool:${B.userId}:${b.task}`,
    tool: 'gmail_send',
    args: { to: ['x@b.example'], subject: 's', body: 'b' },
    preview: { kind: 'email', to: 'x@b.example', subject: 's', body: 'b', summary: 'B private send' },
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    provenance: USER,
  });
  await s.context.put(B.userId, { id: b.item, source: 'webhook:ci', kind: 'webhook', title: 'B private item', sender: b.sender, body: '', occurredAt: new Date().toISOString() });
  await s.notifications.add(b.note, B.userId, { title: 'B private note', body: '', priority: 'high', ref: b.item });
  await s.audit.record({ id: b.audit, userId: B.userId, action: 'gmail_send', actor: `task:${b.task}`, provenance: USER, outcome: 'refused', detail: 'B private audit', taskId: b.task });
  b.fact = (await s.memory.add(B.userId, 'B private fact')).id;
  b.rule = (await s.rules.upsert(B.userId, { scope: 'sender', value: 'boss@b.example', effect: 'always_notify' })).id;
  await s.approvals.setAutoApproved(B.userId, ['gmail_send']);
  await s.settings.update(B.userId, { briefingTime: '06:15' });
  await s.profile.correct(B.userId, { name: 'B Private Name' });
});
afterAll(async () => {
  // PUT /api/settings moved A's briefing Schedule on the shared dev server.
  await stack?.paprika.feeds.deleteSchedules(A.userId).catch(() => undefined);
  await stack?.stop();
});

type Res = { status: number; body: any };
interface Row {
  method: string;
  path: string;
  body?: unknown;
  check(res: Res): void;
}
const notFound = (res: Res) => expect(res.status).toBe(404);
const ok = (res: Res) => expect(res.status).toBe(200);
const noneOfB = (res: Res) => {
  expect(res.status).toBe(200);
  expect(JSON.stringify(res.body)).not.toMatch(/B private|apr-b-1|task-b-1|note-b-1|b-item-1|audit-b-1|06:15|boss@b\.example|gmail_send/);
};

/** Each route, keyed as Hono lists it, with the request A makes at B's things. */
const table = (): Record<string, Row> => ({
  'GET /api/health': { method: 'GET', path: '/api/health', check: (r) => expect(JSON.stringify(r.body)).not.toContain('B private') }, // open: no user data
  'POST /api/login': { method: 'POST', path: '/api/login', body: { token: A.token }, check: ok }, // signs in as A (checked below)
  'GET /api/session': { method: 'GET', path: '/api/session', check: (r) => expect(r.body).toMatchObject({ userId: A.userId }) },
  'POST /api/chat': { method: 'POST', path: '/api/chat', body: { message: 'help' }, check: (r) => expect(r.body.reply).toMatchObject({ userId: A.userId }) },
  'GET /api/conversation': { method: 'GET', path: '/api/conversation', check: (r) => expect(r.body.messages.every((m: { userId: string }) => m.userId === A.userId)).toBe(true) },
  'GET /api/notifications': { method: 'GET', path: '/api/notifications', check: noneOfB },
  'POST /api/notifications/read-all': { method: 'POST', path: '/api/notifications/read-all', check: ok },
  'POST /api/notifications/:id/read': { method: 'POST', path: `/api/notifications/${b.note}/read`, check: notFound },
  'POST /api/notifications/:id/feedback': { method: 'POST', path: `/api/notifications/${b.note}/feedback`, body: { verdict: 'not_important' }, check: notFound },
  'GET /api/tasks': { method: 'GET', path: '/api/tasks', check: noneOfB },
  'POST /api/tasks/:id/cancel': { method: 'POST', path: `/api/tasks/${b.task}/cancel`, check: notFound },
  'GET /api/approvals': { method: 'GET', path: '/api/approvals', check: noneOfB },
  'GET /api/approvals/auto': { method: 'GET', path: '/api/approvals/auto', check: (r) => expect(r.body).toEqual({ tools: [] }) },
  'PUT /api/approvals/auto': { method: 'PUT', path: '/api/approvals/auto', body: { tools: [] }, check: (r) => expect(r.body).toEqual({ tools: [] }) },
  'GET /api/approvals/:id': { method: 'GET', path: `/api/approvals/${b.approval}`, check: notFound },
  'POST /api/approvals/:id': { method: 'POST', path: `/api/approvals/${b.approval}`, body: { decision: 'approve' }, check: notFound },
  'GET /api/audit': { method: 'GET', path: '/api/audit', check: noneOfB },
  'GET /api/audit/why': { method: 'GET', path: `/api/audit/why?ref=task:${b.task}`, check: notFound },
  'GET /api/audit/:id': { method: 'GET', path: `/api/audit/${b.audit}`, check: notFound },
  'GET /api/memory': { method: 'GET', path: '/api/memory', check: noneOfB },
  'POST /api/memory': { method: 'POST', path: '/api/memory', body: { text: 'A owns this fact' }, check: ok },
  'DELETE /api/memory/:id': { method: 'DELETE', path: `/api/memory/${b.fact}`, check: notFound },
  'GET /api/rules': { method: 'GET', path: '/api/rules', check: noneOfB },
  'PUT /api/rules/:id': { method: 'PUT', path: `/api/rules/${b.rule}`, body: { scope: 'sender', value: 'a@a.example', effect: 'never_notify' }, check: notFound },
  'DELETE /api/rules/:id': { method: 'DELETE', path: `/api/rules/${b.rule}`, check: notFound },
  'DELETE /api/context/:id': { method: 'DELETE', path: `/api/context/${encodeURIComponent(b.item)}`, check: notFound },
  'POST /api/context/forget-sender': { method: 'POST', path: '/api/context/forget-sender', body: { address: b.sender }, check: (r) => expect(r.body.removed).toMatchObject({ contextItems: 0 }) },
  'GET /api/agents': { method: 'GET', path: '/api/agents', check: (r) => expect(r.body).toEqual({ agents: [] }) },
  'GET /api/agents/:name': { method: 'GET', path: `/api/agents/${b.agent}`, check: notFound },
  'POST /api/agents/:name/stop': { method: 'POST', path: `/api/agents/${b.agent}/stop`, check: notFound },
  'GET /api/settings': { method: 'GET', path: '/api/settings', check: noneOfB },
  'PUT /api/settings': { method: 'PUT', path: '/api/settings', body: { briefingTime: '09:45' }, check: (r) => expect(r.body.settings).toMatchObject({ briefingTime: '09:45' }) },
  'GET /api/profile': { method: 'GET', path: '/api/profile', check: noneOfB },
  'PUT /api/profile': { method: 'PUT', path: '/api/profile', body: { role: 'A role' }, check: (r) => expect(JSON.stringify(r.body)).not.toContain('B Private Name') },
  // Server-wide: the Temporal UI's codec holds no user data of its own.
  'POST /api/codec/encode': { method: 'POST', path: '/api/codec/encode', body: { payloads: [] }, check: (r) => expect(r.body).toEqual({ payloads: [] }) },
  'POST /api/codec/decode': { method: 'POST', path: '/api/codec/decode', body: { payloads: [] }, check: (r) => expect(r.body).toEqual({ payloads: [] }) },
  // Signed feeds: a user's token or cookie does not stand in for the signature.
  'POST /api/feeds/composio': { method: 'POST', path: '/api/feeds/composio', body: { user_id: B.userId }, check: (r) => expect(r.status).toBeGreaterThanOrEqual(400) },
  'POST /api/feeds/webhook/:source': { method: 'POST', path: '/api/feeds/webhook/ci', body: { id: 'x', title: 'x', user: B.userId }, check: (r) => expect(r.status).toBe(401) },
  // The stream is read below (it never ends); this row only names it.
  'GET /api/stream': { method: 'GET', path: '/api/stream', check: () => undefined },
  // Last: it ends the session the cookie run uses.
  'POST /api/logout': { method: 'POST', path: '/api/logout', check: ok },
});

test('the table has a row for every /api route the app serves', () => {
  const served = [...new Set(stack.apiRoutes.map((r) => `${r.method} ${r.path}`))].sort();
  expect(served.length).toBeGreaterThan(30);
  expect(Object.keys(table()).sort()).toEqual(served);
});

async function signIn(token: string): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** A's stream from the start, read until A's own marker arrives: B's events must not come before it. */
async function streamOf(headers: Record<string, string>, marker: string): Promise<string> {
  const abort = new AbortController();
  const res = await fetch(`${stack.baseUrl}/api/stream?lastEventId=0`, { headers, signal: abort.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString('utf8');
  }
  abort.abort();
  return text;
}

describe.each(['token', 'session'] as const)('A aims at B with its %s', (via) => {
  test('every route answers 404 or only A’s own things, and B’s things are unchanged', async () => {
    const auth: Record<string, string> = via === 'token' ? { authorization: `Bearer ${A.token}` } : { cookie: await signIn(A.token), origin: stack.baseUrl };
    const rows = Object.entries(table());
    for (const [key, row] of rows) {
      if (key === 'GET /api/stream') continue;
      const res = await A.api(row.path, { method: row.method, auth: false, headers: auth, ...(row.body === undefined ? {} : { body: row.body }) });
      try {
        row.check(res);
      } catch (err) {
        throw new Error(`${key} as A (${via}) → ${res.status} ${JSON.stringify(res.body)}: ${(err as Error).message}`);
      }
    }
    if (via === 'token') {
      const marker = `A marker ${via}`;
      await stack.store.notifications.add(`note-a-${via}`, A.userId, { title: marker, body: '', priority: 'low' });
      expect(await streamOf(auth, marker)).not.toContain('B private');
    }

    // B sees all of it as it was.
    expect((await B.api(`/api/approvals/${b.approval}`)).body.approval).toMatchObject({ status: 'pending' });
    expect((await B.api('/api/tasks')).body.tasks).toEqual([expect.objectContaining({ id: b.task, status: 'running' })]);
    expect((await B.api('/api/notifications')).body).toMatchObject({ unread: 1, notifications: [expect.objectContaining({ id: b.note, read: false, item: expect.objectContaining({ kind: 'webhook' }) })] });
    expect((await B.api(`/api/audit/${b.audit}`)).body.entry).toMatchObject({ detail: 'B private audit' });
    expect((await B.api('/api/memory')).body.facts).toEqual([expect.objectContaining({ id: b.fact, text: 'B private fact' })]);
    expect((await B.api('/api/rules')).body.rules).toEqual([expect.objectContaining({ id: b.rule, value: 'boss@b.example', effect: 'always_notify' })]);
    expect((await B.api('/api/approvals/auto')).body).toEqual({ tools: ['gmail_send'] });
    expect((await B.api('/api/settings')).body.settings).toMatchObject({ briefingTime: '06:15' });
    expect((await B.api('/api/profile')).body.profile).toMatchObject({ name: 'B Private Name' });
    expect((await B.api('/api/conversation')).body.messages).toEqual([]);
    expect(await stack.store.context.get(B.userId, b.item)).toMatchObject({ title: 'B private item' });
    // What A did went to A.
    expect((await A.api('/api/memory')).body.facts).toEqual(expect.arrayContaining([expect.objectContaining({ text: 'A owns this fact' })]));
  });
});

test('a login code made for B signs in as B, never as A, and B’s session cannot be used to act as A', async () => {
  const res = await fetch(`${stack.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: await stack.store.sessions.createLoginCode(B.userId, 60_000) }) });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  expect((await stack.api('/api/session', { auth: false, headers: { cookie } })).body).toMatchObject({ userId: B.userId, via: 'session' });
  // A header decides alone: A's token with B's cookie is A.
  expect((await A.api('/api/session', { headers: { cookie } })).body).toMatchObject({ userId: A.userId, via: 'token' });
});

test('two users who receive the same signed webhook item are both told, each only of their own', async () => {
  const send = async (user: string) => {
    const raw = JSON.stringify({ id: 'deploy-42', title: 'Deploy failed on main', text: 'Step "migrate" exited with 1.', priority: 'urgent', user });
    const ts = Math.floor(Date.now() / 1000);
    return fetch(`${stack.baseUrl}/api/feeds/webhook/ci`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-paprika-timestamp': String(ts), 'x-paprika-signature': signPayload(SECRET, ts, raw) },
      body: raw,
    });
  };
  const [a, bb] = await Promise.all([send(A.userId), send(B.userId)]);
  expect([a.status, bb.status]).toEqual([202, 202]);
  expect((await send('nobody-here')).status).toBe(404);
  for (const u of [A, B]) {
    const notes = await eventually(async () => {
      const list = (await u.api('/api/notifications')).body.notifications as { ref?: string; title: string }[];
      return list.some((n) => n.ref === 'webhook:ci:deploy-42') ? list : undefined;
    }, 30_000, `${u.userId} to be told`);
    expect(notes.filter((n) => n.ref === 'webhook:ci:deploy-42')).toEqual([expect.objectContaining({ title: 'webhook:ci: Deploy failed on main' })]);
  }
  // A redelivery to one of them is a duplicate.
  expect((await send(B.userId)).status).toBe(200);
});
