// Each store module declares its tables for both engines; `migrate` runs them at start.
// Statements are idempotent (IF NOT EXISTS), so every start runs all of them; a change to an
// existing table goes in `upgrade`, which checks what is there before it alters anything.
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

export async function migrate(sql: Sql): Promise<void> {
  await sql.transaction(async () => {
    // Two workers starting together would race on CREATE TABLE IF NOT EXISTS (Postgres can fail on
    // the catalog's unique index); the lock makes the second wait for the first to commit.
    if (sql.engine === 'postgres') await sql.get('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    for (const part of parts) {
      try {
        await part.upgrade?.(sql);
        await sql.exec(scriptFor(part, sql.engine));
      } catch (err) {
        throw new Error(`store schema "${part.name}" (${sql.engine}): ${(err as Error).message}`);
      }
    }
  });
}

const scriptFor = (part: SchemaPart, engine: Engine) => (engine === 'postgres' ? part.postgres : part.sqlite);
