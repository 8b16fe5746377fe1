// The user's feedback rules: each "not important" / "always tell me" answer, editable in Settings.
// One rule per (scope, value): answering again about the same sender changes its effect.
import { randomUUID } from 'node:crypto';
import { type FeedbackRule, FeedbackRuleInput } from '../shared/feed';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'rules',
  sqlite: `
  CREATE TABLE IF NOT EXISTS feedback_rules (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    value TEXT NOT NULL,
    effect TEXT NOT NULL,
    notification_id TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, scope, value)
  );
`,
  // `seq` stands in for SQLite's rowid: the order rules were first made, for ties in updated_at.
  postgres: `
  CREATE TABLE IF NOT EXISTS feedback_rules (
    id TEXT PRIMARY KEY,
    seq BIGSERIAL NOT NULL,
    user_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    value TEXT NOT NULL,
    effect TEXT NOT NULL,
    notification_id TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, scope, value)
  );
`,
});

interface Row {
  id: string;
  scope: FeedbackRule['scope'];
  value: string;
  effect: FeedbackRule['effect'];
  notification_id: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

const toRule = (r: Row): FeedbackRule => ({
  id: r.id,
  scope: r.scope,
  value: r.value,
  effect: r.effect,
  ...(r.notification_id ? { notificationId: r.notification_id } : {}),
  ...(r.note ? { note: r.note } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Ties in updated_at go to the rule made last: SQLite's rowid, or its stand-in on Postgres. */
const insertionOrder = (sql: Sql) => (sql.engine === 'sqlite' ? 'rowid' : 'seq');

/** Enough for every rule a person makes by hand; the prompt shows only the latest few. */
const MAX_RULES = 1000;

export class Rules {
  constructor(private readonly sql: Sql) {}

  /** Newest change first. */
  async list(userId: string, limit = MAX_RULES): Promise<FeedbackRule[]> {
    const rows = await this.sql.all<Row>(`SELECT * FROM feedback_rules WHERE user_id = ? ORDER BY updated_at DESC, ${insertionOrder(this.sql)} DESC LIMIT ?`, [userId, limit]);
    return rows.map(toRule);
  }

  async get(userId: string, id: string): Promise<FeedbackRule | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM feedback_rules WHERE user_id = ? AND id = ?', [userId, id]);
    return row && toRule(row);
  }

  /** Creates the rule, or changes the effect and note of the one with the same scope and value. Throws a ZodError on bad input. */
  async upsert(userId: string, input: FeedbackRuleInput, notificationId?: string): Promise<FeedbackRule> {
    const r = FeedbackRuleInput.parse(input);
    const now = nowIso();
    // RETURNING hands back the row as it is after the insert or the update, in one statement.
    const row = await this.sql.get<Row>(
      `INSERT INTO feedback_rules (id, user_id, scope, value, effect, notification_id, note, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(user_id, scope, value) DO UPDATE SET effect = excluded.effect,
         notification_id = COALESCE(excluded.notification_id, feedback_rules.notification_id), note = COALESCE(excluded.note, feedback_rules.note), updated_at = excluded.updated_at
       RETURNING *`,
      [randomUUID(), userId, r.scope, r.value, r.effect, notificationId ?? null, r.note ?? null, now, now],
    );
    return toRule(row!);
  }

  /** Replaces a rule's scope, value, effect and note; undefined when it is not the user's. Throws a ZodError on bad input. */
  async update(userId: string, id: string, input: FeedbackRuleInput): Promise<FeedbackRule | undefined> {
    const r = FeedbackRuleInput.parse(input);
    const { changes } = await this.sql.run('UPDATE feedback_rules SET scope = ?, value = ?, effect = ?, note = ?, updated_at = ? WHERE user_id = ? AND id = ?', [
      r.scope,
      r.value,
      r.effect,
      r.note ?? null,
      nowIso(),
      userId,
      id,
    ]);
    return changes ? this.get(userId, id) : undefined;
  }

  async delete(userId: string, id: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM feedback_rules WHERE user_id = ? AND id = ?', [userId, id])).changes > 0;
  }
}
