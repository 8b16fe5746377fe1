// What an attacker on the same machine, or a web page the user visits, can do over HTTP: a
// DNS-rebinding page (foreign Host), a cross-site form or fetch (foreign Origin, text/plain,
// a body-less POST riding the cookie), guessing the token, reading the cookie.
import http from 'node:http';
import { type Stack, startStack } from '../helpers/stack';

let stack: Stack;
let cookie: string;
let setCookie: string;
beforeAll(async () => {
  stack = await startStack({ offline: true });
  const res = await stack.api('/api/login', { body: { token: stack.token }, auth: false });
  setCookie = res.headers.get('set-cookie')!;
  cookie = setCookie.split(';')[0]!;
});
afterAll(() => stack.stop());

/** A raw request, because fetch will not send a Host header of our choosing. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  const url = new URL(stack.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const bearer = () => ({ authorization: `Bearer ${stack.token}` });
const port = () => new URL(stack.baseUrl).port;
const unread = async () => (await stack.store.notifications.list(stack.userId)).filter((n) => !n.read).length;

test('a foreign Host is refused, even with the token: a DNS-rebinding page reads nothing', async () => {
  for (const host of [`evil.example:${port()}`, 'evil.example', `127.0.0.1.evil.example:${port()}`]) {
    expect((await raw('GET', '/api/settings', { host, ...bearer() })).status).toBe(421);
    expect((await raw('GET', '/api/settings', { host, cookie })).status).toBe(421);
    expect((await raw('GET', '/', { host })).status).toBe(421);
  }
  const put = await raw('PUT', '/api/approvals/auto', { host: `evil.example:${port()}`, cookie, 'content-type': 'application/json' }, '{"tool":"gmail_send","auto":true}');
  expect(put.status).toBe(421);
  for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`]) {
    expect((await raw('GET', '/api/settings', { host, ...bearer() })).status).toBe(200);
  }
});

test('a cross-site POST is refused, whatever its content type, and changes nothing', async () => {
  await stack.store.notifications.add('n-1', stack.userId, { title: 'unread', body: '', priority: 'high' });
  const evil = { host: `127.0.0.1:${port()}`, origin: 'http://evil.example', cookie };
  expect((await raw('POST', '/api/notifications/read-all', { ...evil, 'content-type': 'text/plain' }, 'x')).status).toBe(403);
  expect((await raw('POST', '/api/notifications/read-all', evil)).status).toBe(403);
  expect((await raw('POST', '/api/notifications/read-all', { ...evil, 'content-type': 'application/x-www-form-urlencoded' }, 'a=b')).status).toBe(403);
  // The token does not make a foreign page's request acceptable either.
  expect((await raw('POST', '/api/notifications/read-all', { ...evil, ...bearer() })).status).toBe(403);
  expect((await raw('POST', '/api/notifications/read-all', { ...evil, origin: 'null' })).status).toBe(403);
  expect(await unread()).toBe(1);
});

test('a body-less POST riding the cookie needs proof of the own page: Origin or Sec-Fetch-Site', async () => {
  await stack.store.notifications.add('n-2', stack.userId, { title: 'unread too', body: '', priority: 'high' });
  const before = await unread();
  expect((await raw('POST', '/api/notifications/read-all', { cookie })).status).toBe(403);
  expect((await raw('POST', '/api/notifications/read-all', { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  expect((await raw('POST', '/api/notifications/read-all', { cookie, 'sec-fetch-site': 'same-site' })).status).toBe(403);
  expect(await unread()).toBe(before);
  expect((await raw('POST', '/api/notifications/read-all', { cookie, origin: stack.baseUrl, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  expect(await unread()).toBe(0);
  // A script with the token sends no Origin, and needs none.
  expect((await raw('POST', '/api/notifications/read-all', bearer())).status).toBe(200);
});

test('a JSON route refuses any other content type with 415', async () => {
  const own = { ...bearer(), origin: stack.baseUrl };
  const res = await raw('PUT', '/api/settings', { ...own, 'content-type': 'text/plain' }, '{"vips":["x@y.example"]}');
  expect(res.status).toBe(415);
  expect((await raw('POST', '/api/chat', { ...own, 'content-type': 'application/x-www-form-urlencoded' }, 'message=hi')).status).toBe(415);
  expect((await stack.store.settings.get(stack.userId)).vips).toEqual([]);
  expect((await raw('PUT', '/api/settings', { ...own, 'content-type': 'application/json; charset=utf-8' }, '{"vips":["x@y.example"]}')).status).toBe(200);
});

test('the session cookie is an opaque, expiring, HttpOnly, SameSite=Strict ID, not the token', async () => {
  const value = cookie.split('=')[1]!;
  expect(cookie.startsWith('paprika_session=')).toBe(true);
  expect(value).not.toContain(stack.token);
  expect(value.length).toBeGreaterThanOrEqual(40);
  expect(setCookie).toMatch(/;\s*HttpOnly/i);
  expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
  expect(setCookie).toMatch(/;\s*Path=\/api/i);
  expect(Number(/Max-Age=(\d+)/i.exec(setCookie)?.[1])).toBe(stack.config.sessionHours * 3600);
  expect(setCookie).toMatch(/;\s*Expires=/i);
  expect(JSON.stringify(await stack.store.sql.all('SELECT * FROM sessions'))).not.toContain(value);
});

test('the signed feed endpoints stay open to other systems (no token, no Origin)', async () => {
  const res = await raw('POST', '/api/feeds/webhook/ci', { 'content-type': 'application/json' }, '{}');
  // No secret is configured for "ci" here: the route itself answers, not the token or origin checks.
  expect([401, 403, 415, 421]).not.toContain(res.status);
  expect(res.text).not.toMatch(/API token|signed in|forbidden/);
});

// Last: it leaves this client locked out for a while.
test('guessing the token is throttled: after five wrong tries even the right one waits', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await stack.api('/api/login', { body: { token: `guess-${i}` }, auth: false })).status);
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  const right = await stack.api('/api/login', { body: { token: stack.token }, auth: false });
  expect(right.status).toBe(429);
  expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  // The bearer header is the same secret and meets the same wall.
  expect((await stack.api('/api/settings', { headers: { authorization: 'Bearer guess' } })).status).toBe(429);
  // A session already signed in is not locked out by someone else's guessing.
  expect((await stack.api('/api/settings', { auth: false, headers: { cookie } })).status).toBe(200);
});
