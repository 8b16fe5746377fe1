// What follow-ups need to find each other: the mails the user sent (thread, recipients, question),
// so "tell me when everyone has answered" knows which thread and whom; and which follow-up
// workflows watch which thread, so an arriving mail reaches them without asking Temporal.
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'follow-ups',
  sqlite: `
  CREATE TABLE IF NOT EXISTS sent_mail (
    user_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
  );
  CREATE INDEX IF NOT EXISTS sent_mail_latest ON sent_mail(user_id, sent_at);
  CREATE TABLE IF NOT EXISTS follow_ups (
    workflow_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    running INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX IF NOT EXISTS follow_ups_thread ON follow_ups(user_id, thread_id, running);
`,
  // `seq` stands in for SQLite's rowid: which thread's mail was first recorded, for ties in sent_at.
  postgres: `
  CREATE TABLE IF NOT EXISTS sent_mail (
    user_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    seq BIGSERIAL NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
  );
  CREATE INDEX IF NOT EXISTS sent_mail_latest ON sent_mail(user_id, sent_at);
  CREATE TABLE IF NOT EXISTS follow_ups (
    workflow_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    running INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX IF NOT EXISTS follow_ups_thread ON follow_ups(user_id, thread_id, running);
`,
});

export interface SentMail {
  threadId: string;
  recipients: string[];
  subject: string;
  body: string;
  sentAt: string;
}

interface SentRow {
  thread_id: string;
  recipients: string;
  subject: string;
  body: string;
  sent_at: string;
}
const toSent = (r: SentRow): SentMail => ({ threadId: r.thread_id, recipients: JSON.parse(r.recipients), subject: r.subject, body: r.body, sentAt: r.sent_at });

const insertionOrder = (sql: Sql) => (sql.engine === 'sqlite' ? 'rowid' : 'seq');

export class FollowUps {
  constructor(private readonly sql: Sql) {}

  /** The latest mail the user sent in a thread replaces an earlier one: it is what was last asked. */
  async recordSent(userId: string, m: Omit<SentMail, 'sentAt'>): Promise<void> {
    await this.sql.run(
      `INSERT INTO sent_mail (user_id, thread_id, recipients, subject, body, sent_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, thread_id) DO UPDATE SET recipients = excluded.recipients, subject = excluded.subject, body = excluded.body, sent_at = excluded.sent_at`,
      [userId, m.threadId, JSON.stringify(m.recipients), m.subject, m.body, nowIso()],
    );
  }

  async sent(userId: string, threadId: string): Promise<SentMail | undefined> {
    const row = await this.sql.get<SentRow>('SELECT * FROM sent_mail WHERE user_id = ? AND thread_id = ?', [userId, threadId]);
    return row && toSent(row);
  }

  async latestSent(userId: string): Promise<SentMail | undefined> {
    const row = await this.sql.get<SentRow>(`SELECT * FROM sent_mail WHERE user_id = ? ORDER BY sent_at DESC, ${insertionOrder(this.sql)} DESC LIMIT 1`, [userId]);
    return row && toSent(row);
  }

  async watch(f: { workflowId: string; userId: string; threadId: string; taskId: string }): Promise<void> {
    await this.sql.run(
      `INSERT INTO follow_ups (workflow_id, user_id, thread_id, task_id, running) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (workflow_id) DO UPDATE SET thread_id = excluded.thread_id, task_id = excluded.task_id, running = 1`,
      [f.workflowId, f.userId, f.threadId, f.taskId],
    );
  }

  async ended(workflowId: string): Promise<void> {
    await this.sql.run('UPDATE follow_ups SET running = 0 WHERE workflow_id = ?', [workflowId]);
  }

  /** Workflow IDs of the running follow-ups of a thread. */
  async watching(userId: string, threadId: string): Promise<string[]> {
    const rows = await this.sql.all<{ workflow_id: string }>('SELECT workflow_id FROM follow_ups WHERE user_id = ? AND thread_id = ? AND running = 1', [userId, threadId]);
    return rows.map((r) => r.workflow_id);
  }
}
