// Each store module declares its tables for both engines; `migrate` runs them at start.
// Statements are idempotent (IF NOT EXISTS), so every start runs all of them; a change to an
// existing table goes in `upgrade`, which checks what is there before it alters anything.
import { createHash } from 'node:crypto';
import type { Engine, Sql } from './sql';

export interface SchemaPart {
  /** Unique, for error messages: the module that owns the tables. */
  name: string;
  sqlite: string;
  postgres: string;
  /** Brings a table written by an older version up to date; runs before the part's script. */
  upgrade?: (sql: Sql) => Promise<void>;
}

const parts: SchemaPart[] = [];

export function registerSchema(part: SchemaPart): void {
  if (!parts.some((p) => p.name === part.name)) parts.push(part);
}

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK = 7_263_001;

/** Names every part's script, so a process can tell at a glance whether the tables are current. */
function schemaVersion(engine: Engine): string {
  const h = createHash('sha256');
  for (const part of parts) h.update(`${part.name}\0${scriptFor(part, engine)}\0${part.upgrade ? String(part.upgrade) : ''}\0`);
  return h.digest('hex');
}

const VERSION_TABLE = 'CREATE TABLE IF NOT EXISTS store_schema (id INTEGER PRIMARY KEY, version TEXT NOT NULL)';
const storedVersion = async (sql: Sql) => (await sql.get<{ version: string }>('SELECT version FROM store_schema WHERE id = 1'))?.version;

export async function migrate(sql: Sql): Promise<void> {
  const version = schemaVersion(sql.engine);
  await sql.exec(VERSION_TABLE);
  // The common start: the tables are current. Running the DDL anyway would take a lock on every
  // table (CREATE INDEX IF NOT EXISTS does) and queue behind, and ahead of, the running workers' writes.
  if ((await storedVersion(sql)) === version) return;
  await sql.transaction(async () => {
    // Two workers starting together would race on CREATE TABLE IF NOT EXISTS (Postgres can fail on
    // the catalog's unique index); the lock makes the second wait for the first to commit.
    if (sql.engine === 'postgres') await sql.get('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    if ((await storedVersion(sql)) === version) return;
    for (const part of parts) {
      try {
        await part.upgrade?.(sql);
        await sql.exec(scriptFor(part, sql.engine));
      } catch (err) {
        throw new Error(`store schema "${part.name}" (${sql.engine}): ${(err as Error).message}`);
      }
    }
    await sql.run('INSERT INTO store_schema (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version', [version]);
  });
}

const scriptFor = (part: SchemaPart, engine: Engine) => (engine === 'postgres' ? part.postgres : part.sqlite);
