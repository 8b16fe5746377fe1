// What Paprika forgets: everything older than the retention period (PAPRIKA_RETENTION_DAYS), and a
// context item or a whole sender on the user's request. Old rows that a pending approval or a
// running task still points at stay, so pruning never pulls content out from under live work.
import type { Db } from './db';

export interface PruneCounts {
  streamEvents: number;
  notifications: number;
  messages: number;
  contextItems: number;
}

export interface ForgetCounts {
  contextItems: number;
  notifications: number;
  streamEvents: number;
}

// Rows referenced by live work, as SQL conditions over the user (the first parameter of each).
const PENDING_APPROVAL = `SELECT id, task_id, args, preview FROM approvals WHERE user_id = @user AND status = 'pending'`;
const RUNNING_TASK = `SELECT id, workflow_id, title, COALESCE(progress, '') AS progress FROM tasks WHERE user_id = @user AND status = 'running'`;

// A stream event's time is the time of the record it carries (messages and notifications have
// createdAt, tasks startedAt/finishedAt): the log itself stores none.
const EVENT_TIME = `COALESCE(json_extract(payload, '$.finishedAt'), json_extract(payload, '$.createdAt'), json_extract(payload, '$.startedAt'))`;

export class Retention {
  constructor(private readonly db: Db) {}

  /** Deletes this user's rows older than `cutoff` (ISO time), except what live work refers to. */
  prune(userId: string, cutoff: string): PruneCounts {
    const p = { user: userId, cutoff };
    return this.db.transaction(() => {
      const contextItems = this.db
        .prepare(
          `DELETE FROM context_items AS ci WHERE user_id = @user AND created_at < @cutoff
             AND NOT EXISTS (SELECT 1 FROM (${PENDING_APPROVAL}) a WHERE instr(a.args, ci.id) > 0 OR instr(a.preview, ci.id) > 0)
             AND NOT EXISTS (SELECT 1 FROM (${RUNNING_TASK}) t WHERE instr(t.title, ci.id) > 0 OR instr(t.progress, ci.id) > 0)`,
        )
        .run(p).changes;
      const notifications = this.db
        .prepare(
          `DELETE FROM notifications WHERE user_id = @user AND read = 1 AND created_at < @cutoff
             AND COALESCE(ref, '') NOT IN (SELECT 'approval:' || id FROM (${PENDING_APPROVAL}) UNION SELECT 'task:' || id FROM (${RUNNING_TASK}))
             AND COALESCE(ref, '') NOT IN (SELECT id FROM context_items WHERE user_id = @user)`,
        )
        .run(p).changes;
      const messages = this.db.prepare('DELETE FROM messages WHERE user_id = @user AND created_at < @cutoff').run(p).changes;
      const streamEvents = this.db
        .prepare(
          `DELETE FROM stream_events WHERE user_id = @user AND ${EVENT_TIME} < @cutoff
             AND NOT (type = 'task' AND json_extract(payload, '$.id') IN (SELECT id FROM (${RUNNING_TASK})))
             AND NOT (type = 'notification' AND json_extract(payload, '$.id') IN (SELECT id FROM notifications WHERE user_id = @user AND read = 0))`,
        )
        .run(p).changes;
      return { streamEvents, notifications, messages, contextItems };
    })();
  }

  /** Removes one context item, its distillation and the notifications (and their stream events) made from it. */
  forgetItem(userId: string, id: string): ForgetCounts | undefined {
    return this.db.transaction(() => {
      const contextItems = this.db.prepare('DELETE FROM context_items WHERE user_id = ? AND id = ?').run(userId, id).changes;
      if (!contextItems) return undefined;
      return { contextItems, ...this.forgetDerived(userId, [id]) };
    })();
  }

  /** Removes everything stored from this sender's address (case-insensitive). */
  forgetSender(userId: string, address: string): ForgetCounts {
    return this.db.transaction(() => {
      const ids = (
        this.db.prepare('SELECT id FROM context_items WHERE user_id = ? AND sender_address = ?').all(userId, address.trim().toLowerCase()) as { id: string }[]
      ).map((r) => r.id);
      const contextItems = ids.reduce((n, id) => n + this.db.prepare('DELETE FROM context_items WHERE user_id = ? AND id = ?').run(userId, id).changes, 0);
      return { contextItems, ...this.forgetDerived(userId, ids) };
    })();
  }

  private forgetDerived(userId: string, ids: string[]): Omit<ForgetCounts, 'contextItems'> {
    let notifications = 0;
    let streamEvents = 0;
    for (const id of ids) {
      streamEvents += this.db
        .prepare(`DELETE FROM stream_events WHERE user_id = ? AND type = 'notification' AND json_extract(payload, '$.ref') = ?`)
        .run(userId, id).changes;
      notifications += this.db.prepare('DELETE FROM notifications WHERE user_id = ? AND ref = ?').run(userId, id).changes;
    }
    return { notifications, streamEvents };
  }
}
