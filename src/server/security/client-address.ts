// The peer address, the key login throttling counts failures by. Behind a reverse proxy every
// client shares the proxy's address, which throttles them together: the safe direction.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}
