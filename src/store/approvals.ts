// Approvals as the user sees them. The agent workflow's durable wait is the truth; this is its
// read model, so pending approvals can be listed after a restart of either process.
import type { Approval, ApprovalPreview, ApprovalStatus } from '../shared/approval';
import { Provenance } from '../shared/provenance';
import type { AuditLog } from './audit';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'approvals',
  sqlite: `
  CREATE TABLE IF NOT EXISTS approvals (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    args TEXT NOT NULL,
    preview TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    decided_at TEXT,
    provenance TEXT
  );
  CREATE INDEX IF NOT EXISTS approvals_user ON approvals(user_id, created_at);
  CREATE TABLE IF NOT EXISTS auto_approve (
    user_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    PRIMARY KEY (user_id, tool)
  );
`,
  // seq stands in for SQLite's rowid: the order of creation when two share a millisecond.
  // tool sorts by code point, as SQLite's BINARY collation does, whatever the database's locale.
  postgres: `
  CREATE TABLE IF NOT EXISTS approvals (
    id TEXT PRIMARY KEY,
    seq BIGSERIAL,
    user_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    args TEXT NOT NULL,
    preview TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    decided_at TEXT,
    provenance TEXT
  );
  CREATE INDEX IF NOT EXISTS approvals_user ON approvals(user_id, created_at);
  CREATE TABLE IF NOT EXISTS auto_approve (
    user_id TEXT NOT NULL,
    tool TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, tool)
  );
`,
  upgrade: addProvenanceColumn,
});

/** The tie-breaker between approvals created in the same millisecond: the order they were inserted. */
const insertionOrder = (sql: Sql) => (sql.engine === 'postgres' ? 'seq' : 'rowid');

interface Row {
  id: string;
  user_id: string;
  task_id: string;
  workflow_id: string;
  tool: string;
  args: string;
  preview: string;
  status: ApprovalStatus;
  reason: string | null;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  provenance: string | null;
}

