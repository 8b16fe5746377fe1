import { Sessions } from '../../src/store/sessions';
import type { Sql } from '../../src/store/sql';
import { Users, UserError } from '../../src/store/users';
import { ENGINES, openTestSql } from '../helpers/test-sql';

describe.each(ENGINES)('%s', (engine) => {
  let sql: Sql;
  let sessions: Sessions;
  let users: Users;
  beforeEach(async () => {
    sql = await openTestSql(engine);
    sessions = new Sessions(sql);
    users = new Users(sql, sessions);
  });
  afterEach(() => sql.close());

  test('a new user gets a token that signs in as that user; only its hash is stored', async () => {
    const { token } = await users.add('alice', { name: 'Alice Liddell' });
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(await users.userForToken(token)).toBe('alice');
    expect(await users.userForToken(`${token}x`)).toBeUndefined();
    expect(await users.userForToken('')).toBeUndefined();
    expect(JSON.stringify(await sql.all('SELECT * FROM users'))).not.toContain(token);
    const other = await users.add('bob');
    expect(other.token).not.toBe(token);
    expect(await users.userForToken(other.token)).toBe('bob');
  });

  test('adding a user that exists or an invalid id fails with an error naming the problem, and changes nothing', async () => {
    const { token } = await users.add('alice');
    await expect(users.add('alice')).rejects.toThrow(new UserError('user "alice" exists already'));
    expect(await users.userForToken(token)).toBe('alice');
    for (const bad of ['', 'a b', 'x:y', 'ü', 'a'.repeat(65), 'a/b']) {
      await expect(users.add(bad)).rejects.toThrow(/letters, digits and _ \. - only/);
    }
    expect((await users.list()).map((u) => u.id)).toEqual(['alice']);
  });

  test('list shows id, name, creation time and live sessions, sorted by id the same on both engines, and never a token', async () => {
    const tokens = [await users.add('bob'), await users.add('Zed'), await users.add('alice', { name: 'Alice' })].map((t) => t.token);
    await sessions.create('alice', 60_000);
    await sessions.create('alice', 60_000);
    const list = await users.list();
    expect(list.map((u) => u.id)).toEqual(['Zed', 'alice', 'bob']);
    expect(list.find((u) => u.id === 'alice')).toEqual({ id: 'alice', name: 'Alice', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), activeSessions: 2 });
    expect(list.find((u) => u.id === 'bob')).toMatchObject({ activeSessions: 0 });
    for (const t of tokens) expect(JSON.stringify(list)).not.toContain(t);
  });

  test('remove deletes the user, its token stops working and its sessions and login codes end', async () => {
    const { token } = await users.add('alice');
    const bob = await users.add('bob');
    const session = await sessions.create('alice', 60_000);
    const code = await sessions.createLoginCode('alice', 60_000);
    const bobSession = await sessions.create('bob', 60_000);
    expect(await users.remove('alice')).toBe(true);
    expect(await users.remove('alice')).toBe(false);
    expect(await users.userForToken(token)).toBeUndefined();
    expect(await sessions.find(session.id)).toBeUndefined();
    expect(await sessions.consumeLoginCode(code)).toBeUndefined();
    expect(await users.exists('alice')).toBe(false);
    expect(await users.userForToken(bob.token)).toBe('bob');
    expect(await sessions.find(bobSession.id)).toMatchObject({ userId: 'bob' });
    // The id is free again, with a new token.
    const again = await users.add('alice');
    expect(await users.userForToken(again.token)).toBe('alice');
  });

  test('ensure makes the default user with the configured token, and a changed token replaces the old one', async () => {
    await users.ensure('me', 'configured-token-0123456789');
    await users.ensure('me', 'configured-token-0123456789');
    expect(await users.userForToken('configured-token-0123456789')).toBe('me');
    await users.ensure('me', 'rotated-token-0123456789ab');
    expect(await users.userForToken('rotated-token-0123456789ab')).toBe('me');
    expect(await users.userForToken('configured-token-0123456789')).toBeUndefined();
    expect((await users.list()).map((u) => u.id)).toEqual(['me']);
  });

  test('two concurrent adds of the same id: exactly one wins', async () => {
    const results = await Promise.allSettled([users.add('carol'), users.add('carol')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual(['Error: user "carol" exists already']);
  });
});
