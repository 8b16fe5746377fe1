// The embedded engine: one SQLite file under the data directory, WAL mode, so a worker and an API
// in separate processes can share it. better-sqlite3 is synchronous, which keeps single statements
// atomic on the event loop; only a transaction that awaits between statements needs the gate below.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RunResult, Sql, SqlValue } from './sql';

export interface SqliteOptions {
  /**
   * full (default): a committed approval, ledger entry or message survives a power cut.
   * normal: faster commits; in WAL mode the last transactions may be lost on power loss, never corrupted.
   */
  sync?: 'full' | 'normal';
  fileName?: string;
}

export function openSqlite(dataDir: string, { sync = 'full', fileName = 'paprika.db' }: SqliteOptions = {}): SqliteSql {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return new SqliteSql(db);
}

export class SqliteSql implements Sql {
  readonly engine = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly inTransaction = new AsyncLocalStorage<true>();
  /** Settles when the open transaction ends; statements from outside it wait, so they cannot land inside it. */
  private open: Promise<unknown> | undefined;

  constructor(readonly db: Database.Database) {}

  private statement(text: string): Database.Statement {
    let s = this.statements.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.statements.set(text, s);
    }
    return s;
  }

  /**
   * Waits until no transaction is open (unless we are inside it). Callers run their statement in
   * the same synchronous stretch as the last check, so no transaction can begin in between.
   */
  private async turn(): Promise<void> {
    if (this.inTransaction.getStore()) return;
    while (this.open) await this.open.catch(() => undefined);
  }

  private get mustWait(): boolean {
    return this.open !== undefined && !this.inTransaction.getStore();
  }

  async all<T>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    while (this.mustWait) await this.turn();
    return this.statement(text).all(...params) as T[];
  }

  async get<T>(text: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    while (this.mustWait) await this.turn();
    return this.statement(text).get(...params) as T | undefined;
  }

  async run(text: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    while (this.mustWait) await this.turn();
    return { changes: this.statement(text).run(...params).changes };
  }

  async exec(script: string): Promise<void> {
    while (this.mustWait) await this.turn();
    this.db.exec(script);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction.getStore()) return fn();
    while (this.mustWait) await this.turn();
    const done = (async () => {
      // IMMEDIATE takes the write lock up front: another process's writer waits (busy_timeout)
      // instead of failing at the first write with SQLITE_BUSY.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.inTransaction.run(true, fn);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    })();
    this.open = done;
    try {
      return await done;
    } finally {
      if (this.open === done) this.open = undefined;
    }
  }

  async close(): Promise<void> {
    while (this.mustWait) await this.turn();
    this.db.close();
  }
}
