// How far the Gmail catch-up got per user: the time of the newest message it handed on. It only
// moves forward, and only after the messages up to it were submitted, so a crash mid-way repeats
// a fetch (harmless: feed workflow IDs dedupe) rather than skipping mail.
import type { Db } from './db';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS gmail_cursor (
    user_id TEXT PRIMARY KEY,
    last_seen_ms INTEGER NOT NULL
  );
`;

export class GmailCursorStore {
  constructor(private readonly db: Db) {
    // Own schema, as imap-cursor: the activity that uses it may open it after the database.
    db.exec(SCHEMA);
  }

  get(userId: string): number | undefined {
    const r = this.db.prepare(`SELECT last_seen_ms FROM gmail_cursor WHERE user_id = ?`).get(userId) as { last_seen_ms: number } | undefined;
    return r?.last_seen_ms;
  }

  /** Moves the mark to `ms` unless it is already past it (two catch-ups may overlap). */
  advance(userId: string, ms: number): void {
    this.db
      .prepare(`INSERT INTO gmail_cursor (user_id, last_seen_ms) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET last_seen_ms = MAX(last_seen_ms, excluded.last_seen_ms)`)
      .run(userId, Math.floor(ms));
  }
}
