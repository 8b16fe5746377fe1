// How far the Gmail catch-up got per user: the time of the newest message it handed on. It only
// moves forward, and only after the messages up to it were submitted, so a crash mid-way repeats
// a fetch (harmless: feed workflow IDs dedupe) rather than skipping mail.
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'gmail-cursor',
  sqlite: `
  CREATE TABLE IF NOT EXISTS gmail_cursor (
    user_id TEXT PRIMARY KEY,
    last_seen_ms INTEGER NOT NULL
  );
`,
  postgres: `
  CREATE TABLE IF NOT EXISTS gmail_cursor (
    user_id TEXT PRIMARY KEY,
    last_seen_ms BIGINT NOT NULL
  );
`,
});

/** The larger of two values: SQLite's scalar MAX is an aggregate on Postgres. */
const greatest = (sql: Sql) => (sql.engine === 'postgres' ? 'GREATEST' : 'MAX');

export class GmailCursorStore {
  constructor(private readonly sql: Sql) {}

  async get(userId: string): Promise<number | undefined> {
    const r = await this.sql.get<{ last_seen_ms: number }>(`SELECT last_seen_ms FROM gmail_cursor WHERE user_id = ?`, [userId]);
    return r?.last_seen_ms;
  }

  /** Moves the mark to `ms` unless it is already past it (two catch-ups may overlap). */
  async advance(userId: string, ms: number): Promise<void> {
    await this.sql.run(
      `INSERT INTO gmail_cursor (user_id, last_seen_ms) VALUES (?, ?)
       ON CONFLICT(user_id) DO UPDATE SET last_seen_ms = ${greatest(this.sql)}(gmail_cursor.last_seen_ms, excluded.last_seen_ms)`,
      [userId, Math.floor(ms)],
    );
  }
}
