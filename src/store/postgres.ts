// The shared engine: PostgreSQL through node-postgres, for several workers and APIs on several
// machines. Transactions are SERIALIZABLE so every read-modify-write keeps the meaning it has on
// SQLite (where one writer runs at a time); a serialization conflict re-runs the transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { numberPlaceholders, type RunResult, type Sql, type SqlValue } from './sql';

// COUNT(*), BIGSERIAL and SUM come back as int8/numeric; every such value here fits a JS number.
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs after which re-running the whole transaction is the documented remedy. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 20;

export interface PostgresOptions {
  /** Connections per process; the store's statements are short. */
  max?: number;
}

export function openPostgres(url: string, { max = 10 }: PostgresOptions = {}): PostgresSql {
  const pool = new pg.Pool({ connectionString: url, max, types });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return new PostgresSql(pool);
}

type Queryable = pg.Pool | pg.PoolClient;

export class PostgresSql implements Sql {
  readonly engine = 'postgres' as const;
  private readonly current = new AsyncLocalStorage<pg.PoolClient>();

  constructor(readonly pool: pg.Pool) {}

  private on(): Queryable {
    return this.current.getStore() ?? this.pool;
  }

  private async query(text: string, params: readonly SqlValue[]): Promise<pg.QueryResult> {
    return this.on().query(numberPlaceholders(text), params as unknown[]);
  }

  async all<T>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.query(text, params)).rows as T[];
  }

  async get<T>(text: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.query(text, params)).rows[0] as T | undefined;
  }

  async run(text: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return { changes: (await this.query(text, params)).rowCount ?? 0 };
  }

  async exec(script: string): Promise<void> {
    await this.on().query(script);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.current.getStore()) return fn();
    const client = await this.pool.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
          const result = await this.current.run(client, fn);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          const code = (err as { code?: string }).code;
          if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw err;
          // Jittered backoff so two conflicting writers do not collide again in lockstep.
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
        }
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
