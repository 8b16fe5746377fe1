// Tool calls as the user sees them. The workflow is the truth; this is its read model,
// written by activities at start and finish (upserts, so retries are harmless).
import type { TaskRecord, TaskStatus } from '../shared/types';
import { type Db, nowIso, registerSchema } from './db';
import type { StreamLog } from './stream';

registerSchema(`
  CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    workflow_id TEXT,
    result TEXT,
    progress TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX IF NOT EXISTS tasks_user ON tasks(user_id, started_at);
`);

interface Row {
  id: string;
  user_id: string;
  tool: string;
  title: string;
  status: TaskStatus;
  workflow_id: string | null;
  result: string | null;
  progress: string | null;
  started_at: string;
  finished_at: string | null;
}
const toTask = (r: Row): TaskRecord => ({
  id: r.id,
  userId: r.user_id,
  tool: r.tool,
  title: r.title,
  status: r.status,
  ...(r.workflow_id ? { workflowId: r.workflow_id } : {}),
  ...(r.result !== null ? { result: r.result } : {}),
  ...(r.progress !== null ? { progress: r.progress } : {}),
  startedAt: r.started_at,
  ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
});

export class Tasks {
  constructor(
    private readonly db: Db,
    private readonly stream: StreamLog,
  ) {}

  /** Records a started task; a second call for the same ID changes nothing. */
  start(t: { id: string; userId: string; tool: string; title: string; workflowId?: string }): TaskRecord {
    return this.db.transaction(() => {
      const existing = this.get(t.id);
      if (existing) return existing;
      this.db
        .prepare('INSERT INTO tasks (id, user_id, tool, title, status, workflow_id, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(t.id, t.userId, t.tool, t.title, 'running', t.workflowId ?? null, nowIso());
      const stored = this.get(t.id)!;
      this.stream.append(t.userId, { type: 'task', data: stored });
      return stored;
    })();
  }

  progress(id: string, progress: string): void {
    this.db.transaction(() => {
      const changed = this.db.prepare("UPDATE tasks SET progress = ? WHERE id = ? AND status = 'running'").run(progress, id).changes;
      const t = changed ? this.get(id) : undefined;
      if (t) this.stream.append(t.userId, { type: 'task', data: t });
    })();
  }

  /** Finishes a running task; finishing twice keeps the first outcome. */
  finish(id: string, status: Exclude<TaskStatus, 'running'>, result: string): TaskRecord | undefined {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare("UPDATE tasks SET status = ?, result = ?, finished_at = ? WHERE id = ? AND status = 'running'")
        .run(status, result, nowIso(), id).changes;
      const t = this.get(id);
      if (changed && t) this.stream.append(t.userId, { type: 'task', data: t });
      return t;
    })();
  }

  get(id: string): TaskRecord | undefined {
    const row = this.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as Row | undefined;
    return row && toTask(row);
  }

  list(userId: string, opts: { status?: TaskStatus; limit?: number } = {}): TaskRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM tasks WHERE user_id = @userId ${opts.status ? 'AND status = @status' : ''}
         ORDER BY started_at DESC, rowid DESC LIMIT @limit`,
      )
      .all({ userId, status: opts.status ?? null, limit: opts.limit ?? 100 }) as Row[];
    return rows.map(toTask);
  }
}
