// The last known state of feed sources that run inside Paprika (IMAP, plugins), written by the
// process that runs them and read by GET /api/settings, which may be another process.
import { type Db, nowIso } from './db';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS source_status (
    name TEXT PRIMARY KEY,
    healthy INTEGER NOT NULL,
    detail TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
`;

export interface SourceStatus {
  name: string;
  healthy: boolean;
  detail: string;
  updatedAt: string;
}

export class SourceStatusStore {
  constructor(private readonly db: Db) {
    // Created here rather than by registerSchema: this store is opened by modules the store's
    // own index does not know, possibly after the database was opened.
    db.exec(SCHEMA);
  }

  set(name: string, healthy: boolean, detail: string): void {
    this.db
      .prepare(`INSERT INTO source_status (name, healthy, detail, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET healthy = excluded.healthy, detail = excluded.detail, updated_at = excluded.updated_at`)
      .run(name, healthy ? 1 : 0, detail.slice(0, 1000), nowIso());
  }

  get(name: string): SourceStatus | undefined {
    const r = this.db.prepare(`SELECT name, healthy, detail, updated_at FROM source_status WHERE name = ?`).get(name) as
      | { name: string; healthy: number; detail: string; updated_at: string }
      | undefined;
    return r && { name: r.name, healthy: r.healthy === 1, detail: r.detail, updatedAt: r.updated_at };
  }
}
