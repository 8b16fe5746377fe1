// Routes with a body read JSON. Demanding the JSON type keeps the body out of reach of an HTML
// form or a "simple" cross-site fetch (text/plain needs no preflight; application/json does).
import type { MiddlewareHandler } from 'hono';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

export function requireJsonBody(isExempt: (method: string, path: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method) || isExempt(c.req.method, c.req.path)) return next();
    const length = c.req.header('content-length');
    const hasBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
    if (hasBody && !JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      return c.json({ error: 'the request body must be JSON (Content-Type: application/json)' }, 415);
    }
    return next();
  };
}
