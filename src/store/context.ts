// Everything the feeds saw (mail, calendar events, webhook payloads), kept so a workflow can pass an
// ID instead of content, and searchable (SQLite FTS5, or a Postgres tsvector) for "related mail" and
// meeting prep.
import { Distillation, type EmailAddress, RawEmail } from '../shared/feed';
import { CONTEXT_ID_MAX, mailItemId } from '../shared/ids';
import { nowIso } from './db';
import { registerSchema } from './schema';
import type { Sql, SqlValue } from './sql';

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
const INDEXES = `
  CREATE INDEX IF NOT EXISTS context_items_user_time ON context_items(user_id, occurred_at);
  CREATE INDEX IF NOT EXISTS context_items_user_sender ON context_items(user_id, sender_address, occurred_at);
  CREATE INDEX IF NOT EXISTS context_items_user_thread ON context_items(user_id, thread_id, occurred_at);
`;
const INDEXES_AND_TRIGGERS = `${INDEXES}
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
const SQLITE_FTS = `
  CREATE VIRTUAL TABLE IF NOT EXISTS context_fts USING fts5(
    title, sender, body,
    content='context_items', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2'
  );`;

/**
 * Postgres: folds diacritics the way FTS5's remove_diacritics does (decompose, drop the combining
 * marks), with built-in immutable functions only, so no extension is needed. The same expression
 * folds the stored text and the user's words, so "Chloe" finds "Chloé".
 */
const fold = (expr: string) => `regexp_replace(normalize(${expr}, NFD), '[\\u0300-\\u036f]', '', 'g')`;

// 'simple': no stemming and no stop words, like FTS5's unicode61. The generated column follows
// every insert, update and delete by itself; weights A/B/C rank title over sender over body.
const POSTGRES = `
  CREATE TABLE IF NOT EXISTS context_items (
    seq BIGSERIAL PRIMARY KEY,
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
    search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple', ${fold('title')}), 'A') ||
      setweight(to_tsvector('simple', ${fold('sender')}), 'B') ||
      setweight(to_tsvector('simple', ${fold('body')}), 'C')
    ) STORED,
    UNIQUE (user_id, id)
  );
  ${INDEXES}
  CREATE INDEX IF NOT EXISTS context_items_search ON context_items USING GIN (search);
`;

registerSchema({
  name: 'context',
  sqlite: `
  ${TABLE('context_items')}
  ${SQLITE_FTS}
  ${INDEXES_AND_TRIGGERS}
`,
  postgres: POSTGRES,
  upgrade: migrateToPerUserIds,
});

/**
 * Files written before IDs were per user and carried their kind had `id UNIQUE` and mail stored
 * under its bare Message-ID. SQLite cannot change a constraint in place, so the table is rebuilt
 * (inside migrate's transaction), keeping each row's `seq` (the FTS index's rowid) and then
 * rebuilding the index. Postgres tables never had the old shape.
 */
async function migrateToPerUserIds(sql: Sql): Promise<void> {
  if (sql.engine !== 'sqlite') return;
  const ddl = (await sql.get<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'context_items'`))?.sql;
  if (!ddl || /UNIQUE\s*\(\s*user_id\s*,\s*id\s*\)/i.test(ddl)) return;
  await sql.exec(TABLE('context_items_new'));
  // Mail was the only kind stored under its source's bare ID; the others already had a kind prefix.
  await sql.exec(`
    INSERT INTO context_items_new (seq, id, user_id, source, kind, title, sender, sender_address, thread_id, body, data, distillation, created_at, occurred_at)
    SELECT seq, CASE WHEN kind = 'email' AND id NOT LIKE 'mail:%' THEN 'mail:' || id ELSE id END,
           user_id, source, kind, title, sender, sender_address, thread_id, body, data, distillation, created_at, occurred_at
    FROM context_items;
    DROP TABLE context_items;
    ALTER TABLE context_items_new RENAME TO context_items;
  `);
  await sql.exec(SQLITE_FTS);
  await sql.exec(INDEXES_AND_TRIGGERS);
  await sql.exec(`INSERT INTO context_fts(context_fts) VALUES ('rebuild')`);
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

/** Every column but Postgres's tsvector, which nobody reads back. */
const COLUMNS = 'seq, id, user_id, source, kind, title, sender, sender_address, thread_id, body, data, distillation, created_at, occurred_at';
const C_COLUMNS = COLUMNS.split(', ').map((c) => `c.${c}`).join(', ');

