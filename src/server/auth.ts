// Who may use /api/*: a caller with the API token (Authorization: Bearer, for scripts) or the page
// with a session cookie. The page gets its session from POST /api/login, by the token or by the
// one-time code of the login link; the cookie holds an opaque session ID, never the token, because
// EventSource cannot send an Authorization header.
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Store } from '../store';
import { clientAddress } from './security/client-address';
import type { FailureThrottle } from './security/throttle';
import { jsonBody } from './validate';

export const SESSION_COOKIE = 'paprika_session';
const OPEN_PATHS = new Set(['/api/health', '/api/login']);
const BEARER = /^bearer\s+(\S+)\s*$/i;

// Feed webhooks come from Composio and other systems that cannot hold the token: they are
// authenticated by the signature over their body instead (src/server/routes/feeds.ts).
// Only POSTs to the signed feed endpoints are open: a route added later under /api/feeds/ stays
// behind the token unless it is listed here.
export const isSignedFeed = (method: string, path: string) =>
  method === 'POST' && (path === '/api/feeds/composio' || /^\/api\/feeds\/webhook\/[^/]+$/.test(path));

export interface AuthInfo {
  via: 'token' | 'session';
  expiresAt?: number;
}

declare module 'hono' {
  interface ContextVariableMap {
    auth: AuthInfo;
  }
}

export interface AuthOptions {
  token: string;
  userId: string;
  store: Store;
  throttle: FailureThrottle;
  sessionTtlMs: number;
  /** Secure cookies when the page is served over https. */
  secure: boolean;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function throttled(c: Context, throttle: FailureThrottle): Response | undefined {
  const wait = throttle.waitMs(clientAddress(c));
  if (wait === 0) return undefined;
  c.header('Retry-After', String(Math.ceil(wait / 1000)));
  return c.json({ error: 'too many wrong tokens: wait before trying again' }, 429);
}

export function requireAuth(opts: AuthOptions): MiddlewareHandler {
  return async (c, next) => {
    if (OPEN_PATHS.has(c.req.path) || isSignedFeed(c.req.method, c.req.path)) return next();
    const header = c.req.header('authorization');
    // A request with a header is judged by it alone: a stray cookie cannot rescue a wrong token.
    if (header !== undefined) {
      const blocked = throttled(c, opts.throttle);
      if (blocked) return blocked;
      const given = BEARER.exec(header)?.[1];
      if (!given || !same(given, opts.token)) {
        opts.throttle.fail(clientAddress(c));
        return c.json({ error: 'missing or wrong API token (Authorization: Bearer …)' }, 401);
      }
      c.set('auth', { via: 'token' });
      return next();
    }
    const id = getCookie(c, SESSION_COOKIE);
    const session = id ? opts.store.sessions.find(id) : undefined;
    if (!session || session.userId !== opts.userId) return c.json({ error: 'not signed in: log in with the API token or the login link' }, 401);
    c.set('auth', { via: 'session', expiresAt: session.expiresAt });
    return next();
  };
}

const LoginBody = z.union([z.object({ token: z.string().min(1).max(512) }).strict(), z.object({ code: z.string().min(1).max(512) }).strict()]);

export function loginRoutes(app: Hono, opts: AuthOptions): void {
  app.post('/api/login', jsonBody(LoginBody), (c) => {
    const blocked = throttled(c, opts.throttle);
    if (blocked) return blocked;
    const body = c.req.valid('json');
    const ok = 'token' in body ? same(body.token, opts.token) : opts.store.sessions.consumeLoginCode(body.code) === opts.userId;
    if (!ok) {
      opts.throttle.fail(clientAddress(c));
      return c.json({ error: 'token' in body ? 'wrong token' : 'this login link was used already or has expired' }, 401);
    }
    opts.throttle.succeed(clientAddress(c));
    const session = opts.store.sessions.create(opts.userId, opts.sessionTtlMs);
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: opts.secure,
      path: '/api',
      maxAge: Math.floor(opts.sessionTtlMs / 1000),
      expires: new Date(session.expiresAt),
    });
    return c.json({ ok: true, expiresAt: new Date(session.expiresAt).toISOString() });
  });

  app.post('/api/logout', (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) opts.store.sessions.revoke(id);
    deleteCookie(c, SESSION_COOKIE, { path: '/api', secure: opts.secure, httpOnly: true, sameSite: 'Strict' });
    return c.json({ ok: true });
  });

  app.get('/api/session', (c) => {
    const auth = c.get('auth');
    return c.json({ ok: true, userId: opts.userId, via: auth.via, ...(auth.expiresAt ? { expiresAt: new Date(auth.expiresAt).toISOString() } : {}) });
  });
}
