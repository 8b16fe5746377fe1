// /api/* always needs the token (Authorization: Bearer, any case of "bearer") or a session cookie
// from POST /api/login; health, login and the signed feed endpoints stay open.
import { type Stack, startStack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ offline: true });
});
afterAll(() => stack.stop());

const login = (body: unknown) =>
  fetch(`${stack.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('requests without the token are refused and change nothing', async () => {
  const res = await stack.api('/api/chat', { body: { message: 'help' }, auth: false });
  expect(res.status).toBe(401);
  expect(await stack.store.transcript.list(stack.userId)).toEqual([]);
  expect((await stack.api('/api/conversation', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  expect((await stack.api('/api/settings', { auth: false })).status).toBe(401);
});

test('the bearer token works whatever the case of the scheme', async () => {
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    const res = await stack.api('/api/conversation', { headers: { authorization: `${scheme} ${stack.token}` } });
    expect(res.status).toBe(200);
  }
  expect((await stack.api('/api/conversation', { headers: { authorization: `Basic ${stack.token}` } })).status).toBe(401);
});

test('a login with the token gives a session cookie that works until logout', async () => {
  expect((await login({ token: 'nope' })).status).toBe(401);
  const res = await login({ token: stack.token });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const origin = { cookie, origin: stack.baseUrl };
  expect((await stack.api('/api/chat', { body: { message: 'help' }, auth: false, headers: origin })).status).toBe(200);
  const conv = await stack.api('/api/conversation', { auth: false, headers: { cookie } });
  expect(conv.status).toBe(200);
  expect(conv.body.messages).toHaveLength(2);
  expect((await stack.api('/api/session', { auth: false, headers: { cookie } })).body).toMatchObject({ ok: true, userId: stack.userId, via: 'session' });

  expect((await stack.api('/api/logout', { method: 'POST', auth: false, headers: origin })).status).toBe(200);
  expect((await stack.api('/api/conversation', { auth: false, headers: { cookie } })).status).toBe(401);
});

test('health and the signed feed endpoints need no token', async () => {
  expect((await stack.api('/api/health', { auth: false })).status).toBe(200);
  // Open to the signature check (no secret configured here), not refused for the missing token.
  const feed = await stack.api('/api/feeds/webhook/ci', { body: { id: '1' }, auth: false });
  expect(feed.status).not.toBe(401);
  expect(feed.status).not.toBe(403);
});
