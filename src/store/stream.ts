// An append-only log of what the user should see live. Its sequence number is the SSE event id,
// so a client reconnecting with Last-Event-ID gets everything after it, across processes.
import type { StreamEvent } from '../shared/types';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'stream',
  sqlite: `
    CREATE TABLE IF NOT EXISTS stream_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id TEXT NOT NULL,
      type TEXT NOT NULL,
      payload TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS stream_events_user ON stream_events(user_id, seq);
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS stream_events (
      seq BIGSERIAL PRIMARY KEY,
      user_id TEXT NOT NULL,
      type TEXT NOT NULL,
      payload TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS stream_events_user ON stream_events(user_id, seq);
  `,
});

export interface StreamEntry {
  seq: number;
  event: StreamEvent;
}

const INSERT = 'INSERT INTO stream_events (user_id, type, payload) VALUES (?, ?, ?)';

export class StreamLog {
  constructor(private readonly sql: Sql) {}

  async append(userId: string, event: StreamEvent): Promise<void> {
    const params = [userId, event.type, JSON.stringify(event.data)];
    // Readers poll `seq > last`, so a seq must never become visible after a higher one of the same
    // user. SQLite has one writer at a time; on Postgres two transactions can commit their seqs out
    // of order, so one user's appends queue on a lock held until commit (nested: the outer one's).
    if (this.sql.engine === 'sqlite') {
      await this.sql.run(INSERT, params);
      return;
    }
    await this.sql.transaction(async () => {
      await this.sql.get("SELECT pg_advisory_xact_lock(hashtext('paprika.stream:' || ?::text))", [userId]);
      await this.sql.run(INSERT, params);
    });
  }

  async after(userId: string, seq: number, limit = 500): Promise<StreamEntry[]> {
    const rows = await this.sql.all<{ seq: number; type: StreamEvent['type']; payload: string }>(
      'SELECT seq, type, payload FROM stream_events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      [userId, seq, limit],
    );
    return rows.map((r) => ({ seq: r.seq, event: { type: r.type, data: JSON.parse(r.payload) } as StreamEvent }));
  }

  async lastSeq(userId: string): Promise<number> {
    const row = await this.sql.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM stream_events WHERE user_id = ?', [userId]);
    return row?.seq ?? 0;
  }
}
