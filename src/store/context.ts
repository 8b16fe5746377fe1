// Everything the feeds saw (mail, calendar events, webhook payloads), kept so a workflow can pass an
// ID instead of content, and searchable (SQLite FTS5) for "related mail" and meeting prep.
import { Distillation, type EmailAddress, RawEmail } from '../shared/feed';
import { CONTEXT_ID_MAX, mailItemId } from '../shared/ids';
import { type Db, nowIso, registerSchema } from './db';

// `seq` is the rowid the FTS index points at. A TEXT primary key alone would leave the rowid
// implicit, and VACUUM may renumber implicit rowids, silently breaking an external-content index.
// IDs are unique per user: two users who receive the same mail each keep their own copy.
const TABLE = (name: string) => `
  CREATE TABLE IF NOT EXISTS ${name} (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    sender TEXT NOT NULL,
    sender_address TEXT NOT NULL,
    thread_id TEXT,
    body TEXT NOT NULL,
    data TEXT NOT NULL,
    distillation TEXT,
    created_at TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    UNIQUE (user_id, id)
  );`;
const INDEXES_AND_TRIGGERS = `
  CREATE INDEX IF NOT EXISTS context_items_user_time ON context_items(user_id, occurred_at);
  CREATE INDEX IF NOT EXISTS context_items_user_sender ON context_items(user_id, sender_address, occurred_at);
  CREATE INDEX IF NOT EXISTS context_items_user_thread ON context_items(user_id, thread_id, occurred_at);
  CREATE TRIGGER IF NOT EXISTS context_items_fts_insert AFTER INSERT ON context_items BEGIN
    INSERT INTO context_fts(rowid, title, sender, body) VALUES (new.seq, new.title, new.sender, new.body);
  END;
  CREATE TRIGGER IF NOT EXISTS context_items_fts_delete AFTER DELETE ON context_items BEGIN
    INSERT INTO context_fts(context_fts, rowid, title, sender, body) VALUES ('delete', old.seq, old.title, old.sender, old.body);
  END;
  CREATE TRIGGER IF NOT EXISTS context_items_fts_update AFTER UPDATE OF title, sender, body ON context_items BEGIN
    INSERT INTO context_fts(context_fts, rowid, title, sender, body) VALUES ('delete', old.seq, old.title, old.sender, old.body);
    INSERT INTO context_fts(rowid, title, sender, body) VALUES (new.seq, new.title, new.sender, new.body);
  END;
`;
registerSchema(`
  ${TABLE('context_items')}
  CREATE VIRTUAL TABLE IF NOT EXISTS context_fts USING fts5(
    title, sender, body,
    content='context_items', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2'
  );
  ${INDEXES_AND_TRIGGERS}
`);

/**
 * Files written before IDs were per user and carried their kind had `id UNIQUE` and mail stored
 * under its bare Message-ID. SQLite cannot change a constraint in place, so the table is rebuilt in
 * one transaction, keeping each row's `seq` (the FTS index's rowid) and then rebuilding the index.
 */