/** The searchable words of user text: anything with a letter or digit, at most 32. */
export function searchWords(input: string): string[] {
  return input
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, 32);
}

/**
 * Turns user text into an FTS5 query that cannot be a syntax error or an operator: each word
 * becomes a quoted string, so `"`, `*`, `NEAR(`, `AND`, `-` and `:` are just text.
 * Returns undefined when nothing searchable is left.
 */
export function ftsQuery(input: string, match: 'all' | 'any' = 'all'): string | undefined {
  const terms = searchWords(input).map((t) => `"${t.replace(/"/g, '""')}"`);
  return terms.length ? terms.join(match === 'any' ? ' OR ' : ' ') : undefined;
}

/**
 * The Postgres twin of ftsQuery: each word is a bound parameter made into a phrase (as FTS5 reads a
 * quoted string: `title:budget` is "title" then "budget"), so no user text is ever tsquery syntax.
 */
function tsQuery(words: readonly string[], match: 'all' | 'any' = 'all'): string {
  return words.map(() => `phraseto_tsquery('simple', ${fold('?')})`).join(match === 'any' ? ' || ' : ' && ');
}

type Hit = Row & { snippet: string };

export class ContextStore {
  constructor(private readonly sql: Sql) {}

  /** Stores an item unless the user has one with its ID. */
  async put(userId: string, item: ContextItemInput): Promise<{ inserted: boolean }> {
    if (!item.id || item.id.length > CONTEXT_ID_MAX) throw new Error(`context item id must be 1-${CONTEXT_ID_MAX} characters`);
    const occurred = Date.parse(item.occurredAt);
    if (Number.isNaN(occurred)) throw new Error(`context item ${item.id}: occurredAt is not a date: ${item.occurredAt}`);
    const { text: sender, address } = senderOf(item.sender);
    const { changes } = await this.sql.run(
      `INSERT INTO context_items (id, user_id, source, kind, title, sender, sender_address, thread_id, body, data, created_at, occurred_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(user_id, id) DO NOTHING`,
      [
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
      ],
    );
    return { inserted: changes === 1 };
  }

  /** Stores a parsed email; `getEmail` gives it back whole. */
  async putEmail(userId: string, email: RawEmail): Promise<{ inserted: boolean }> {
    return this.put(userId, emailToContextItem(email));
  }

  async get(userId: string, id: string): Promise<ContextItem | undefined> {
    const row = await this.sql.get<Row>(`SELECT ${COLUMNS} FROM context_items WHERE user_id = ? AND id = ?`, [userId, id]);
    return row && toItem(row);
  }

  /** The RawEmail stored under this ID, for an activity that was handed only the ID. */
  async getEmail(userId: string, id: string): Promise<RawEmail | undefined> {
    const item = await this.get(userId, id);
    if (!item || item.kind !== 'email') return undefined;
    return RawEmail.parse({ ...(item.data as object), text: item.body });
  }

  async search(userId: string, query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const words = searchWords(query);
    if (words.length === 0) return [];
    const filters: string[] = [];
    const filterParams: SqlValue[] = [];
    if (opts.kind) {
      filters.push('c.kind = ?');
      filterParams.push(opts.kind);
    }
    if (opts.sender) filters.push(senderClause(opts.sender, filterParams));
    const and = filters.map((f) => ` AND ${f}`).join('');
    const limit = clampLimit(opts.limit, 10);
    const rows = this.sql.engine === 'postgres' ? await this.searchPostgres(userId, words, opts.match, and, filterParams, limit) : await this.searchSqlite(userId, words, opts.match, and, filterParams, limit);
    return rows.map((r) => ({ ...toItem(r), snippet: r.snippet }));
  }

  private searchSqlite(userId: string, words: string[], match: SearchOptions['match'], and: string, params: SqlValue[], limit: number): Promise<Hit[]> {
    return this.sql.all<Hit>(
      // Title matches weigh most, then sender, then body.
      `SELECT ${C_COLUMNS}, snippet(context_fts, -1, '', '', '…', 16) AS snippet
       FROM context_fts JOIN context_items c ON c.seq = context_fts.rowid
       WHERE context_fts MATCH ? AND c.user_id = ?${and}
       ORDER BY bm25(context_fts, 5.0, 2.0, 1.0), c.occurred_at DESC
       LIMIT ?`,
      [ftsQuery(words.join(' '), match)!, userId, ...params, limit],
    );
  }

