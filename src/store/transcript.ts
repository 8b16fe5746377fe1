// The conversation as the user sees it. Writes are idempotent: the ID is derived from the
// workflow's event, so an activity retry never adds a second copy.
import type { MessageRole, TranscriptMessage } from '../shared/types';
import { type Db, nowIso, registerSchema } from './db';
import type { StreamLog } from './stream';

registerSchema(`
  CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS messages_user ON messages(user_id, created_at);
`);

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
    private readonly db: Db,
    private readonly stream: StreamLog,
  ) {}

  /** Adds a message unless one with this ID exists; returns the stored message either way. */
  add(msg: { id: string; userId: string; role: MessageRole; text: string; createdAt?: string }): TranscriptMessage {
    return this.db.transaction(() => {
      const existing = this.get(msg.id);
      if (existing) return existing;
      const stored: TranscriptMessage = { ...msg, createdAt: msg.createdAt ?? nowIso() };
      this.db
        .prepare('INSERT INTO messages (id, user_id, role, text, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(stored.id, stored.userId, stored.role, stored.text, stored.createdAt);
      this.stream.append(stored.userId, { type: 'message', data: stored });
      return stored;
    })();
  }

  get(id: string): TranscriptMessage | undefined {
    const row = this.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as Row | undefined;
    return row && toMessage(row);
  }

  /** Oldest first; `before` pages backwards. */
  list(userId: string, opts: { limit?: number; before?: string } = {}): TranscriptMessage[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM (SELECT rowid AS r, * FROM messages WHERE user_id = ? AND created_at < ? ORDER BY created_at DESC, r DESC LIMIT ?)
         ORDER BY created_at ASC, r ASC`,
      )
      .all(userId, opts.before ?? '9999', opts.limit ?? 100) as Row[];
    return rows.map(toMessage);
  }
}
