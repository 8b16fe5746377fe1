// What Paprika forgets: everything older than the retention period (PAPRIKA_RETENTION_DAYS), and a
// context item or a whole sender on the user's request. Old rows that a pending approval or a
// running task still points at stay, so pruning never pulls content out from under live work.
import type { Engine, Sql } from './sql';

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

/** The two spellings this module needs that the engines do not share. */
interface Dialect {
  /** A top-level field of a JSON text column, as text. */
  json(column: string, field: string): string;
  /** True when `needle` occurs in `haystack`. */
  contains(haystack: string, needle: string): string;
}

const DIALECTS: Record<Engine, Dialect> = {
  sqlite: {
    json: (column, field) => `json_extract(${column}, '$.${field}')`,
    contains: (haystack, needle) => `instr(${haystack}, ${needle}) > 0`,
  },
  postgres: {
    json: (column, field) => `(${column}::jsonb ->> '${field}')`,
    contains: (haystack, needle) => `strpos(${haystack}, ${needle}) > 0`,
  },
};

// Rows referenced by live work; each takes the user as its one parameter.
const PENDING_APPROVAL = `SELECT id, task_id, args, preview FROM approvals WHERE user_id = ? AND status = 'pending'`;
const RUNNING_TASK = `SELECT id, workflow_id, title, COALESCE(progress, '') AS progress FROM tasks WHERE user_id = ? AND status = 'running'`;

export class Retention {
  private readonly d: Dialect;

  constructor(private readonly sql: Sql) {
    this.d = DIALECTS[sql.engine];
  }

  /** Deletes this user's rows older than `cutoff` (ISO time), except what live work refers to. */
  async prune(userId: string, cutoff: string): Promise<PruneCounts> {
    const { json, contains } = this.d;
    // A stream event's time is the time of the record it carries (messages and notifications have
    // createdAt, tasks startedAt/finishedAt): the log itself stores none.
    const eventTime = `COALESCE(${json('payload', 'finishedAt')}, ${json('payload', 'createdAt')}, ${json('payload', 'startedAt')})`;
    return this.sql.transaction(async () => {
      const contextItems = (
        await this.sql.run(
          `DELETE FROM context_items AS ci WHERE user_id = ? AND created_at < ?
             AND NOT EXISTS (SELECT 1 FROM (${PENDING_APPROVAL}) a WHERE ${contains('a.args', 'ci.id')} OR ${contains('a.preview', 'ci.id')})
             AND NOT EXISTS (SELECT 1 FROM (${RUNNING_TASK}) t WHERE ${contains('t.title', 'ci.id')} OR ${contains('t.progress', 'ci.id')})`,
          [userId, cutoff, userId, userId],
        )
      ).changes;
      const notifications = (
        await this.sql.run(
          `DELETE FROM notifications WHERE user_id = ? AND read = 1 AND created_at < ?
             AND COALESCE(ref, '') NOT IN (SELECT 'approval:' || id FROM (${PENDING_APPROVAL}) a UNION SELECT 'task:' || id FROM (${RUNNING_TASK}) t)
             AND COALESCE(ref, '') NOT IN (SELECT id FROM context_items WHERE user_id = ?)`,
          [userId, cutoff, userId, userId, userId],
        )
      ).changes;
      const messages = (await this.sql.run('DELETE FROM messages WHERE user_id = ? AND created_at < ?', [userId, cutoff])).changes;
      const streamEvents = (
        await this.sql.run(
          `DELETE FROM stream_events WHERE user_id = ? AND ${eventTime} < ?
             AND NOT (type = 'task' AND ${json('payload', 'id')} IN (SELECT id FROM (${RUNNING_TASK}) t))
             AND NOT (type = 'notification' AND ${json('payload', 'id')} IN (SELECT id FROM notifications WHERE user_id = ? AND read = 0))`,
          [userId, cutoff, userId, userId],
        )
      ).changes;
      return { streamEvents, notifications, messages, contextItems };
    });
  }

  /** Removes one context item, its distillation and the notifications (and their stream events) made from it. */
  async forgetItem(userId: string, id: string): Promise<ForgetCounts | undefined> {
    return this.sql.transaction(async () => {
      const { changes: contextItems } = await this.sql.run('DELETE FROM context_items WHERE user_id = ? AND id = ?', [userId, id]);
      if (!contextItems) return undefined;
      return { contextItems, ...(await this.forgetDerived(userId, [id])) };
    });
  }

  /** Removes everything stored from this sender's address (case-insensitive). */
  async forgetSender(userId: string, address: string): Promise<ForgetCounts> {
    return this.sql.transaction(async () => {
      const rows = await this.sql.all<{ id: string }>('SELECT id FROM context_items WHERE user_id = ? AND sender_address = ?', [
        userId,
        address.trim().toLowerCase(),
      ]);
      const ids = rows.map((r) => r.id);
      let contextItems = 0;
      for (const id of ids) contextItems += (await this.sql.run('DELETE FROM context_items WHERE user_id = ? AND id = ?', [userId, id])).changes;
      return { contextItems, ...(await this.forgetDerived(userId, ids)) };
    });
  }

  private async forgetDerived(userId: string, ids: string[]): Promise<Omit<ForgetCounts, 'contextItems'>> {
    let notifications = 0;
    let streamEvents = 0;
    for (const id of ids) {
      streamEvents += (
        await this.sql.run(`DELETE FROM stream_events WHERE user_id = ? AND type = 'notification' AND ${this.d.json('payload', 'ref')} = ?`, [userId, id])
      ).changes;
      notifications += (await this.sql.run('DELETE FROM notifications WHERE user_id = ? AND ref = ?', [userId, id])).changes;
    }
    return { notifications, streamEvents };
  }
}
