// Live updates from GET /api/stream. While the connection merely drops, EventSource reconnects by
// itself and resends Last-Event-ID, so the server replays what was missed. When it gives up
// (HTTP error, 401, server down at reconnect time) we reconnect ourselves with backoff and pass the
// last id as ?lastEventId=. Replays can overlap what we already saw, so events are deduped by id.
import type { StreamEvent } from '../../src/shared/types';

export type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';
const STREAM_EVENT_TYPES = ['message', 'notification', 'task'] as const;

interface LiveStreamOptions {
  onEvent: (event: StreamEvent, id: string) => void;
  onStatus?: (status: StreamStatus) => void;
  /** Called on every (re)open after the first: lists may be refetched to heal larger gaps. */
  onReconnected?: () => void;
  /** The server has fewer events than we saw (its log was reset): everything must be refetched. */
  onReset?: () => void;
}

const URL_BASE = '/api/stream';
const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
const SEEN_LIMIT = 2000;

export class LiveStream {
  private es: EventSource | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private lastId: string | undefined;
  private readonly seen = new Set<string>();
  private openedOnce = false;
  private started = false;
  private status: StreamStatus = 'stopped';

  constructor(private readonly opts: LiveStreamOptions) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.connect();
  }

  /** Drop the current connection (if any) and connect now, e.g. after logging in. */
  reconnectNow(): void {
    if (!this.started) return this.start();
    this.clearTimer();
    this.es?.close();
    this.es = undefined;
    this.attempts = 0;
    this.connect();
  }

  private connect(): void {
    const url = this.lastId ? `${URL_BASE}?lastEventId=${encodeURIComponent(this.lastId)}` : URL_BASE;
    this.setStatus(this.openedOnce ? 'reconnecting' : 'connecting');
    const es = new EventSource(url, { withCredentials: true });
    this.es = es;
    es.onopen = () => {
      if (this.es !== es) return;
      this.attempts = 0;
      this.setStatus('open');
      if (this.openedOnce) this.opts.onReconnected?.();
      this.openedOnce = true;
    };
    es.onerror = () => {
      if (this.es !== es) return;
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        this.es = undefined;
        this.scheduleReconnect();
      } else {
        // The browser is retrying on its own (it will send Last-Event-ID).
        this.setStatus('reconnecting');
      }
    };
    es.addEventListener('reset', (ev) => {
      if (this.es !== es) return;
      // Ids restart after a reset: ids we saw before would hide new events that reuse them.
      this.seen.clear();
      this.lastId = (ev as MessageEvent<string>).lastEventId || undefined;
      this.opts.onReset?.();
    });
    for (const type of STREAM_EVENT_TYPES) {
      es.addEventListener(type, (ev) => {
        if (this.es === es) this.handle(type, ev as MessageEvent<string>);
      });
    }
  }

  private handle(type: StreamEvent['type'], ev: MessageEvent<string>): void {
    const id = ev.lastEventId;
    if (id) {
      if (this.seen.has(id)) return;
      this.remember(id);
      this.lastId = id;
    }
    let data: unknown;
    try {
      data = JSON.parse(ev.data);
    } catch {
      return; // a malformed event must not break the page
    }
    if (!data || typeof data !== 'object') return;
    this.opts.onEvent({ type, data } as StreamEvent, id);
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > SEEN_LIMIT) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  private scheduleReconnect(): void {
    this.setStatus('reconnecting');
    const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts++;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private setStatus(status: StreamStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.opts.onStatus?.(status);
  }
}
