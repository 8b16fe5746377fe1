// What follow-ups need to find each other: the mails the user sent (thread, recipients, question),
// so "tell me when everyone has answered" knows which thread and whom; and which follow-up
// workflows watch which thread, so an arriving mail reaches them without asking Temporal.
import { type Db, nowIso, registerSchema } from './db';

registerSchema(`
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
`);

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

export class FollowUps {
  constructor(private readonly db: Db) {}

  /** The latest mail the user sent in a thread replaces an earlier one: it is what was last asked. */
  recordSent(userId: string, m: Omit<SentMail, 'sentAt'>): void {
    this.db
      .prepare(
        `INSERT INTO sent_mail (user_id, thread_id, recipients, subject, body, sent_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, thread_id) DO UPDATE SET recipients = excluded.recipients, subject = excluded.subject, body = excluded.body, sent_at = excluded.sent_at`,
      )
      .run(userId, m.threadId, JSON.stringify(m.recipients), m.subject, m.body, nowIso());
  }

  sent(userId: string, threadId: string): SentMail | undefined {
    const row = this.db.prepare('SELECT * FROM sent_mail WHERE user_id = ? AND thread_id = ?').get(userId, threadId) as SentRow | undefined;
    return row && toSent(row);
  }

  latestSent(userId: string): SentMail | undefined {
    const row = this.db.prepare('SELECT * FROM sent_mail WHERE user_id = ? ORDER BY sent_at DESC, rowid DESC LIMIT 1').get(userId) as SentRow | undefined;
    return row && toSent(row);
  }

  watch(f: { workflowId: string; userId: string; threadId: string; taskId: string }): void {
    this.db
      .prepare(
        `INSERT INTO follow_ups (workflow_id, user_id, thread_id, task_id, running) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (workflow_id) DO UPDATE SET thread_id = excluded.thread_id, task_id = excluded.task_id, running = 1`,
      )
      .run(f.workflowId, f.userId, f.threadId, f.taskId);
  }

  ended(workflowId: string): void {
    this.db.prepare('UPDATE follow_ups SET running = 0 WHERE workflow_id = ?').run(workflowId);
  }

  /** Workflow IDs of the running follow-ups of a thread. */
  watching(userId: string, threadId: string): string[] {
    return (this.db.prepare('SELECT workflow_id FROM follow_ups WHERE user_id = ? AND thread_id = ? AND running = 1').all(userId, threadId) as { workflow_id: string }[]).map(
      (r) => r.workflow_id,
    );
  }
}