function migrateToPerUserIds(db: Db): void {
  const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'context_items'`).get() as { sql: string } | undefined)?.sql;
  if (!sql || /UNIQUE\s*\(\s*user_id\s*,\s*id\s*\)/i.test(sql)) return;
  db.transaction(() => {
    db.exec(TABLE('context_items_new'));
    // Mail was the only kind stored under its source's bare ID; the others already had a kind prefix.
    db.exec(`
      INSERT INTO context_items_new (seq, id, user_id, source, kind, title, sender, sender_address, thread_id, body, data, distillation, created_at, occurred_at)
      SELECT seq, CASE WHEN kind = 'email' AND id NOT LIKE 'mail:%' THEN 'mail:' || id ELSE id END,
             user_id, source, kind, title, sender, sender_address, thread_id, body, data, distillation, created_at, occurred_at
      FROM context_items;
      DROP TABLE context_items;
      ALTER TABLE context_items_new RENAME TO context_items;
    `);
    db.exec(INDEXES_AND_TRIGGERS);
    db.exec(`INSERT INTO context_fts(context_fts) VALUES ('rebuild')`);
  })();
}

export const CONTEXT_KINDS = ['email', 'event', 'webhook', 'note'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

/** Longest body stored; mail is already cut to 20k, this bounds webhook payloads. */
const MAX_BODY = 100_000;
const MAX_LIMIT = 200;

export interface ContextItemInput {
  /** Stable and unique per user, built in shared/ids.ts: a second put with it changes nothing. */
  id: string;
  source: string;
  kind: ContextKind;
  title: string;
  /** A person as text ("Dana <dana@acme.example>") or as an address object. */
  sender?: string | EmailAddress;
  threadId?: string;
  body?: string;
  /** Any JSON-serialisable structure the kind needs (recipients, labels, event times...). */
  data?: unknown;
  /** When it happened (email date, event start); any ISO 8601 form, stored as UTC. */
  occurredAt: string;
}

export interface ContextItem {
  id: string;
  userId: string;
  source: string;
  kind: ContextKind;
  title: string;
  sender: string;
  senderAddress?: string;
  threadId?: string;
  body: string;
  data: unknown;
  distillation?: Distillation;
  createdAt: string;
  occurredAt: string;
}

export interface SearchHit extends ContextItem {
  /** A short extract around the match, plain text. */
  snippet: string;
}

export interface SearchOptions {
  limit?: number;
  /** An address, or `@domain` for everyone there. */
  sender?: string;
  kind?: ContextKind;
  /** `all` (default): every word must occur; `any`: best matches for any word, ranked. */
  match?: 'all' | 'any';
}

interface Row {
  seq: number;
  id: string;
  user_id: string;
  source: string;
  kind: ContextKind;
  title: string;
  sender: string;
  sender_address: string;
  thread_id: string | null;
  body: string;
  data: string;
  distillation: string | null;
  created_at: string;
  occurred_at: string;
}

const toItem = (r: Row): ContextItem => ({
  id: r.id,
  userId: r.user_id,
  source: r.source,
  kind: r.kind,
  title: r.title,
  sender: r.sender,
  ...(r.sender_address ? { senderAddress: r.sender_address } : {}),
  ...(r.thread_id ? { threadId: r.thread_id } : {}),
  body: r.body,
  data: JSON.parse(r.data) as unknown,
  ...(r.distillation ? { distillation: JSON.parse(r.distillation) as Distillation } : {}),
  createdAt: r.created_at,
  occurredAt: r.occurred_at,
});

const clampLimit = (n: number | undefined, fallback: number) => Math.max(1, Math.min(MAX_LIMIT, Math.floor(n ?? fallback)));

/**
 * Turns user text into an FTS5 query that cannot be a syntax error or an operator: each word
 * becomes a quoted string, so `"`, `*`, `NEAR(`, `AND`, `-` and `:` are just text.
 * Returns undefined when nothing searchable is left.
 */
export function ftsQuery(input: string, match: 'all' | 'any' = 'all'): string | undefined {
  const terms = input
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, 32)
    .map((t) => `"${t.replace(/"/g, '""')}"`);
  return terms.length ? terms.join(match === 'any' ? ' OR ' : ' ') : undefined;
}

export class ContextStore {
  constructor(private readonly db: Db) {
    migrateToPerUserIds(db);
  }

  /** Stores an item unless the user has one with its ID. */
  put(userId: string, item: ContextItemInput): { inserted: boolean } {
    if (!item.id || item.id.length > CONTEXT_ID_MAX) throw new Error(`context item id must be 1-${CONTEXT_ID_MAX} characters`);
    const occurred = Date.parse(item.occurredAt);
    if (Number.isNaN(occurred)) throw new Error(`context item ${item.id}: occurredAt is not a date: ${item.occurredAt}`);
    const { text: sender, address } = senderOf(item.sender);
    const changes = this.db
      .prepare(
        `INSERT INTO context_items (id, user_id, source, kind, title, sender, sender_address, thread_id, body, data, created_at, occurred_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(user_id, id) DO NOTHING`,
      )
      .run(
        item.id,
        userId,
        item.source,
        item.kind,
        item.title.slice(0, 2000),
        sender,
        address,
        item.threadId ?? null,
        (item.body ?? '').slice(0, MAX_BODY),
        JSON.stringify(item.data ?? {}),
        nowIso(),
        new Date(occurred).toISOString(),
      ).changes;
    return { inserted: changes === 1 };
  }

  /** Stores a parsed email; `getEmail` gives it back whole. */
  putEmail(userId: string, email: RawEmail): { inserted: boolean } {
    return this.put(userId, emailToContextItem(email));
  }

  get(userId: string, id: string): ContextItem | undefined {
    const row = this.db.prepare('SELECT * FROM context_items WHERE user_id = ? AND id = ?').get(userId, id) as Row | undefined;
    return row && toItem(row);
  }

  /** The RawEmail stored under this ID, for an activity that was handed only the ID. */
  getEmail(userId: string, id: string): RawEmail | undefined {
    const item = this.get(userId, id);
    if (!item || item.kind !== 'email') return undefined;
    return RawEmail.parse({ ...(item.data as object), text: item.body });
  }

