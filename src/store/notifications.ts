// Notifications the assistant raised. Idempotent by ID like the transcript.
import type { Notification, NotificationInput } from '../shared/types';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';
import type { StreamLog } from './stream';

registerSchema({
  name: 'notifications',
  sqlite: `
    CREATE TABLE IF NOT EXISTS notifications (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      priority TEXT NOT NULL,
      source TEXT,
      ref TEXT,
      created_at TEXT NOT NULL,
      read INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS notifications_user ON notifications(user_id, created_at);
  `,
  // rowid spells out SQLite's implicit insertion order, so one ORDER BY breaks ties on both engines.
  postgres: `
    CREATE TABLE IF NOT EXISTS notifications (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      priority TEXT NOT NULL,
      source TEXT,
      ref TEXT,
      created_at TEXT NOT NULL,
      read INTEGER NOT NULL DEFAULT 0,
      rowid BIGSERIAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS notifications_user ON notifications(user_id, created_at);
  `,
});

interface Row {
  id: string;
  user_id: string;
  title: string;
  body: string;
  priority: Notification['priority'];
  source: string | null;
  ref: string | null;
  created_at: string;
  read: number;
}
const toNotification = (r: Row): Notification => ({
  id: r.id,
  userId: r.user_id,
  title: r.title,
  body: r.body,
  priority: r.priority,
  ...(r.source ? { source: r.source } : {}),
  ...(r.ref ? { ref: r.ref } : {}),
  createdAt: r.created_at,
  read: r.read === 1,
});

export class Notifications {
  constructor(
    private readonly sql: Sql,
    private readonly stream: StreamLog,
  ) {}

  async add(id: string, userId: string, n: NotificationInput): Promise<Notification> {
    return this.sql.transaction(async () => {
      const stored: Notification = { ...n, id, userId, createdAt: nowIso(), read: false };
      // ON CONFLICT rather than read-then-insert: two concurrent retries must not both insert.
      const { changes } = await this.sql.run(
        `INSERT INTO notifications (id, user_id, title, body, priority, source, ref, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
        [id, userId, n.title, n.body, n.priority, n.source ?? null, n.ref ?? null, stored.createdAt],
      );
      if (!changes) return (await this.get(id))!;
      await this.stream.append(userId, { type: 'notification', data: stored });
      return stored;
    });
  }

  async get(id: string): Promise<Notification | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM notifications WHERE id = ?', [id]);
    return row && toNotification(row);
  }

  async list(userId: string, opts: { unreadOnly?: boolean; limit?: number } = {}): Promise<Notification[]> {
    const rows = await this.sql.all<Row>(
      `SELECT * FROM notifications WHERE user_id = ? ${opts.unreadOnly ? 'AND read = 0' : ''}
       ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      [userId, opts.limit ?? 100],
    );
    return rows.map(toNotification);
  }

  async unreadCount(userId: string): Promise<number> {
    // `ignore` items are filed, never shown, so they never count as unread.
    const row = await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read = 0 AND priority != 'ignore'", [userId]);
    return row?.n ?? 0;
  }

  /** Returns false when no such notification belongs to the user. */
  async markRead(userId: string, id: string): Promise<boolean> {
    return (await this.sql.run('UPDATE notifications SET read = 1 WHERE user_id = ? AND id = ?', [userId, id])).changes > 0;
  }

  async markAllRead(userId: string): Promise<number> {
    return (await this.sql.run('UPDATE notifications SET read = 1 WHERE user_id = ? AND read = 0', [userId])).changes;
  }
}
