// The promises the Sql interface makes, on both engines: what the store modules rely on.
import type { Sql } from '../../src/store/sql';
import { numberPlaceholders } from '../../src/store/sql';
import { ENGINES, openEmptySql } from '../helpers/test-sql';

test('placeholders are numbered outside quotes only', () => {
  expect(numberPlaceholders(`SELECT ?, '?', "a?" FROM t WHERE x = ? AND y = 'it''s ?'`)).toBe(`SELECT $1, '?', "a?" FROM t WHERE x = $2 AND y = 'it''s ?'`);
});

describe.each(ENGINES)('%s', (engine) => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await openEmptySql(engine);
    await sql.exec(`CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
                    CREATE TABLE log (seq ${engine === 'postgres' ? 'BIGSERIAL' : 'INTEGER'} PRIMARY KEY, what TEXT NOT NULL)`);
  });
  afterAll(() => sql.close());

  test('runs, reads and counts changes', async () => {
    expect(await sql.run('INSERT INTO log (what) VALUES (?), (?)', ['a', 'b'])).toEqual({ changes: 2 });
    const rows = await sql.all<{ seq: number; what: string }>('SELECT seq, what FROM log ORDER BY seq');
    expect(rows.map((r) => r.what)).toEqual(['a', 'b']);
    // Postgres hands int8 back as a string by default; the store wants numbers on both engines.
    expect(typeof rows[0].seq).toBe('number');
    expect(await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM log')).toEqual({ n: 2 });
    expect(await sql.get('SELECT what FROM log WHERE what = ?', ['missing'])).toBeUndefined();
  });

  test('a transaction that throws leaves nothing behind', async () => {
    await expect(
      sql.transaction(async () => {
        await sql.run('INSERT INTO log (what) VALUES (?)', ['half']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await sql.get('SELECT what FROM log WHERE what = ?', ['half'])).toBeUndefined();
  });

  test('concurrent read-modify-write transactions lose no update', async () => {
    await sql.run('INSERT INTO counters (name, n) VALUES (?, 0)', ['c']);
    const bump = () =>
      sql.transaction(async () => {
        const row = await sql.get<{ n: number }>('SELECT n FROM counters WHERE name = ?', ['c']);
        // A pause between the read and the write is where another writer would slip in.
        await new Promise((r) => setTimeout(r, 2));
        await sql.run('UPDATE counters SET n = ? WHERE name = ?', [row!.n + 1, 'c']);
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect(await sql.get('SELECT n FROM counters WHERE name = ?', ['c'])).toEqual({ n: 20 });
  });

  test('a nested transaction joins the outer one; a reader outside sees all of it or none', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = sql.transaction(async () => {
      await sql.run('INSERT INTO log (what) VALUES (?)', ['outer']);
      await gate;
      await sql.transaction(() => sql.run('INSERT INTO log (what) VALUES (?)', ['inner']));
    });
    // Issued while the transaction is open, from outside it.
    const seen = sql.all<{ what: string }>('SELECT what FROM log WHERE what IN (?, ?) ORDER BY what', ['inner', 'outer']);
    await new Promise((r) => setTimeout(r, 5));
    release();
    await tx;
    expect([[], ['inner', 'outer']]).toContainEqual((await seen).map((r) => r.what));
    expect(await sql.all('SELECT what FROM log WHERE what IN (?, ?) ORDER BY what', ['inner', 'outer'])).toEqual([{ what: 'inner' }, { what: 'outer' }]);
  });
});