  search(userId: string, query: string, opts: SearchOptions = {}): SearchHit[] {
    const match = ftsQuery(query, opts.match);
    if (!match) return [];
    const where = ['context_fts MATCH @match', 'c.user_id = @userId'];
    const params: Record<string, unknown> = { match, userId, limit: clampLimit(opts.limit, 10) };
    if (opts.kind) {
      where.push('c.kind = @kind');
      params.kind = opts.kind;
    }
    if (opts.sender) {
      where.push(senderClause(opts.sender, params));
    }
    const rows = this.db
      .prepare(
        // Title matches weigh most, then sender, then body.
        `SELECT c.*, snippet(context_fts, -1, '', '', '…', 16) AS snippet
         FROM context_fts JOIN context_items c ON c.seq = context_fts.rowid
         WHERE ${where.join(' AND ')}
         ORDER BY bm25(context_fts, 5.0, 2.0, 1.0), c.occurred_at DESC
         LIMIT @limit`,
      )
      .all(params) as (Row & { snippet: string })[];
    return rows.map((r) => ({ ...toItem(r), snippet: r.snippet }));
  }

  /** Newest first. */
  recent(userId: string, opts: { limit?: number; kind?: ContextKind } = {}): ContextItem[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM context_items WHERE user_id = @userId ${opts.kind ? 'AND kind = @kind' : ''}
         ORDER BY occurred_at DESC, seq DESC LIMIT @limit`,
      )
      .all({ userId, kind: opts.kind ?? null, limit: clampLimit(opts.limit, 20) }) as Row[];
    return rows.map(toItem);
  }

  /** Newest first; `address` may be `@domain`. */
  bySender(userId: string, address: string, limit = 20): ContextItem[] {
    const params: Record<string, unknown> = { userId, limit: clampLimit(limit, 20) };
    const rows = this.db
      .prepare(
        `SELECT c.* FROM context_items c WHERE c.user_id = @userId AND ${senderClause(address, params)}
         ORDER BY c.occurred_at DESC, c.seq DESC LIMIT @limit`,
      )
      .all(params) as Row[];
    return rows.map(toItem);
  }

  /** The thread, oldest first. */
  inThread(userId: string, threadId: string, limit = 50): ContextItem[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM (SELECT * FROM context_items WHERE user_id = ? AND thread_id = ? ORDER BY occurred_at DESC, seq DESC LIMIT ?)
         ORDER BY occurred_at ASC, seq ASC`,
      )
      .all(userId, threadId, clampLimit(limit, 50)) as Row[];
    return rows.map(toItem);
  }

  /** How many of the user's items came from these sources. */
  countBySource(userId: string, sources: readonly string[]): number {
    if (sources.length === 0) return 0;
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n FROM context_items WHERE user_id = ? AND source IN (${sources.map(() => '?').join(', ')})`)
      .get(userId, ...sources) as { n: number };
    return row.n;
  }

  /** Records (or replaces: a model's refinement may follow the rules') an item's distillation. */
  saveDistillation(userId: string, id: string, distillation: Distillation): boolean {
    const valid = Distillation.parse(distillation);
    return this.db.prepare('UPDATE context_items SET distillation = ? WHERE user_id = ? AND id = ?').run(JSON.stringify(valid), userId, id).changes > 0;
  }
}

/** Maps an email onto a context item (`mail:<Message-ID>`); the rest of the RawEmail rides in `data`. */
export function emailToContextItem(email: RawEmail): ContextItemInput {
  const { text, ...rest } = email;
  return {
    id: mailItemId(email.id),
    source: email.source,
    kind: 'email',
    title: email.subject,
    sender: email.from,
    ...(email.threadId ? { threadId: email.threadId } : {}),
    body: text,
    data: rest,
    occurredAt: email.date,
  };
}

function senderOf(sender: ContextItemInput['sender']): { text: string; address: string } {
  if (sender === undefined) return { text: '', address: '' };
  if (typeof sender !== 'string') {
    const address = sender.address.trim().toLowerCase();
    return { text: sender.name ? `${sender.name} <${address}>` : address, address };
  }
  const inBrackets = sender.match(/<([^<>\s]+@[^<>\s]+)>/)?.[1];
  const bare = /^[^\s<>@]+@[^\s<>@]+$/.test(sender.trim()) ? sender.trim() : undefined;
  return { text: sender.trim(), address: (inBrackets ?? bare ?? '').toLowerCase() };
}

function senderClause(sender: string, params: Record<string, unknown>): string {
  const s = sender.trim().toLowerCase();
  if (s.startsWith('@')) {
    const domain = s.slice(1).replace(/[\\%_]/g, (c) => `\\${c}`);
    params.senderDomain = `%@${domain}`;
    params.senderSubdomain = `%.${domain}`;
    return `(c.sender_address LIKE @senderDomain ESCAPE '\\' OR c.sender_address LIKE @senderSubdomain ESCAPE '\\')`;
  }
  params.sender = s;
  return 'c.sender_address = @sender';
}
