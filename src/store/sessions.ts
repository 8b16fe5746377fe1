// Page sessions and one-time login codes. The cookie holds an opaque random ID, never the API
// token; only its SHA-256 is stored, so a copy of the database logs nobody in. A session expires
// and can be revoked (logout). A login code (the link the banner prints) works once, briefly.
import { createHash, randomBytes } from 'node:crypto';
import { type Db, registerSchema } from './db';

registerSchema(`
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
`);

export interface Session {
  userId: string;
  expiresAt: number;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  create(userId: string, ttlMs: number): { id: string; expiresAt: number } {
    const id = secret();
    const now = this.now();
    const expiresAt = now + ttlMs;
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR revoked_at IS NOT NULL').run(now);
    this.db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(hash(id), userId, now, expiresAt);
    return { id, expiresAt };
  }

  /** The live session with this ID, or undefined when unknown, expired or revoked. */
  find(id: string): Session | undefined {
    const row = this.db
      .prepare('SELECT user_id, expires_at FROM sessions WHERE id_hash = ? AND revoked_at IS NULL AND expires_at > ?')
      .get(hash(id), this.now()) as { user_id: string; expires_at: number } | undefined;
    return row && { userId: row.user_id, expiresAt: row.expires_at };
  }

  revoke(id: string): void {
    this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE id_hash = ?').run(this.now(), hash(id));
  }

  createLoginCode(userId: string, ttlMs: number): string {
    const code = secret();
    const now = this.now();
    this.db.prepare('DELETE FROM login_codes WHERE expires_at <= ? OR used_at IS NOT NULL').run(now);
    this.db.prepare('INSERT INTO login_codes (code_hash, user_id, expires_at) VALUES (?, ?, ?)').run(hash(code), userId, now + ttlMs);
    return code;
  }

  /** Marks the code used and returns its user; a used, expired or unknown code gives undefined. */
  consumeLoginCode(code: string): string | undefined {
    const now = this.now();
    // One UPDATE decides, so two requests racing with the same code cannot both win.
    const row = this.db
      .prepare('UPDATE login_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id')
      .get(now, hash(code), now) as { user_id: string } | undefined;
    return row?.user_id;
  }
}
