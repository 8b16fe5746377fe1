// The conversation as the user sees it. Writes are idempotent: the ID is derived from the
// workflow's event, so an activity retry never adds a second copy.
import type { MessageRole, TranscriptMessage } from '../shared/types';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';
import type { StreamLog } from './stream';

registerSchema({
  name: 'transcript',
  sqlite: `
    CREATE TABLE IF NOT EXISTS messages (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      role TEXT NOT NULL,
      text TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS messages_user ON messages(user_id, created_at);
  `,
  // rowid spells out SQLite's implicit insertion order, so one ORDER BY breaks ties on both engines.
  postgres: `
    CREATE TABLE IF NOT EXISTS messages (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      role TEXT NOT NULL,
      text TEXT NOT NULL,
      created_at TEXT NOT NULL,
      rowid BIGSERIAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS messages_user ON messages(user_id, created_at);
  `,
});

interface Row {
  id: string;
  user_id: string;
  role: MessageRole;
  text: string;
  created_at: string;
}
const toMessage = (r: Row): TranscriptMessage => ({ id: r.id, userId: r.user_id, role: r.role, text: r.text, createdAt: r.created_at });

export class Transcript {
  constructor(
    private readonly sql: Sql,
    private readonly stream: StreamLog,
  ) {}

  /** Adds a message unless one with this ID exists; returns the stored message either way. */
  async add(msg: { id: string; userId: string; role: MessageRole; text: string; createdAt?: string }): Promise<TranscriptMessage> {
    return this.sql.transaction(async () => {
      const stored: TranscriptMessage = { ...msg, createdAt: msg.createdAt ?? nowIso() };
      // ON CONFLICT rather than read-then-insert: two concurrent retries must not both insert.
      const { changes } = await this.sql.run(
        'INSERT INTO messages (id, user_id, role, text, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
        [stored.id, stored.userId, stored.role, stored.text, stored.createdAt],
      );
      if (!changes) return (await this.get(msg.id))!;
      await this.stream.append(stored.userId, { type: 'message', data: stored });
      return stored;
    });
  }

  async get(id: string): Promise<TranscriptMessage | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM messages WHERE id = ?', [id]);
    return row && toMessage(row);
  }

  /** Oldest first; `before` pages backwards. */
  async list(userId: string, opts: { limit?: number; before?: string } = {}): Promise<TranscriptMessage[]> {
    const rows = await this.sql.all<Row>(
      `SELECT * FROM (SELECT rowid AS r, * FROM messages WHERE user_id = ? AND created_at < ? ORDER BY created_at DESC, r DESC LIMIT ?) page
       ORDER BY created_at ASC, r ASC`,
      [userId, opts.before ?? '9999', opts.limit ?? 100],
    );
    return rows.map(toMessage);
  }
}
