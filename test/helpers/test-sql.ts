// Store tests run on both engines: SQLite in a temporary file, Postgres in a fresh database on the
// server the global setup started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgres } from '../../src/store/postgres';
import { migrate } from '../../src/store/schema';
import type { Engine, Sql } from '../../src/store/sql';
import { openSqlite } from '../../src/store/sqlite';
import { createDatabase } from './postgres-server';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

export function testPostgresUrl(): string {
  const url = process.env.PAPRIKA_TEST_POSTGRES;
  if (!url) throw new Error('PAPRIKA_TEST_POSTGRES is not set: run the tests through jest (global setup starts PostgreSQL)');
  return url;
}

/** A fresh, empty database on `engine`, without the store's tables. */
export async function openEmptySql(engine: Engine): Promise<Sql> {
  if (engine === 'postgres') return openPostgres(await createDatabase(testPostgresUrl()));
  return openSqlite(fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? os.tmpdir(), 'sql-')));
}

/** A fresh database on `engine` with every registered store table. */
export async function openTestSql(engine: Engine): Promise<Sql> {
  const sql = await openEmptySql(engine);
  await migrate(sql);
  return sql;
}

/** Two connections to one fresh database with every store table, as two processes sharing it have. */
export async function openTestSqlPair(engine: Engine): Promise<[Sql, Sql]> {
  if (engine === 'postgres') {
    const url = await createDatabase(testPostgresUrl());
    const first = openPostgres(url);
    await migrate(first);
    return [first, openPostgres(url)];
  }
  const dir = fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? os.tmpdir(), 'sql-'));
  const first = openSqlite(dir);
  await migrate(first);
  return [first, openSqlite(dir)];
}
