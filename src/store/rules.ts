// The user's feedback rules: each "not important" / "always tell me" answer, editable in Settings.
// One rule per (scope, value): answering again about the same sender changes its effect.
import { randomUUID } from 'node:crypto';
import { type FeedbackRule, FeedbackRuleInput } from '../shared/feed';
import { type Db, nowIso, registerSchema } from './db';

registerSchema(`
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
`);

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

/** Enough for every rule a person makes by hand; the prompt shows only the latest few. */
const MAX_RULES = 1000;

export class Rules {
  constructor(private readonly db: Db) {}

  /** Newest change first. */
  list(userId: string, limit = MAX_RULES): FeedbackRule[] {
    const rows = this.db.prepare('SELECT * FROM feedback_rules WHERE user_id = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?').all(userId, limit) as Row[];
    return rows.map(toRule);
  }

  get(userId: string, id: string): FeedbackRule | undefined {
    const row = this.db.prepare('SELECT * FROM feedback_rules WHERE user_id = ? AND id = ?').get(userId, id) as Row | undefined;
    return row && toRule(row);
  }

  /** Creates the rule, or changes the effect and note of the one with the same scope and value. Throws a ZodError on bad input. */
  upsert(userId: string, input: FeedbackRuleInput, notificationId?: string): FeedbackRule {
    const r = FeedbackRuleInput.parse(input);
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO feedback_rules (id, user_id, scope, value, effect, notification_id, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(user_id, scope, value) DO UPDATE SET effect = excluded.effect,
           notification_id = COALESCE(excluded.notification_id, notification_id), note = COALESCE(excluded.note, note), updated_at = excluded.updated_at`,
      )
      .run(randomUUID(), userId, r.scope, r.value, r.effect, notificationId ?? null, r.note ?? null, now, now);
    const row = this.db.prepare('SELECT * FROM feedback_rules WHERE user_id = ? AND scope = ? AND value = ?').get(userId, r.scope, r.value) as Row;
    return toRule(row);
  }

  /** Replaces a rule's scope, value, effect and note; undefined when it is not the user's. Throws a ZodError on bad input. */
  update(userId: string, id: string, input: FeedbackRuleInput): FeedbackRule | undefined {
    const r = FeedbackRuleInput.parse(input);
    const changed = this.db
      .prepare('UPDATE feedback_rules SET scope = ?, value = ?, effect = ?, note = ?, updated_at = ? WHERE user_id = ? AND id = ?')
      .run(r.scope, r.value, r.effect, r.note ?? null, nowIso(), userId, id).changes;
    return changed ? this.get(userId, id) : undefined;
  }

  delete(userId: string, id: string): boolean {
    return this.db.prepare('DELETE FROM feedback_rules WHERE user_id = ? AND id = ?').run(userId, id).changes > 0;
  }
}
