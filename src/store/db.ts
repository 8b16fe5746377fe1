// Opens the SQLite file under the data directory. One file, WAL mode, so the worker
// (writer) and the API (reader) can be separate processes sharing the directory.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Each store module contributes its schema; statements must be idempotent (IF NOT EXISTS). */
const schemas: string[] = [];
export function registerSchema(sql: string): void {
  schemas.push(sql);
}

export interface DbOptions {
  /**
   * full (default): a committed approval, ledger entry or message survives a power cut.
   * normal: faster commits; in WAL mode the last transactions may be lost on power loss, never corrupted.
   */
  sync?: 'full' | 'normal';
  fileName?: string;
}

export function openDb(dataDir: string, { sync = 'full', fileName = 'paprika.db' }: DbOptions = {}): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  for (const sql of schemas) db.exec(sql);
  return db;
}

export function nowIso(): string {
  return new Date().toISOString();
}
