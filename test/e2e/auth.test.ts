// With PAPRIKA_API_TOKEN set, /api/* needs the token (header or the login cookie); health stays open.
import { type Stack, startStack } from '../helpers/stack';

const TOKEN = 'test-token-0123456789abcdef';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ offline: true, env: { PAPRIKA_API_TOKEN: TOKEN } });
});
afterAll(() => stack.stop());

test('requests without the token are refused and change nothing', async () => {
  const res = await stack.api('/api/chat', { body: { message: 'help' } });
  expect(res.status).toBe(401);
  expect(res.body.error).toMatch(/API token/);
  expect(stack.store.transcript.list(stack.userId)).toEqual([]);
  expect((await stack.api('/api/conversation', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
});

test('the bearer token works, and so does the cookie the login sets', async () => {
  const res = await stack.api('/api/chat', { body: { message: 'help' }, headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect((await stack.api('/api/login', { body: { token: 'nope' } })).status).toBe(401);
  const login = await fetch(`${stack.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
  const cookie = login.headers.get('set-cookie')!;
  expect(cookie).toMatch(/paprika_token=.*HttpOnly/i);
  const conv = await stack.api('/api/conversation', { headers: { cookie: cookie.split(';')[0]! } });
  expect(conv.status).toBe(200);
  expect(conv.body.messages).toHaveLength(2);
});

test('health needs no token', async () => {
  expect((await stack.api('/api/health')).status).toBe(200);
});
