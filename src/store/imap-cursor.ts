// Where the IMAP feed got to in each mailbox: the last UID fed, valid only under its UIDVALIDITY.
import type { Db } from './db';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS imap_cursor (
    account TEXT PRIMARY KEY,
    uid_validity TEXT NOT NULL,
    last_uid INTEGER NOT NULL
  );
`;

export interface ImapCursor {
  uidValidity: string;
  lastUid: number;
}

export class ImapCursorStore {
  constructor(private readonly db: Db) {
    db.exec(SCHEMA);
  }

  get(account: string): ImapCursor | undefined {
    const r = this.db.prepare(`SELECT uid_validity, last_uid FROM imap_cursor WHERE account = ?`).get(account) as { uid_validity: string; last_uid: number } | undefined;
    return r && { uidValidity: r.uid_validity, lastUid: r.last_uid };
  }

  set(account: string, cursor: ImapCursor): void {
    this.db
      .prepare(`INSERT INTO imap_cursor (account, uid_validity, last_uid) VALUES (?, ?, ?) ON CONFLICT(account) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid`)
      .run(account, cursor.uidValidity, cursor.lastUid);
  }
}
