// Cross-site request forgery: a page elsewhere can make the browser send a POST with the
// session cookie attached. Unsafe requests must come from the app's own origin. A request that
// carries an Authorization header is exempt from the proof (a cross-site page cannot set that
// header without a CORS preflight, which this API never grants), but a foreign Origin is refused
// whatever it carries.
import type { Context, MiddlewareHandler } from 'hono';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME = new Set(['same-origin', 'none']);

export interface OriginPolicy {
  publicUrl: string;
  /** Paths reached by other systems (signed webhooks) rather than by the page. */
  isExempt(method: string, path: string): boolean;
  /** Other origins trusted for a path (the Temporal UI, for the codec endpoint it calls). */
  trustedOrigins?(path: string): readonly string[];
}

function ownOrigins(c: Context, policy: OriginPolicy): Set<string> {
  // The Host was checked before (host.ts), so the request's own origin is one of ours.
  return new Set([new URL(c.req.url).origin, new URL(policy.publicUrl).origin, ...(policy.trustedOrigins?.(c.req.path) ?? [])]);
}

export function requireSameOrigin(policy: OriginPolicy): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method) || policy.isExempt(c.req.method, c.req.path)) return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const originOk = origin !== undefined && ownOrigins(c, policy).has(origin);
    if (origin !== undefined && !originOk) return refuse(c, `cross-site request from ${origin.slice(0, 100)}`);
    if (site !== undefined && !SAME.has(site) && !(originOk && site === 'same-site')) return refuse(c, `cross-site request (Sec-Fetch-Site: ${site.slice(0, 30)})`);
    const bearer = c.req.header('authorization') !== undefined;
    // Without a bearer header the cookie would authenticate it: that needs proof of our own page.
    if (!bearer && !originOk && site === undefined && c.req.path !== '/api/login') {
      return refuse(c, 'a request authenticated by cookie must carry Origin or Sec-Fetch-Site');
    }
    return next();
  };
}

const refuse = (c: Context, why: string) => c.json({ error: `forbidden: ${why}` }, 403);
