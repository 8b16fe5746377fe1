// Login throttling, as plain policy: a few wrong secrets are free, then each further failure
// doubles the wait before the next attempt, up to a cap. A success forgets the client.
export interface ThrottleOptions {
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How many clients are remembered; the oldest are forgotten first. */
  maxClients?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  blockedUntil: number;
}

export class FailureThrottle {
  private readonly clients = new Map<string, Entry>();
  private readonly free: number;
  private readonly base: number;
  private readonly max: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(opts: ThrottleOptions = {}) {
    this.free = opts.freeFailures ?? 5;
    this.base = opts.baseDelayMs ?? 5000;
    this.max = opts.maxDelayMs ?? 15 * 60_000;
    this.maxClients = opts.maxClients ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** Milliseconds the client must wait before its next attempt; 0 when it may try now. */
  waitMs(client: string): number {
    const entry = this.clients.get(client);
    return entry ? Math.max(0, entry.blockedUntil - this.now()) : 0;
  }

  fail(client: string): void {
    const entry = this.clients.get(client) ?? { failures: 0, blockedUntil: 0 };
    entry.failures++;
    if (entry.failures >= this.free) {
      const delay = Math.min(this.max, this.base * 2 ** (entry.failures - this.free));
      entry.blockedUntil = this.now() + delay;
    }
    // Re-inserting keeps the map in order of last failure, so the oldest is evicted first.
    this.clients.delete(client);
    this.clients.set(client, entry);
    if (this.clients.size > this.maxClients) this.clients.delete(this.clients.keys().next().value!);
  }

  succeed(client: string): void {
    this.clients.delete(client);
  }
}
