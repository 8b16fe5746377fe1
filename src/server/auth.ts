// Bearer-token auth for /api/*. The page logs in once and gets an HttpOnly cookie, because
// EventSource cannot send an Authorization header.
import { timingSafeEqual } from 'node:crypto';
import type { Hono, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { jsonBody } from './validate';

export const TOKEN_COOKIE = 'paprika_token';
const OPEN_PATHS = new Set(['/api/health', '/api/login']);
// Feed webhooks come from Composio and other systems that cannot hold the token: they are
// authenticated by the signature over their body instead (src/server/routes/feeds.ts).
// Only POSTs to the signed feed endpoints are open: a route added later under /api/feeds/ stays
// behind the token unless it is listed here.
const isSignedFeed = (method: string, path: string) => method === 'POST' && (path === '/api/feeds/composio' || /^\/api\/feeds\/webhook\/[^/]+$/.test(path));

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function requireToken(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!token || OPEN_PATHS.has(c.req.path) || isSignedFeed(c.req.method, c.req.path)) return next();
    const header = c.req.header('authorization');
    const given = header?.startsWith('Bearer ') ? header.slice(7) : getCookie(c, TOKEN_COOKIE);
    if (!given || !same(given, token)) return c.json({ error: 'missing or wrong API token (Authorization: Bearer …)' }, 401);
    return next();
  };
}

export function loginRoutes(app: Hono, token: string | undefined): void {
  app.post('/api/login', jsonBody(z.object({ token: z.string().min(1) })), (c) => {
    if (!token) return c.json({ ok: true, authRequired: false });
    if (!same(c.req.valid('json').token, token)) return c.json({ error: 'wrong token' }, 401);
    setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/api' });
    return c.json({ ok: true, authRequired: true });
  });
}
