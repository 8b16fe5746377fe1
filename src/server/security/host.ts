// DNS rebinding: a web page can make its own host name resolve to 127.0.0.1, and the browser then
// treats this API as that page's origin. Only names that really are this server are answered.
import type { MiddlewareHandler } from 'hono';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

export function allowedHosts(opts: { publicUrl: string; host: string }): Set<string> {
  const hosts = new Set(LOOPBACK);
  hosts.add(new URL(opts.publicUrl).hostname.toLowerCase());
  if (!WILDCARD.has(opts.host)) hosts.add(opts.host.toLowerCase());
  return hosts;
}

/** The host name of a Host header without its port; undefined when it is not a valid host. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    const url = new URL(`http://${header}`);
    // Anything beyond host[:port] (user info, a path) is not a Host header.
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return url.hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function requireKnownHost(hosts: Set<string>): MiddlewareHandler {
  return async (c, next) => {
    const name = hostName(c.req.header('host'));
    if (!name || !hosts.has(name)) {
      return c.json({ error: 'unknown Host: open Paprika by its own address (set PAPRIKA_PUBLIC_URL to serve it under another name)' }, 421);
    }
    return next();
  };
}
