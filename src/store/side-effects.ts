// The ledger that makes side effects happen at most once per idempotency key (workflow ID + call
// ID). An execution writes `started` before it acts and its outcome right after, and the outcome is
// in this table before the activity reports it to Temporal, so a retry returns the recorded outcome.
import { type Db, nowIso, registerSchema } from './db';

registerSchema(`
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
`);

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
  constructor(private readonly db: Db) {}

  /** Claims the key for an execution (one transaction, so two attempts cannot both see `new`). */
  begin(key: string, e: { userId: string; tool: string; args: Record<string, unknown> }): BeginResult {
    return this.db.transaction((): BeginResult => {
      const existing = this.get(key);
      if (existing) {
        this.db.prepare('UPDATE side_effects SET attempts = attempts + 1 WHERE key = ?').run(key);
        const record = { ...existing, attempts: existing.attempts + 1 };
        return existing.status === 'started' ? { state: 'in_doubt', record } : { state: 'recorded', record };
      }
      this.db
        .prepare("INSERT INTO side_effects (key, user_id, tool, args, status, attempts, started_at) VALUES (?, ?, ?, ?, 'started', 1, ?)")
        .run(key, e.userId, e.tool, JSON.stringify(e.args), nowIso());
      return { state: 'new' };
    })();
  }

  /** Records the outcome; only a `started` row changes, so a recorded outcome is never overwritten. */
  finish(key: string, status: Exclude<SideEffectStatus, 'started'>, outcome: string): SideEffectRecord {
    this.db
      .prepare("UPDATE side_effects SET status = ?, outcome = ?, finished_at = ? WHERE key = ? AND status = 'started'")
      .run(status, outcome, nowIso(), key);
    return this.get(key)!;
  }

  /** Forgets a claim whose call certainly never left (connection refused), so a retry may send it. */
  release(key: string): void {
    this.db.prepare("DELETE FROM side_effects WHERE key = ? AND status = 'started'").run(key);
  }

  get(key: string): SideEffectRecord | undefined {
    const row = this.db.prepare('SELECT * FROM side_effects WHERE key = ?').get(key) as Row | undefined;
    return row && toRecord(row);
  }

  list(userId: string, limit = 100): SideEffectRecord[] {
    return (this.db.prepare('SELECT * FROM side_effects WHERE user_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(userId, limit) as Row[]).map(toRecord);
  }
}
