// Tool calls as the user sees them. The workflow is the truth; this is its read model,
// written by activities at start and finish (upserts, so retries are harmless).
import type { TaskRecord, TaskStatus } from '../shared/types';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';
import type { StreamLog } from './stream';

registerSchema({
  name: 'tasks',
  sqlite: `
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
  `,
  // rowid spells out SQLite's implicit insertion order, so one ORDER BY breaks ties on both engines.
  postgres: `
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
      finished_at TEXT,
      rowid BIGSERIAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS tasks_user ON tasks(user_id, started_at);
  `,
});

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
    private readonly sql: Sql,
    private readonly stream: StreamLog,
  ) {}

  /** Records a started task; a second call for the same ID changes nothing. */
  async start(t: { id: string; userId: string; tool: string; title: string; workflowId?: string }): Promise<TaskRecord> {
    return this.sql.transaction(async () => {
      // ON CONFLICT rather than read-then-insert: two concurrent retries must not both insert.
      const { changes } = await this.sql.run(
        `INSERT INTO tasks (id, user_id, tool, title, status, workflow_id, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
        [t.id, t.userId, t.tool, t.title, 'running', t.workflowId ?? null, nowIso()],
      );
      const stored = (await this.get(t.id))!;
      if (changes) await this.stream.append(t.userId, { type: 'task', data: stored });
      return stored;
    });
  }

  async progress(id: string, progress: string): Promise<void> {
    await this.sql.transaction(async () => {
      const { changes } = await this.sql.run("UPDATE tasks SET progress = ? WHERE id = ? AND status = 'running'", [progress, id]);
      const t = changes ? await this.get(id) : undefined;
      if (t) await this.stream.append(t.userId, { type: 'task', data: t });
    });
  }

  /** Finishes a running task; finishing twice keeps the first outcome. */
  async finish(id: string, status: Exclude<TaskStatus, 'running'>, result: string): Promise<TaskRecord | undefined> {
    return this.sql.transaction(async () => {
      const { changes } = await this.sql.run(
        "UPDATE tasks SET status = ?, result = ?, finished_at = ? WHERE id = ? AND status = 'running'",
        [status, result, nowIso(), id],
      );
      const t = await this.get(id);
      if (changes && t) await this.stream.append(t.userId, { type: 'task', data: t });
      return t;
    });
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM tasks WHERE id = ?', [id]);
    return row && toTask(row);
  }

  async list(userId: string, opts: { status?: TaskStatus; limit?: number } = {}): Promise<TaskRecord[]> {
    const rows = await this.sql.all<Row>(
      `SELECT * FROM tasks WHERE user_id = ? ${opts.status ? 'AND status = ?' : ''}
       ORDER BY started_at DESC, rowid DESC LIMIT ?`,
      [userId, ...(opts.status ? [opts.status] : []), opts.limit ?? 100],
    );
    return rows.map(toTask);
  }
}
