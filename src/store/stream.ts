// An append-only log of what the user should see live. Its sequence number is the SSE event id,
// so a client reconnecting with Last-Event-ID gets everything after it, across processes.
import type { StreamEvent } from '../shared/types';
import { type Db, registerSchema } from './db';

registerSchema(`
  CREATE TABLE IF NOT EXISTS stream_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS stream_events_user ON stream_events(user_id, seq);
`);

export interface StreamEntry {
  seq: number;
  event: StreamEvent;
}

export class StreamLog {
  constructor(private readonly db: Db) {}

  append(userId: string, event: StreamEvent): void {
    this.db
      .prepare('INSERT INTO stream_events (user_id, type, payload) VALUES (?, ?, ?)')
      .run(userId, event.type, JSON.stringify(event.data));
  }

  after(userId: string, seq: number, limit = 500): StreamEntry[] {
    const rows = this.db
      .prepare('SELECT seq, type, payload FROM stream_events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(userId, seq, limit) as { seq: number; type: StreamEvent['type']; payload: string }[];
    return rows.map((r) => ({ seq: r.seq, event: { type: r.type, data: JSON.parse(r.payload) } as StreamEvent }));
  }

  lastSeq(userId: string): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM stream_events WHERE user_id = ?').get(userId) as { seq: number | null };
    return row.seq ?? 0;
  }
}
