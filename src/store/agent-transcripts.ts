// Agent conversations, kept here so a workflow passes a key and each step's new messages instead
// of the whole conversation at every step (which would make its history grow with the square of
// the steps). Every message has a fixed place (step, position) chosen by the workflow, so a retried
// activity that writes the same place again changes nothing.
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'agent-transcripts',
  sqlite: `
  CREATE TABLE IF NOT EXISTS agent_transcripts (
    transcript TEXT NOT NULL,
    step INTEGER NOT NULL,
    position INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (transcript, step, position)
  ) WITHOUT ROWID;
`,
  postgres: `
  CREATE TABLE IF NOT EXISTS agent_transcripts (
    transcript TEXT NOT NULL,
    step INTEGER NOT NULL,
    position INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (transcript, step, position)
  );
`,
});

/** One message at its place; the store does not look inside the message. */
export interface TranscriptEntry<M = unknown> {
  step: number;
  position: number;
  message: M;
}

export class AgentTranscripts {
  constructor(private readonly sql: Sql) {}

  /** Writes the entries whose places are free, all or none; returns how many were new. */
  async append(transcript: string, owner: { userId: string; taskId: string }, entries: TranscriptEntry[]): Promise<number> {
    const at = nowIso();
    return this.sql.transaction(async () => {
      let added = 0;
      for (const e of entries) {
        const { changes } = await this.sql.run(
          `INSERT INTO agent_transcripts (transcript, step, position, user_id, task_id, message, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          [transcript, e.step, e.position, owner.userId, owner.taskId, JSON.stringify(e.message), at],
        );
        added += changes;
      }
      return added;
    });
  }

  /** The message at one place, if it was written. */
  async at<M>(transcript: string, step: number, position: number): Promise<M | undefined> {
    const row = await this.sql.get<{ message: string }>('SELECT message FROM agent_transcripts WHERE transcript = ? AND step = ? AND position = ?', [transcript, step, position]);
    return row && (JSON.parse(row.message) as M);
  }

  /** The whole conversation, in order. */
  async load<M>(transcript: string): Promise<M[]> {
    const rows = await this.sql.all<{ message: string }>('SELECT message FROM agent_transcripts WHERE transcript = ? ORDER BY step, position', [transcript]);
    return rows.map((r) => JSON.parse(r.message) as M);
  }
}
