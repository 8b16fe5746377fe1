// The model's circuit breaker record, in the store so every worker process sharing it sees one
// breaker: a model that failed for one worker is not hammered by the others.
import { type BreakerRecord, CLOSED } from '../shared/model-breaker';
import { type Db, nowIso, registerSchema } from './db';

registerSchema(`
  CREATE TABLE IF NOT EXISTS model_health (
    model TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
`);

export class ModelHealth {
  constructor(private readonly db: Db) {}

  get(model: string): BreakerRecord {
    const row = this.db.prepare('SELECT record FROM model_health WHERE model = ?').get(model) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as BreakerRecord) : CLOSED;
  }

  /** Every model with a record, for the health page. */
  all(): { model: string; record: BreakerRecord; updatedAt: string }[] {
    const rows = this.db.prepare('SELECT model, record, updated_at FROM model_health ORDER BY model').all() as { model: string; record: string; updated_at: string }[];
    return rows.map((r) => ({ model: r.model, record: JSON.parse(r.record) as BreakerRecord, updatedAt: r.updated_at }));
  }

  /** Read-modify-write in one transaction, so two workers' failures both count. */
  update(model: string, next: (current: BreakerRecord) => BreakerRecord): BreakerRecord {
    return this.db.transaction(() => {
      const record = next(this.get(model));
      this.db
        .prepare(
          `INSERT INTO model_health (model, record, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(model) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
        )
        .run(model, JSON.stringify(record), nowIso());
      return record;
    }).immediate();
  }
}
