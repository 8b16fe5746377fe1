// Where the IMAP feed got to in each mailbox: the last UID fed, valid only under its UIDVALIDITY.
import { registerSchema } from './schema';
import type { Sql } from './sql';

// UIDs are unsigned 32-bit: BIGINT on Postgres, whose INTEGER stops at 2^31 - 1.
registerSchema({
  name: 'imap-cursor',
  sqlite: `
  CREATE TABLE IF NOT EXISTS imap_cursor (
    account TEXT PRIMARY KEY,
    uid_validity TEXT NOT NULL,
    last_uid INTEGER NOT NULL
  );
`,
  postgres: `
  CREATE TABLE IF NOT EXISTS imap_cursor (
    account TEXT PRIMARY KEY,
    uid_validity TEXT NOT NULL,
    last_uid BIGINT NOT NULL
  );
`,
});

export interface ImapCursor {
  uidValidity: string;
  lastUid: number;
}

export class ImapCursorStore {
  constructor(private readonly sql: Sql) {}

  async get(account: string): Promise<ImapCursor | undefined> {
    const r = await this.sql.get<{ uid_validity: string; last_uid: number }>(`SELECT uid_validity, last_uid FROM imap_cursor WHERE account = ?`, [account]);
    return r && { uidValidity: r.uid_validity, lastUid: r.last_uid };
  }

  async set(account: string, cursor: ImapCursor): Promise<void> {
    await this.sql.run(
      `INSERT INTO imap_cursor (account, uid_validity, last_uid) VALUES (?, ?, ?)
       ON CONFLICT(account) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid`,
      [account, cursor.uidValidity, cursor.lastUid],
    );
  }
}
