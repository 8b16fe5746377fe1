// Page sessions and one-time login codes. The cookie holds an opaque random ID, never the API
// token; only its SHA-256 is stored, so a copy of the database logs nobody in. A session expires
// and can be revoked (logout). A login code (the link the banner prints) works once, briefly.
import { createHash, randomBytes } from 'node:crypto';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'sessions',
  sqlite: `
  CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE IF NOT EXISTS login_codes (
    code_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
`,
  // Epoch milliseconds overflow int4.
  postgres: `
  CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE TABLE IF NOT EXISTS login_codes (
    code_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
  );
`,
});

export interface Session {
  userId: string;
  expiresAt: number;
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const newSecret = () => randomBytes(32).toString('base64url');

export class Sessions {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: string, ttlMs: number): Promise<{ id: string; expiresAt: number }> {
    const id = newSecret();
    const now = this.now();
    const expiresAt = now + ttlMs;
    await this.sql.run('DELETE FROM sessions WHERE expires_at <= ? OR revoked_at IS NOT NULL', [now]);
    await this.sql.run('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [hashSecret(id), userId, now, expiresAt]);
    return { id, expiresAt };
  }

  /** The live session with this ID, or undefined when unknown, expired or revoked. */
  async find(id: string): Promise<Session | undefined> {
    const row = await this.sql.get<{ user_id: string; expires_at: number }>(
      'SELECT user_id, expires_at FROM sessions WHERE id_hash = ? AND revoked_at IS NULL AND expires_at > ?',
      [hashSecret(id), this.now()],
    );
    return row && { userId: row.user_id, expiresAt: Number(row.expires_at) };
  }

  async revoke(id: string): Promise<void> {
    await this.sql.run('UPDATE sessions SET revoked_at = ? WHERE id_hash = ?', [this.now(), hashSecret(id)]);
  }

  /** Ends every session and unused login code of a user (when the user is removed). */
  async revokeUser(userId: string): Promise<void> {
    const now = this.now();
    await this.sql.run('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [now, userId]);
    await this.sql.run('UPDATE login_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [now, userId]);
  }

  /** Live sessions per user, for `npm run users -- list`. */
  async activeCounts(): Promise<Map<string, number>> {
    const rows = await this.sql.all<{ user_id: string; n: number }>(
      'SELECT user_id, COUNT(*) AS n FROM sessions WHERE revoked_at IS NULL AND expires_at > ? GROUP BY user_id',
      [this.now()],
    );
    return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
  }

  async createLoginCode(userId: string, ttlMs: number): Promise<string> {
    const code = newSecret();
    const now = this.now();
    await this.sql.run('DELETE FROM login_codes WHERE expires_at <= ? OR used_at IS NOT NULL', [now]);
    await this.sql.run('INSERT INTO login_codes (code_hash, user_id, expires_at) VALUES (?, ?, ?)', [hashSecret(code), userId, now + ttlMs]);
    return code;
  }

  /** Marks the code used and returns its user; a used, expired or unknown code gives undefined. */
  async consumeLoginCode(code: string): Promise<string | undefined> {
    const now = this.now();
    // One UPDATE decides, so two requests racing with the same code cannot both win.
    const row = await this.sql.get<{ user_id: string }>(
      'UPDATE login_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id',
      [now, hashSecret(code), now],
    );
    return row?.user_id;
  }
}
