// The ledger that makes side effects happen at most once per idempotency key (workflow ID + call
// ID). An execution writes `started` before it acts and its outcome right after, and the outcome is
// in this table before the activity reports it to Temporal, so a retry returns the recorded outcome.
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'side-effects',
  sqlite: `
  CREATE TABLE IF NOT EXISTS side_effects (
    key TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    args TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    finished_at TEXT
  );
`,
  // seq stands in for SQLite's rowid: the order of claims made in the same millisecond.
  postgres: `
  CREATE TABLE IF NOT EXISTS side_effects (
    key TEXT PRIMARY KEY,
    seq BIGSERIAL,
    user_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    args TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    finished_at TEXT
  );
`,
});

const insertionOrder = (sql: Sql) => (sql.engine === 'postgres' ? 'seq' : 'rowid');

/**
 * started: the call may be in flight (or its worker died while it was);
 * succeeded / failed: the provider answered; unknown: the worker died between sending and recording.
 */
export type SideEffectStatus = 'started' | 'succeeded' | 'failed' | 'unknown';

export interface SideEffectRecord {
  key: string;
  userId: string;
  tool: string;
  args: Record<string, unknown>;
  status: SideEffectStatus;
  outcome?: string;
  attempts: number;
  startedAt: string;
  finishedAt?: string;
}

interface Row {
  key: string;
  user_id: string;
  tool: string;
  args: string;
  status: SideEffectStatus;
  outcome: string | null;
  attempts: number;
  started_at: string;
  finished_at: string | null;
}
const toRecord = (r: Row): SideEffectRecord => ({
  key: r.key,
  userId: r.user_id,
  tool: r.tool,
  args: JSON.parse(r.args) as Record<string, unknown>,
  status: r.status,
  ...(r.outcome !== null ? { outcome: r.outcome } : {}),
  attempts: r.attempts,
  startedAt: r.started_at,
  ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
});

export type BeginResult =
  | { state: 'new' }
  /** An earlier attempt finished: return its outcome, do nothing. */
  | { state: 'recorded'; record: SideEffectRecord }
  /** An earlier attempt started and never recorded an outcome. */
  | { state: 'in_doubt'; record: SideEffectRecord };

export class SideEffects {
  constructor(private readonly sql: Sql) {}

  /** Claims the key for an execution (one transaction, so two attempts cannot both see `new`). */
  async begin(key: string, e: { userId: string; tool: string; args: Record<string, unknown> }): Promise<BeginResult> {
    return this.sql.transaction(async (): Promise<BeginResult> => {
      const existing = await this.get(key);
      if (!existing) {
        // A concurrent claim that committed first makes Postgres abort this transaction (and re-run
        // it, now seeing the row) rather than skip silently; DO NOTHING only keeps a duplicate from
        // being an error.
        const { changes } = await this.sql.run(
          "INSERT INTO side_effects (key, user_id, tool, args, status, attempts, started_at) VALUES (?, ?, ?, ?, 'started', 1, ?) ON CONFLICT DO NOTHING",
          [key, e.userId, e.tool, JSON.stringify(e.args), nowIso()],
        );
        if (changes) return { state: 'new' };
      }
      const claimed = existing ?? (await this.get(key))!;
      await this.sql.run('UPDATE side_effects SET attempts = attempts + 1 WHERE key = ?', [key]);
      const record = { ...claimed, attempts: claimed.attempts + 1 };
      return claimed.status === 'started' ? { state: 'in_doubt', record } : { state: 'recorded', record };
    });
  }

  /** Records the outcome; only a `started` row changes, so a recorded outcome is never overwritten. */
  async finish(key: string, status: Exclude<SideEffectStatus, 'started'>, outcome: string): Promise<SideEffectRecord> {
    await this.sql.run("UPDATE side_effects SET status = ?, outcome = ?, finished_at = ? WHERE key = ? AND status = 'started'", [status, outcome, nowIso(), key]);
    return (await this.get(key))!;
  }

  /** Forgets a claim whose call certainly never left (connection refused), so a retry may send it. */
  async release(key: string): Promise<void> {
    await this.sql.run("DELETE FROM side_effects WHERE key = ? AND status = 'started'", [key]);
  }

  async get(key: string): Promise<SideEffectRecord | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM side_effects WHERE key = ?', [key]);
    return row && toRecord(row);
  }

  async list(userId: string, limit = 100): Promise<SideEffectRecord[]> {
    const rows = await this.sql.all<Row>(`SELECT * FROM side_effects WHERE user_id = ? ORDER BY started_at DESC, ${insertionOrder(this.sql)} DESC LIMIT ?`, [userId, limit]);
    return rows.map(toRecord);
  }
}
