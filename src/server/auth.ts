// Who may use /api/*, and as whom: a caller with a user's token (Authorization: Bearer, for
// scripts) or the page with a session cookie. The page gets its session from POST /api/login, by a
// token or by the one-time code of a login link; the cookie holds an opaque session ID, never the
// token, because EventSource cannot send an Authorization header. Every route acts as
// c.get('userId'), the user the credentials belong to.
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
    /** The user the request acts as; set by requireAuth on every /api route behind it. */
    userId: string;
  }
}

export interface AuthOptions {
  store: Store;
  /** Settles when the configured user and token are in the users table (createApp starts it). */
  ready: Promise<void>;
  /** Runs once per user and process before its first request is answered (per-user start-up). */
  onUser?: (userId: string) => Promise<void>;
  throttle: FailureThrottle;
  sessionTtlMs: number;
  /** Secure cookies when the page is served over https. */
  secure: boolean;
}

function throttled(c: Context, throttle: FailureThrottle): Response | undefined {
  const wait = throttle.waitMs(clientAddress(c));
  if (wait === 0) return undefined;
  c.header('Retry-After', String(Math.ceil(wait / 1000)));
  return c.json({ error: 'too many wrong tokens: wait before trying again' }, 429);
}

export function requireAuth(opts: AuthOptions): MiddlewareHandler {
  return async (c, next) => {
    // Before the open paths too: the signed feeds look their user up in the same table.
    await opts.ready;
    if (OPEN_PATHS.has(c.req.path) || isSignedFeed(c.req.method, c.req.path)) return next();
    const header = c.req.header('authorization');
    // A request with a header is judged by it alone: a stray cookie cannot rescue a wrong token.
    if (header !== undefined) {
      const blocked = throttled(c, opts.throttle);
      if (blocked) return blocked;
      const given = BEARER.exec(header)?.[1];
      // Looked up by its hash: no comparison of the secret itself, so no timing to measure.
      const userId = given ? await opts.store.users.userForToken(given) : undefined;
      if (!userId) {
        opts.throttle.fail(clientAddress(c));
        return c.json({ error: 'missing or wrong API token (Authorization: Bearer …)' }, 401);
      }
      c.set('auth', { via: 'token' });
      c.set('userId', userId);
      await opts.onUser?.(userId);
      return next();
    }
    const id = getCookie(c, SESSION_COOKIE);
    const session = id ? await opts.store.sessions.find(id) : undefined;
    if (!session) return c.json({ error: 'not signed in: log in with the API token or the login link' }, 401);
    c.set('auth', { via: 'session', expiresAt: session.expiresAt });
    c.set('userId', session.userId);
    await opts.onUser?.(session.userId);
    return next();
  };
}

const LoginBody = z.union([z.object({ token: z.string().min(1).max(512) }).strict(), z.object({ code: z.string().min(1).max(512) }).strict()]);

export function loginRoutes(app: Hono, opts: AuthOptions): void {
  app.post('/api/login', jsonBody(LoginBody), async (c) => {
    const blocked = throttled(c, opts.throttle);
    if (blocked) return blocked;
    await opts.ready;
    const body = c.req.valid('json');
    const candidate = 'token' in body ? await opts.store.users.userForToken(body.token) : await opts.store.sessions.consumeLoginCode(body.code);
    // A code minted for a user removed since then signs nobody in.
    const userId = candidate && (await opts.store.users.exists(candidate)) ? candidate : undefined;
    if (!userId) {
      opts.throttle.fail(clientAddress(c));
      return c.json({ error: 'token' in body ? 'wrong token' : 'this login link was used already or has expired' }, 401);
    }
    opts.throttle.succeed(clientAddress(c));
    const session = await opts.store.sessions.create(userId, opts.sessionTtlMs);
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

  app.post('/api/logout', async (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await opts.store.sessions.revoke(id);
    deleteCookie(c, SESSION_COOKIE, { path: '/api', secure: opts.secure, httpOnly: true, sameSite: 'Strict' });
    return c.json({ ok: true });
  });

  app.get('/api/session', (c) => {
    const auth = c.get('auth');
    return c.json({ ok: true, userId: c.get('userId'), via: auth.via, ...(auth.expiresAt ? { expiresAt: new Date(auth.expiresAt).toISOString() } : {}) });
  });
}
