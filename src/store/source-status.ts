// The last known state of feed sources that run inside Paprika (IMAP, plugins), written by the
// process that runs them and read by GET /api/settings, which may be another process.
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS source_status (
    name TEXT PRIMARY KEY,
    healthy INTEGER NOT NULL,
    detail TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
`;
registerSchema({ name: 'source-status', sqlite: SCHEMA, postgres: SCHEMA });

export interface SourceStatus {
  name: string;
  healthy: boolean;
  detail: string;
  updatedAt: string;
}

export class SourceStatusStore {
  constructor(private readonly sql: Sql) {}

  async set(name: string, healthy: boolean, detail: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO source_status (name, healthy, detail, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET healthy = excluded.healthy, detail = excluded.detail, updated_at = excluded.updated_at`,
      [name, healthy ? 1 : 0, detail.slice(0, 1000), nowIso()],
    );
  }

  async get(name: string): Promise<SourceStatus | undefined> {
    const r = await this.sql.get<{ name: string; healthy: number; detail: string; updated_at: string }>(
      `SELECT name, healthy, detail, updated_at FROM source_status WHERE name = ?`,
      [name],
    );
    return r && { name: r.name, healthy: r.healthy === 1, detail: r.detail, updatedAt: r.updated_at };
  }
}
