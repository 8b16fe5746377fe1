// The model's circuit breaker record, in the store so every worker process sharing it sees one
// breaker: a model that failed for one worker is not hammered by the others.
import { type BreakerRecord, CLOSED } from '../shared/model-breaker';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'model-health',
  sqlite: `
  CREATE TABLE IF NOT EXISTS model_health (
    model TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
`,
  // The health page lists models by code point, as SQLite's BINARY collation does, whatever the locale.
  postgres: `
  CREATE TABLE IF NOT EXISTS model_health (
    model TEXT COLLATE "C" PRIMARY KEY,
    record TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
`,
});

export class ModelHealth {
  constructor(private readonly sql: Sql) {}

  async get(model: string): Promise<BreakerRecord> {
    const row = await this.sql.get<{ record: string }>('SELECT record FROM model_health WHERE model = ?', [model]);
    return row ? (JSON.parse(row.record) as BreakerRecord) : CLOSED;
  }

  /** Every model with a record, for the health page. */
  async all(): Promise<{ model: string; record: BreakerRecord; updatedAt: string }[]> {
    const rows = await this.sql.all<{ model: string; record: string; updated_at: string }>('SELECT model, record, updated_at FROM model_health ORDER BY model');
    return rows.map((r) => ({ model: r.model, record: JSON.parse(r.record) as BreakerRecord, updatedAt: r.updated_at }));
  }

  /**
   * Read-modify-write in one transaction, so two workers' failures both count. `next` may run more
   * than once (Postgres re-runs a transaction that lost a race), so it must only compute.
   */
  async update(model: string, next: (current: BreakerRecord) => BreakerRecord): Promise<BreakerRecord> {
    return this.sql.transaction(async () => {
      const record = next(await this.get(model));
      await this.sql.run(
        `INSERT INTO model_health (model, record, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(model) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
        [model, JSON.stringify(record), nowIso()],
      );
      return record;
    });
  }
}