/** Approvals recorded before provenance was kept did not say where they came from. */
function provenanceFrom(json: string | null): Provenance | undefined {
  if (json === null) return undefined;
  try {
    const parsed = Provenance.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const toApproval = (r: Row): Approval => ({
  id: r.id,
  userId: r.user_id,
  taskId: r.task_id,
  workflowId: r.workflow_id,
  tool: r.tool,
  args: JSON.parse(r.args) as Record<string, unknown>,
  preview: JSON.parse(r.preview) as ApprovalPreview,
  status: r.status,
  ...(r.reason !== null ? { reason: r.reason } : {}),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  ...(r.decided_at ? { decidedAt: r.decided_at } : {}),
  ...(provenanceFrom(r.provenance) ? { provenance: provenanceFrom(r.provenance) } : {}),
});

export type NewApproval = Pick<Approval, 'id' | 'userId' | 'taskId' | 'workflowId' | 'tool' | 'args' | 'preview' | 'expiresAt' | 'provenance'>;

/** Until every approval carries its provenance, one without it counts as untrusted (as `combine()` does). */
function provenanceOf(a: object): Provenance {
  const parsed = Provenance.safeParse((a as { provenance?: unknown }).provenance);
  return parsed.success ? parsed.data : { origin: 'untrusted', sources: [] };
}

export class Approvals {
  constructor(
    private readonly sql: Sql,
    private readonly audit?: AuditLog,
  ) {}

  /** Records a pending approval; a second call with the same ID (an activity retry) changes nothing. */
  async create(a: NewApproval): Promise<Approval> {
    return this.sql.transaction(async () => {
      const existing = await this.get(a.id);
      if (existing) return existing;
      await this.sql.run(
        `INSERT INTO approvals (id, user_id, task_id, workflow_id, tool, args, preview, status, created_at, expires_at, provenance)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING`,
        [
          a.id,
          a.userId,
          a.taskId,
          a.workflowId,
          a.tool,
          JSON.stringify(a.args),
          JSON.stringify(a.preview),
          nowIso(),
          a.expiresAt,
          a.provenance ? JSON.stringify(a.provenance) : null,
        ],
      );
      await this.audit?.record({
        id: `approval:${a.id}:requested`,
        userId: a.userId,
        action: a.tool,
        actor: `task:${a.taskId}`,
        provenance: provenanceOf(a),
        outcome: 'waiting_for_approval',
        detail: a.preview?.summary ?? a.tool,
        approvalId: a.id,
        taskId: a.taskId,
        workflowId: a.workflowId,
      });
      return (await this.get(a.id))!;
    });
  }

  /**
   * Moves a pending approval to its final state. Deciding twice keeps the first decision (a retried
   * activity); the returned record is what is stored.
   */
  async decide(
    id: string,
    d: {
      status: Exclude<ApprovalStatus, 'pending'>;
      args?: Record<string, unknown>;
      reason?: string;
      /** Who decided, for the audit log; by default the user (approve/reject) or the timer (expired). */
      by?: { actor: string; provenance: Provenance };
    },
  ): Promise<Approval | undefined> {
    return this.sql.transaction(async () => {
      const { changes } = await this.sql.run(
        `UPDATE approvals SET status = ?, reason = ?, decided_at = ?, args = COALESCE(?, args)
         WHERE id = ? AND status = 'pending'`,
        [d.status, d.reason ?? null, nowIso(), d.args ? JSON.stringify(d.args) : null, id],
      );
      const approval = await this.get(id);
      if (changes && approval) {
        const expired = d.status === 'expired';
        await this.audit?.record({
          id: `approval:${id}:decided`,
          userId: approval.userId,
          action: approval.tool,
          actor: d.by?.actor ?? (expired ? 'timer' : 'user'),
          provenance: d.by?.provenance ?? (expired ? { origin: 'schedule', sources: [] } : { origin: 'user', sources: [] }),
          outcome: d.status,
          detail: `${approval.preview.summary}${d.reason ? ` (${d.reason})` : ''}`,
          approvalId: id,
          taskId: approval.taskId,
          workflowId: approval.workflowId,
        });
      }
      return approval;
    });
  }

  async get(id: string): Promise<Approval | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM approvals WHERE id = ?', [id]);
    return row && toApproval(row);
  }

  /** Pending first (oldest first, the one waiting longest on top), then decided ones newest first. */
  async list(userId: string, opts: { status?: ApprovalStatus; limit?: number } = {}): Promise<Approval[]> {
    const inserted = insertionOrder(this.sql);
    const rows = await this.sql.all<Row>(
      `SELECT * FROM approvals WHERE user_id = ? ${opts.status ? 'AND status = ?' : ''}
       ORDER BY CASE status WHEN 'pending' THEN 0 ELSE 1 END,
                CASE status WHEN 'pending' THEN created_at END ASC,
                CASE status WHEN 'pending' THEN ${inserted} END ASC,
                created_at DESC, ${inserted} DESC
       LIMIT ?`,
      opts.status ? [userId, opts.status, opts.limit ?? 100] : [userId, opts.limit ?? 100],
    );
    return rows.map(toApproval);
  }

  /** Tools the user lets agents run without asking (opt-in, per tool). */
  async autoApproved(userId: string): Promise<string[]> {
    return (await this.sql.all<{ tool: string }>('SELECT tool FROM auto_approve WHERE user_id = ? ORDER BY tool', [userId])).map((r) => r.tool);
  }

  async isAutoApproved(userId: string, tool: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 FROM auto_approve WHERE user_id = ? AND tool = ?', [userId, tool])) !== undefined;
  }

  async setAutoApproved(userId: string, tools: string[]): Promise<string[]> {
    await this.sql.transaction(async () => {
      await this.sql.run('DELETE FROM auto_approve WHERE user_id = ?', [userId]);
      for (const t of tools) await this.sql.run('INSERT INTO auto_approve (user_id, tool) VALUES (?, ?) ON CONFLICT DO NOTHING', [userId, t]);
    });
    return this.autoApproved(userId);
  }
}

/** A SQLite file made before approvals kept their provenance gets the column (Postgres tables always had it). */
async function addProvenanceColumn(sql: Sql): Promise<void> {
  if (sql.engine !== 'sqlite') return;
  const columns = await sql.all<{ name: string }>('PRAGMA table_info(approvals)');
  // No columns: a new file, whose table the schema script creates with the column.
  if (!columns.length || columns.some((c) => c.name === 'provenance')) return;
  await sql.exec('ALTER TABLE approvals ADD COLUMN provenance TEXT');
}
