// The one interface every store module talks to, whichever engine holds the tables.
// SQL is written once with `?` placeholders; the Postgres engine numbers them. Where the engines'
// dialects differ (full-text search, JSON paths, DDL), a module branches on `engine`.
export type Engine = 'sqlite' | 'postgres';

/** What a statement may be bound to. Booleans are stored as 0/1 (SQLite has no boolean type). */
export type SqlValue = string | number | bigint | null | Buffer;

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface Sql {
  readonly engine: Engine;
  all<T = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(text: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** Several statements without parameters (schema scripts). */
  exec(script: string): Promise<void>;
  /**
   * Runs `fn` as one serializable transaction: every statement issued through this Sql while `fn`
   * runs (from any store module, at any depth of async calls) joins it, and all commit or none do.
   * A nested call joins the outer transaction. On Postgres a serialization conflict re-runs `fn`,
   * so `fn` must do nothing but database work.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?` → `$1, $2, …`, leaving quoted strings and identifiers alone. */
export function numberPlaceholders(text: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}
