// Long-term facts about the user that agents `remember` and `recall`; the user sees and deletes
// them through /api/memory. A fact's ID may be derived from the tool call, so a retry adds nothing.
import { randomUUID } from 'node:crypto';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql } from './sql';

registerSchema({
  name: 'memory',
  sqlite: `
  CREATE TABLE IF NOT EXISTS memory_facts (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS memory_facts_user ON memory_facts(user_id, created_at);
`,
  // seq stands in for SQLite's rowid: the order of facts added in the same millisecond.
  postgres: `
  CREATE TABLE IF NOT EXISTS memory_facts (
    id TEXT PRIMARY KEY,
    seq BIGSERIAL,
    user_id TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS memory_facts_user ON memory_facts(user_id, created_at);
`,
});

const insertionOrder = (sql: Sql) => (sql.engine === 'postgres' ? 'seq' : 'rowid');

export const MEMORY_FACT_MAX = 1000;

export interface MemoryFact {
  id: string;
  text: string;
  source: string;
  createdAt: string;
}

interface Row {
  id: string;
  user_id: string;
  text: string;
  source: string;
  created_at: string;
}
const toFact = (r: Row): MemoryFact => ({ id: r.id, text: r.text, source: r.source, createdAt: r.created_at });

export class Memory {
  constructor(private readonly sql: Sql) {}

  async add(userId: string, text: string, opts: { id?: string; source?: string } = {}): Promise<MemoryFact> {
    const clean = text.trim();
    if (!clean) throw new Error('a fact must not be empty');
    if (clean.length > MEMORY_FACT_MAX) throw new Error(`a fact is at most ${MEMORY_FACT_MAX} characters`);
    const id = opts.id ?? randomUUID();
    return this.sql.transaction(async () => {
      const existing = await this.get(userId, id);
      if (existing) return existing;
      // The same sentence twice is one fact.
      const same = await this.sql.get<Row>('SELECT * FROM memory_facts WHERE user_id = ? AND text = ?', [userId, clean]);
      if (same) return toFact(same);
      await this.sql.run('INSERT INTO memory_facts (id, user_id, text, source, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
        id,
        userId,
        clean,
        opts.source ?? 'user',
        nowIso(),
      ]);
      return (await this.get(userId, id))!;
    });
  }

  async get(userId: string, id: string): Promise<MemoryFact | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM memory_facts WHERE user_id = ? AND id = ?', [userId, id]);
    return row && toFact(row);
  }

  async list(userId: string, limit = 500): Promise<MemoryFact[]> {
    const rows = await this.sql.all<Row>(`SELECT * FROM memory_facts WHERE user_id = ? ORDER BY created_at, ${insertionOrder(this.sql)} LIMIT ?`, [userId, limit]);
    return rows.map(toFact);
  }

  /** Facts that share words with the query, most shared words first; all (newest) for an empty query. */
  async recall(userId: string, query: string, limit = 20): Promise<MemoryFact[]> {
    const words = [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2))];
    const facts = await this.list(userId, 5000);
    if (!words.length) return facts.slice(-limit).reverse();
    return facts
      .map((f) => ({ f, score: words.filter((w) => f.text.toLowerCase().includes(w)).length }))
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((x) => x.f);
  }

  /** Returns false when the user has no such fact. */
  async delete(userId: string, id: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM memory_facts WHERE user_id = ? AND id = ?', [userId, id])).changes > 0;
  }
}
