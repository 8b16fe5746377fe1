// Long-term facts about the user that agents `remember` and `recall`; the user sees and deletes
// them through /api/memory. A fact's ID may be derived from the tool call, so a retry adds nothing.
import { randomUUID } from 'node:crypto';
import { type Db, nowIso, registerSchema } from './db';

registerSchema(`
  CREATE TABLE IF NOT EXISTS memory_facts (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS memory_facts_user ON memory_facts(user_id, created_at);
`);

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
  constructor(private readonly db: Db) {}

  add(userId: string, text: string, opts: { id?: string; source?: string } = {}): MemoryFact {
    const clean = text.trim();
    if (!clean) throw new Error('a fact must not be empty');
    if (clean.length > MEMORY_FACT_MAX) throw new Error(`a fact is at most ${MEMORY_FACT_MAX} characters`);
    const id = opts.id ?? randomUUID();
    return this.db.transaction(() => {
      const existing = this.get(userId, id);
      if (existing) return existing;
      // The same sentence twice is one fact.
      const same = this.db.prepare('SELECT * FROM memory_facts WHERE user_id = ? AND text = ?').get(userId, clean) as Row | undefined;
      if (same) return toFact(same);
      this.db
        .prepare('INSERT INTO memory_facts (id, user_id, text, source, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, userId, clean, opts.source ?? 'user', nowIso());
      return this.get(userId, id)!;
    })();
  }

  get(userId: string, id: string): MemoryFact | undefined {
    const row = this.db.prepare('SELECT * FROM memory_facts WHERE user_id = ? AND id = ?').get(userId, id) as Row | undefined;
    return row && toFact(row);
  }

  list(userId: string, limit = 500): MemoryFact[] {
    return (this.db.prepare('SELECT * FROM memory_facts WHERE user_id = ? ORDER BY created_at, rowid LIMIT ?').all(userId, limit) as Row[]).map(toFact);
  }

  /** Facts that share words with the query, most shared words first; all (newest) for an empty query. */
  recall(userId: string, query: string, limit = 20): MemoryFact[] {
    const words = [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2))];
    const facts = this.list(userId, 5000);
    if (!words.length) return facts.slice(-limit).reverse();
    return facts
      .map((f) => ({ f, score: words.filter((w) => f.text.toLowerCase().includes(w)).length }))
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((x) => x.f);
  }

  /** Returns false when the user has no such fact. */
  delete(userId: string, id: string): boolean {
    return this.db.prepare('DELETE FROM memory_facts WHERE user_id = ? AND id = ?').run(userId, id).changes > 0;
  }
}