  private searchPostgres(userId: string, words: string[], match: SearchOptions['match'], and: string, params: SqlValue[], limit: number): Promise<Hit[]> {
    // Weights {D, C, B, A}: title over sender over body, as bm25's 5:2:1 above. The headline is
    // made for the page of hits only (it re-parses the text), from the body when the body matched.
    return this.sql.all<Hit>(
      `SELECT ${C_COLUMNS},
              CASE WHEN ts_filter(c.search, '{c}') @@ c.q
                   THEN ts_headline('simple', c.body, c.q, 'StartSel="", StopSel="", MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter="…"')
                   WHEN ts_filter(c.search, '{a}') @@ c.q THEN c.title
                   ELSE c.sender END AS snippet
       FROM (SELECT c.*, q.q, ts_rank('{0.1, 0.2, 0.4, 1.0}', c.search, q.q) AS rank
             FROM context_items c, (SELECT ${tsQuery(words, match)} AS q) q
             WHERE c.search @@ q.q AND c.user_id = ?${and}
             ORDER BY rank DESC, c.occurred_at DESC
             LIMIT ?) c
       ORDER BY c.rank DESC, c.occurred_at DESC`,
      [...words, userId, ...params, limit],
    );
  }

  /** Newest first. */
  async recent(userId: string, opts: { limit?: number; kind?: ContextKind } = {}): Promise<ContextItem[]> {
    const rows = await this.sql.all<Row>(
      `SELECT ${COLUMNS} FROM context_items WHERE user_id = ? ${opts.kind ? 'AND kind = ?' : ''}
       ORDER BY occurred_at DESC, seq DESC LIMIT ?`,
      [userId, ...(opts.kind ? [opts.kind] : []), clampLimit(opts.limit, 20)],
    );
    return rows.map(toItem);
  }

  /** Newest first; `address` may be `@domain`. */
  async bySender(userId: string, address: string, limit = 20): Promise<ContextItem[]> {
    const params: SqlValue[] = [userId];
    const clause = senderClause(address, params);
    const rows = await this.sql.all<Row>(
      `SELECT ${C_COLUMNS} FROM context_items c WHERE c.user_id = ? AND ${clause}
       ORDER BY c.occurred_at DESC, c.seq DESC LIMIT ?`,
      [...params, clampLimit(limit, 20)],
    );
    return rows.map(toItem);
  }

  /** The thread, oldest first. */
  async inThread(userId: string, threadId: string, limit = 50): Promise<ContextItem[]> {
    const rows = await this.sql.all<Row>(
      `SELECT * FROM (SELECT ${COLUMNS} FROM context_items WHERE user_id = ? AND thread_id = ? ORDER BY occurred_at DESC, seq DESC LIMIT ?) t
       ORDER BY occurred_at ASC, seq ASC`,
      [userId, threadId, clampLimit(limit, 50)],
    );
    return rows.map(toItem);
  }

  /** How many of the user's items came from these sources. */
  async countBySource(userId: string, sources: readonly string[]): Promise<number> {
    if (sources.length === 0) return 0;
    const row = await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM context_items WHERE user_id = ? AND source IN (${sources.map(() => '?').join(', ')})`, [
      userId,
      ...sources,
    ]);
    return row!.n;
  }

  /** Records (or replaces: a model's refinement may follow the rules') an item's distillation. */
  async saveDistillation(userId: string, id: string, distillation: Distillation): Promise<boolean> {
    const valid = Distillation.parse(distillation);
    const { changes } = await this.sql.run('UPDATE context_items SET distillation = ? WHERE user_id = ? AND id = ?', [JSON.stringify(valid), userId, id]);
    return changes > 0;
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

/** The WHERE clause for an address or `@domain`; appends its parameters to `params`. */
function senderClause(sender: string, params: SqlValue[]): string {
  const s = sender.trim().toLowerCase();
  if (s.startsWith('@')) {
    const domain = s.slice(1).replace(/[\\%_]/g, (c) => `\\${c}`);
    params.push(`%@${domain}`, `%.${domain}`);
    return `(c.sender_address LIKE ? ESCAPE '\\' OR c.sender_address LIKE ? ESCAPE '\\')`;
  }
  params.push(s);
  return 'c.sender_address = ?';
}
