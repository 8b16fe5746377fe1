// Live updates from GET /api/stream. While the connection merely drops, EventSource reconnects by
// itself and resends Last-Event-ID, so the server replays what was missed. When it gives up
// (HTTP error, 401, server down at reconnect time) we reconnect ourselves with backoff and pass the
// last id as ?lastEventId=. Replays can overlap what we already saw, so events are deduped by id.
import type { StreamEvent } from '../../src/shared/types';

export type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';
export const STREAM_EVENT_TYPES = ['message', 'notification', 'task'] as const;

export interface LiveStreamOptions {
  url?: string;
  onEvent: (event: StreamEvent, id: string) => void;
  onStatus?: (status: StreamStatus) => void;
  /** Called on every (re)open after the first: lists may be refetched to heal larger gaps. */
  onReconnected?: () => void;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Tests and the preview may pass their own. */
  EventSourceImpl?: typeof EventSource;
}

const SEEN_LIMIT = 2000;

export class LiveStream {
  private es: EventSource | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private lastId: string | undefined;
  private readonly seen = new Set<string>();
  private openedOnce = false;
  private stopped = true;
  private status: StreamStatus = 'stopped';

  constructor(private readonly opts: LiveStreamOptions) {}

  get currentStatus(): StreamStatus {
    return this.status;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.es?.close();
    this.es = undefined;
    this.setStatus('stopped');
  }

  /** Drop the current connection (if any) and connect now, e.g. after logging in. */
  reconnectNow(): void {
    if (this.stopped) return this.start();
    this.clearTimer();
    this.es?.close();
    this.es = undefined;
    this.attempts = 0;
    this.connect();
  }

  private connect(): void {
    const Impl = this.opts.EventSourceImpl ?? EventSource;
    const base = this.opts.url ?? '/api/stream';
    const url = this.lastId ? `${base}${base.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(this.lastId)}` : base;
    this.setStatus(this.openedOnce ? 'reconnecting' : 'connecting');
    const es = new Impl(url, { withCredentials: true });
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
      if (es.readyState === Impl.CLOSED) {
        es.close();
        this.es = undefined;
        this.scheduleReconnect();
      } else {
        // The browser is retrying on its own (it will send Last-Event-ID).
        this.setStatus('reconnecting');
      }
    };
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
    if (this.stopped) return;
    this.setStatus('reconnecting');
    const min = this.opts.minDelayMs ?? 1000;
    const max = this.opts.maxDelayMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts++;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) this.connect();
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
