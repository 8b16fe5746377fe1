// The people one Paprika serves. Each user has one API token; only its SHA-256 is stored, so the
// token is shown once (when the user is added) and a copy of the database signs nobody in. A
// token is found by its hash, so no comparison of secrets leaks timing.
import { USER_ID } from '../shared/ids';
import { registerSchema } from './schema';
import { hashSecret, newSecret, type Sessions } from './sessions';
import type { Sql } from './sql';

registerSchema({
  name: 'users',
  sqlite: `
  CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT
  );
`,
  postgres: `
  CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT
  );
`,
});

export const NAME_MAX = 200;

export class UserError extends Error {}

export interface UserView {
  id: string;
  name?: string;
  createdAt: string;
  activeSessions: number;
}

export class Users {
  constructor(
    private readonly sql: Sql,
    private readonly sessions: Sessions,
  ) {}

  /** A new user and its token, which is not stored and cannot be shown again. */
  async add(id: string, opts: { name?: string } = {}): Promise<{ token: string }> {
    if (!USER_ID.test(id)) throw new UserError(`user id "${id}": 1-64 letters, digits and _ . - only (it becomes part of workflow IDs)`);
    if (opts.name !== undefined && opts.name.length > NAME_MAX) throw new UserError(`name: at most ${NAME_MAX} characters`);
    const token = newSecret();
    const res = await this.sql.run('INSERT INTO users (id, created_at, token_hash, name) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [
      id,
      new Date().toISOString(),
      hashSecret(token),
      opts.name ?? null,
    ]);
    if (res.changes === 0) throw new UserError(`user "${id}" exists already`);
    return { token };
  }

  /**
   * Makes `id` a user whose token is `token` (the configured API token of the default user), so a
   * single-user setup keeps working with the token it always had.
   */
  async ensure(id: string, token: string): Promise<void> {
    if (!USER_ID.test(id)) throw new UserError(`user id "${id}": 1-64 letters, digits and _ . - only`);
    await this.sql.run(
      'INSERT INTO users (id, created_at, token_hash) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash',
      [id, new Date().toISOString(), hashSecret(token)],
    );
  }

  async userForToken(token: string): Promise<string | undefined> {
    return (await this.sql.get<{ id: string }>('SELECT id FROM users WHERE token_hash = ?', [hashSecret(token)]))?.id;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 AS one FROM users WHERE id = ?', [id])) !== undefined;
  }

  async list(): Promise<UserView[]> {
    const rows = await this.sql.all<{ id: string; name: string | null; created_at: string }>('SELECT id, name, created_at FROM users');
    const active = await this.sessions.activeCounts();
    // Sorted here: the engines' collations order ids differently.
    rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return rows.map((r) => ({ id: r.id, ...(r.name ? { name: r.name } : {}), createdAt: r.created_at, activeSessions: active.get(r.id) ?? 0 }));
  }

  /** Removes the user and ends its sessions and login codes; false when there was no such user. */
  async remove(id: string): Promise<boolean> {
    return this.sql.transaction(async () => {
      const removed = (await this.sql.run('DELETE FROM users WHERE id = ?', [id])).changes > 0;
      if (removed) await this.sessions.revokeUser(id);
      return removed;
    });
  }
}
