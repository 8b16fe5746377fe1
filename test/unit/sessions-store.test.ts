import { Sessions } from '../../src/store/sessions';
import type { Sql } from '../../src/store/sql';
import { ENGINES, openTestSql } from '../helpers/test-sql';

describe.each(ENGINES)('%s', (engine) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = await openTestSql(engine);
  });
  afterEach(() => sql.close());

  test('a session ID is random and opaque, only its hash is stored, and it ends at expiry or logout', async () => {
    let now = 1_000_000;
    const sessions = new Sessions(sql, () => now);
    const a = await sessions.create('me', 60_000);
    const b = await sessions.create('me', 60_000);
    expect(a.id).not.toBe(b.id);
    expect(a.id.length).toBeGreaterThanOrEqual(40);
    expect(JSON.stringify(await sql.all('SELECT * FROM sessions'))).not.toContain(a.id);
    expect(await sessions.find(a.id)).toEqual({ userId: 'me', expiresAt: 1_060_000 });
    await sessions.revoke(a.id);
    expect(await sessions.find(a.id)).toBeUndefined();
    expect(await sessions.find(b.id)).toBeDefined();
    now += 60_000;
    expect(await sessions.find(b.id)).toBeUndefined();
    expect(await sessions.find('made-up')).toBeUndefined();
  });

  test('epoch milliseconds far in the future survive the round trip as numbers', async () => {
    const now = Date.UTC(2090, 0, 1);
    const sessions = new Sessions(sql, () => now);
    const s = await sessions.create('me', 30 * 86_400_000);
    expect(await sessions.find(s.id)).toEqual({ userId: 'me', expiresAt: now + 30 * 86_400_000 });
  });

  test('a login code works once and not after it expires', async () => {
    let now = 0;
    const sessions = new Sessions(sql, () => now);
    const code = await sessions.createLoginCode('me', 1000);
    expect(await sessions.consumeLoginCode(code)).toBe('me');
    expect(await sessions.consumeLoginCode(code)).toBeUndefined();
    const late = await sessions.createLoginCode('me', 1000);
    now = 1000;
    expect(await sessions.consumeLoginCode(late)).toBeUndefined();
  });

  test('two requests racing with the same login code: only one wins', async () => {
    const sessions = new Sessions(sql);
    const code = await sessions.createLoginCode('me', 60_000);
    const results = await Promise.all([sessions.consumeLoginCode(code), sessions.consumeLoginCode(code), sessions.consumeLoginCode(code)]);
    expect(results.filter((r) => r === 'me')).toHaveLength(1);
  });

  test("revoking a user ends that user's sessions and login codes only, and the counts say so", async () => {
    const sessions = new Sessions(sql);
    const alice = [await sessions.create('alice', 60_000), await sessions.create('alice', 60_000)];
    const bob = await sessions.create('bob', 60_000);
    const aliceCode = await sessions.createLoginCode('alice', 60_000);
    const bobCode = await sessions.createLoginCode('bob', 60_000);
    expect(Object.fromEntries(await sessions.activeCounts())).toEqual({ alice: 2, bob: 1 });
    await sessions.revokeUser('alice');
    for (const s of alice) expect(await sessions.find(s.id)).toBeUndefined();
    expect(await sessions.consumeLoginCode(aliceCode)).toBeUndefined();
    expect(await sessions.find(bob.id)).toMatchObject({ userId: 'bob' });
    expect(await sessions.consumeLoginCode(bobCode)).toBe('bob');
    expect(Object.fromEntries(await sessions.activeCounts())).toEqual({ bob: 1 });
  });
});
