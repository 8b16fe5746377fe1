// Approvals as the user sees them. The agent workflow's durable wait is the truth; this is its
// read model, so pending approvals can be listed after a restart of either process.
import type { Approval, ApprovalPreview, ApprovalStatus } from '../shared/approval';
import { Provenance } from '../shared/provenance';
import type { AuditLog } from './audit';
import { type Db, nowIso, registerSchema } from './db';

registerSchema(`
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
`);

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
    private readonly db: Db,
    private readonly audit?: AuditLog,
  ) {
    addProvenanceColumn(db);
  }

  /** Records a pending approval; a second call with the same ID (an activity retry) changes nothing. */
  create(a: NewApproval): Approval {
    return this.db.transaction(() => {
      const existing = this.get(a.id);
      if (existing) return existing;
      this.db
        .prepare(
          `INSERT INTO approvals (id, user_id, task_id, workflow_id, tool, args, preview, status, created_at, expires_at, provenance)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
        )
        .run(
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
        );
      this.audit?.record({
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
      return this.get(a.id)!;
    })();
  }

  /**
   * Moves a pending approval to its final state. Deciding twice keeps the first decision (a retried
   * activity); the returned record is what is stored.
   */
  decide(
    id: string,
    d: {
      status: Exclude<ApprovalStatus, 'pending'>;
      args?: Record<string, unknown>;
      reason?: string;
      /** Who decided, for the audit log; by default the user (approve/reject) or the timer (expired). */
      by?: { actor: string; provenance: Provenance };
    },
  ): Approval | undefined {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE approvals SET status = ?, reason = ?, decided_at = ?, args = COALESCE(?, args)
           WHERE id = ? AND status = 'pending'`,
        )
        .run(d.status, d.reason ?? null, nowIso(), d.args ? JSON.stringify(d.args) : null, id).changes;
      const approval = this.get(id);
      if (changed && approval) {
        const expired = d.status === 'expired';
        this.audit?.record({
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
    })();
  }

  get(id: string): Approval | undefined {
    const row = this.db.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as Row | undefined;
    return row && toApproval(row);
  }

  /** Pending first (oldest first, the one waiting longest on top), then decided ones newest first. */
  list(userId: string, opts: { status?: ApprovalStatus; limit?: number } = {}): Approval[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM approvals WHERE user_id = @userId ${opts.status ? 'AND status = @status' : ''}
         ORDER BY CASE status WHEN 'pending' THEN 0 ELSE 1 END,
                  CASE status WHEN 'pending' THEN created_at END ASC,
                  created_at DESC, rowid DESC
         LIMIT @limit`,
      )
      .all({ userId, status: opts.status ?? null, limit: opts.limit ?? 100 }) as Row[];
    return rows.map(toApproval);
  }

  /** Tools the user lets agents run without asking (opt-in, per tool). */
  autoApproved(userId: string): string[] {
    return (this.db.prepare('SELECT tool FROM auto_approve WHERE user_id = ? ORDER BY tool').all(userId) as { tool: string }[]).map((r) => r.tool);
  }

  isAutoApproved(userId: string, tool: string): boolean {
    return this.db.prepare('SELECT 1 FROM auto_approve WHERE user_id = ? AND tool = ?').get(userId, tool) !== undefined;
  }

  setAutoApproved(userId: string, tools: string[]): string[] {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM auto_approve WHERE user_id = ?').run(userId);
      const insert = this.db.prepare('INSERT OR IGNORE INTO auto_approve (user_id, tool) VALUES (?, ?)');
      for (const t of tools) insert.run(userId, t);
    })();
    return this.autoApproved(userId);
  }
}

/** A database made before approvals kept their provenance gets the column; another process may add it first. */
function addProvenanceColumn(db: Db): void {
  const columns = db.prepare('PRAGMA table_info(approvals)').all() as { name: string }[];
  if (columns.some((c) => c.name === 'provenance')) return;
  try {
    db.exec('ALTER TABLE approvals ADD COLUMN provenance TEXT');
  } catch (err) {
    if (!/duplicate column/i.test((err as Error).message)) throw err;
  }
}
