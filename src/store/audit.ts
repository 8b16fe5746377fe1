// The audit log: every action taken or refused, who or what asked, where it came from and how it
// ended. Writers derive each entry's ID from the workflow and call, so a retried activity or a
// repeated request records nothing twice (ON CONFLICT DO NOTHING on the unique ID).
import type { AuditEntry, AuditEntryInput, AuditOutcome } from '../shared/audit';
import type { Provenance } from '../shared/provenance';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'audit',
  sqlite: `
  CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    provenance TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    approval_id TEXT,
    task_id TEXT,
    workflow_id TEXT,
    run_id TEXT
  );
  CREATE INDEX IF NOT EXISTS audit_user ON audit_log(user_id, seq);
  CREATE INDEX IF NOT EXISTS audit_task ON audit_log(user_id, task_id);
  CREATE INDEX IF NOT EXISTS audit_approval ON audit_log(user_id, approval_id);
`,
  postgres: `
  CREATE TABLE IF NOT EXISTS audit_log (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    provenance TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    approval_id TEXT,
    task_id TEXT,
    workflow_id TEXT,
    run_id TEXT
  );
  CREATE INDEX IF NOT EXISTS audit_user ON audit_log(user_id, seq);
  CREATE INDEX IF NOT EXISTS audit_task ON audit_log(user_id, task_id);
  CREATE INDEX IF NOT EXISTS audit_approval ON audit_log(user_id, approval_id);
`,
});

/** Entries one of whose untrusted sources carries the ref; provenance is JSON text on both engines. */
const BY_SOURCE_REF = {
  sqlite: `SELECT audit_log.* FROM audit_log, json_each(audit_log.provenance, '$.sources') AS s
           WHERE audit_log.user_id = ? AND json_extract(s.value, '$.ref') = ? ORDER BY seq DESC LIMIT 1`,
  postgres: `SELECT audit_log.* FROM audit_log, jsonb_array_elements(COALESCE(audit_log.provenance::jsonb -> 'sources', '[]'::jsonb)) AS s
             WHERE audit_log.user_id = ? AND s.value ->> 'ref' = ? ORDER BY seq DESC LIMIT 1`,
} as const;

interface Row {
  seq: number;
  id: string;
  user_id: string;
  at: string;
  action: string;
  actor: string;
  provenance: string;
  outcome: AuditOutcome;
  detail: string;
  approval_id: string | null;
  task_id: string | null;
  workflow_id: string | null;
  run_id: string | null;
}

const toEntry = (r: Row): AuditEntry => ({
  seq: r.seq,
  id: r.id,
  userId: r.user_id,
  at: r.at,
  action: r.action,
  actor: r.actor,
  provenance: JSON.parse(r.provenance) as Provenance,
  outcome: r.outcome,
  detail: r.detail,
  ...(r.approval_id ? { approvalId: r.approval_id } : {}),
  ...(r.task_id ? { taskId: r.task_id } : {}),
  ...(r.workflow_id ? { workflowId: r.workflow_id } : {}),
  ...(r.run_id ? { runId: r.run_id } : {}),
});

export const AUDIT_PAGE_MAX = 200;

export class AuditLog {
  constructor(private readonly sql: Sql) {}

  /** Records an entry once; a second write with the same ID keeps the first. */
  async record(e: AuditEntryInput): Promise<AuditEntry> {
    await this.sql.run(
      `INSERT INTO audit_log (id, user_id, at, action, actor, provenance, outcome, detail, approval_id, task_id, workflow_id, run_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        e.id,
        e.userId,
        nowIso(),
        e.action,
        e.actor,
        JSON.stringify(e.provenance),
        e.outcome,
        e.detail.slice(0, 2000),
        e.approvalId ?? null,
        e.taskId ?? null,
        e.workflowId ?? null,
        e.runId ?? null,
      ],
    );
    return (await this.byId(e.id))!;
  }

  /** Newest first; `before` is the `seq` of the last entry of the previous page. */
  async list(userId: string, opts: { before?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), AUDIT_PAGE_MAX);
    const rows = await this.sql.all<Row>(
      `SELECT * FROM audit_log WHERE user_id = ? ${opts.before !== undefined ? 'AND seq < ?' : ''} ORDER BY seq DESC LIMIT ?`,
      opts.before !== undefined ? [userId, opts.before, limit] : [userId, limit],
    );
    return rows.map(toEntry);
  }

  async get(userId: string, id: string): Promise<AuditEntry | undefined> {
    const e = await this.byId(id);
    return e && e.userId === userId ? e : undefined;
  }

  /**
   * The newest entry about what a notification or task points at: `task:<id>`, `approval:<id>`, a
   * bare task ID, or an untrusted source's ref (e.g. `mail:<Message-ID>`) that led to an action.
   */
  async byRef(userId: string, ref: string): Promise<AuditEntry | undefined> {
    const [kind, ...rest] = ref.split(':');
    const value = rest.join(':');
    let row: Row | undefined;
    if (kind === 'approval' && value) {
      row = await this.sql.get<Row>('SELECT * FROM audit_log WHERE user_id = ? AND approval_id = ? ORDER BY seq DESC LIMIT 1', [userId, value]);
    } else if (kind === 'task' && value) {
      row = await this.sql.get<Row>('SELECT * FROM audit_log WHERE user_id = ? AND task_id = ? ORDER BY seq DESC LIMIT 1', [userId, value]);
    }
    row ??= await this.sql.get<Row>('SELECT * FROM audit_log WHERE user_id = ? AND task_id = ? ORDER BY seq DESC LIMIT 1', [userId, ref]);
    row ??= await this.sql.get<Row>(BY_SOURCE_REF[this.sql.engine], [userId, ref]);
    return row && toEntry(row);
  }

  private async byId(id: string): Promise<AuditEntry | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM audit_log WHERE id = ?', [id]);
    return row && toEntry(row);
  }
}
