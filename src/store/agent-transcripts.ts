// Agent conversations, kept here so a workflow passes a key and each step's new messages instead
// of the whole conversation at every step (which would make its history grow with the square of
// the steps). Every message has a fixed place (step, position) chosen by the workflow, so a retried
// activity that writes the same place again changes nothing.
import { type Db, nowIso, registerSchema } from './db';

registerSchema(`
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
`);

/** One message at its place; the store does not look inside the message. */
export interface TranscriptEntry<M = unknown> {
  step: number;
  position: number;
  message: M;
}

export class AgentTranscripts {
  constructor(private readonly db: Db) {}

  /** Writes the entries whose places are free, all or none; returns how many were new. */
  append(transcript: string, owner: { userId: string; taskId: string }, entries: TranscriptEntry[]): number {
    const insert = this.db.prepare(
      `INSERT INTO agent_transcripts (transcript, step, position, user_id, task_id, message, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const at = nowIso();
    return this.db.transaction(() =>
      entries.reduce((n, e) => n + insert.run(transcript, e.step, e.position, owner.userId, owner.taskId, JSON.stringify(e.message), at).changes, 0),
    )();
  }

  /** The message at one place, if it was written. */
  at<M>(transcript: string, step: number, position: number): M | undefined {
    const row = this.db.prepare('SELECT message FROM agent_transcripts WHERE transcript = ? AND step = ? AND position = ?').get(transcript, step, position) as
      | { message: string }
      | undefined;
    return row && (JSON.parse(row.message) as M);
  }

  /** The whole conversation, in order. */
  load<M>(transcript: string): M[] {
    const rows = this.db.prepare('SELECT message FROM agent_transcripts WHERE transcript = ? ORDER BY step, position').all(transcript) as { message: string }[];
    return rows.map((r) => JSON.parse(r.message) as M);
  }
}
