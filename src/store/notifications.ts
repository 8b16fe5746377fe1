// Notifications the assistant raised. Idempotent by ID like the transcript.
import type { Notification, NotificationInput } from '../shared/types';
import { type Db, nowIso, registerSchema } from './db';
import type { StreamLog } from './stream';

registerSchema(`
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
`);

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
    private readonly db: Db,
    private readonly stream: StreamLog,
  ) {}

  add(id: string, userId: string, n: NotificationInput): Notification {
    return this.db.transaction(() => {
      const existing = this.get(id);
      if (existing) return existing;
      const stored: Notification = { ...n, id, userId, createdAt: nowIso(), read: false };
      this.db
        .prepare(
          'INSERT INTO notifications (id, user_id, title, body, priority, source, ref, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, userId, n.title, n.body, n.priority, n.source ?? null, n.ref ?? null, stored.createdAt);
      this.stream.append(userId, { type: 'notification', data: stored });
      return stored;
    })();
  }

  get(id: string): Notification | undefined {
    const row = this.db.prepare('SELECT * FROM notifications WHERE id = ?').get(id) as Row | undefined;
    return row && toNotification(row);
  }

  list(userId: string, opts: { unreadOnly?: boolean; limit?: number } = {}): Notification[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM notifications WHERE user_id = ? ${opts.unreadOnly ? 'AND read = 0' : ''}
         ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      )
      .all(userId, opts.limit ?? 100) as Row[];
    return rows.map(toNotification);
  }

  unreadCount(userId: string): number {
    // `ignore` items are filed, never shown, so they never count as unread.
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read = 0 AND priority != 'ignore'").get(userId) as { n: number }
    ).n;
  }

  /** Returns false when no such notification belongs to the user. */
  markRead(userId: string, id: string): boolean {
    return this.db.prepare('UPDATE notifications SET read = 1 WHERE user_id = ? AND id = ?').run(userId, id).changes > 0;
  }

  markAllRead(userId: string): number {
    return this.db.prepare('UPDATE notifications SET read = 1 WHERE user_id = ? AND read = 0').run(userId).changes;
  }
}
