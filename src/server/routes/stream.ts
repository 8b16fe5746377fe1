// Server-sent events of new messages, notifications and task changes. The store's stream log
// sequence is the event id, so a reconnect with Last-Event-ID replays everything missed, even
// when the worker writing the store runs in another process.
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ServerDeps } from '../deps';

const POLL_MS = 250;
const PING_MS = 15_000;

export function streamRoutes(app: Hono, { config, store }: ServerDeps): void {
  app.get('/api/stream', async (c) => {
    const raw = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const newest = await store.stream.lastSeq(config.userId);
    const asked = raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    // An id beyond the newest means the log was reset under the client (a new data directory):
    // counting on from it would skip everything until the log caught up, so start from the
    // newest and tell the page its lists are stale.
    const reset = asked !== undefined && asked > newest;
    let last = asked === undefined || reset ? newest : asked;
    return streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      let lastWrite = Date.now();
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ lastEventId: last }), retry: 2000 });
      // The id moves the browser's own Last-Event-ID back, so its automatic reconnect is right too.
      if (reset) await stream.writeSSE({ id: String(last), event: 'reset', data: JSON.stringify({ lastEventId: last, reload: true }) });
      while (open) {
        for (const entry of await store.stream.after(config.userId, last)) {
          await stream.writeSSE({ id: String(entry.seq), event: entry.event.type, data: JSON.stringify(entry.event.data) });
          last = entry.seq;
          lastWrite = Date.now();
        }
        if (Date.now() - lastWrite > PING_MS) {
          await stream.write(': ping\n\n');
          lastWrite = Date.now();
        }
        await stream.sleep(POLL_MS);
      }
    });
  });
}
