// The read model. Activities write it; the server reads it. Each module registers its tables for
// both engines; openStore picks the engine (SQLite in the data directory, or PostgreSQL), runs the
// migrations, and wires every module to the one Sql.
import type { Config } from '../config';
import { AgentTranscripts } from './agent-transcripts';
import { Approvals } from './approvals';
import { AuditLog } from './audit';
import { ContextStore } from './context';
import { FollowUps } from './follow-ups';
// Built by the feeds that use them, not here; imported so `migrate` creates their tables.
import './gmail-cursor';
import './imap-cursor';
import './source-status';
import { Memory } from './memory';
import { ModelHealth } from './model-health';
import { Notifications } from './notifications';
import { openPostgres } from './postgres';
import { ProfileStore } from './profile';
import { Retention } from './retention';
import { Rules } from './rules';
import { migrate } from './schema';
import { Sessions } from './sessions';
import { SettingsStore } from './settings';
import { SideEffects } from './side-effects';
import type { Sql } from './sql';
import { openSqlite, type SqliteOptions } from './sqlite';
import { StreamLog } from './stream';
import { Tasks } from './tasks';
import { Transcript } from './transcript';
import { Users } from './users';

export interface Store {
  /** The engine every store module talks to; `transaction` groups writes across modules. */
  sql: Sql;
  stream: StreamLog;
  transcript: Transcript;
  notifications: Notifications;
  tasks: Tasks;
  context: ContextStore;
  settings: SettingsStore;
  profile: ProfileStore;
  rules: Rules;
  approvals: Approvals;
  memory: Memory;
  modelHealth: ModelHealth;
  sideEffects: SideEffects;
  agentTranscripts: AgentTranscripts;
  sessions: Sessions;
  users: Users;
  retention: Retention;
  followUps: FollowUps;
  audit: AuditLog;
  close(): Promise<void>;
}

export interface StoreOptions extends SqliteOptions {
  /** postgres://…: every table in PostgreSQL; the data directory then holds no store. */
  databaseUrl?: string;
  /** Connections this process keeps to PostgreSQL. */
  pool?: number;
}

/** The store the configuration names: PostgreSQL when PAPRIKA_DATABASE_URL is set, else SQLite in the data directory. */
export function openStoreFor(config: Config): Promise<Store> {
  return openStore(config.dataDir, { sync: config.security.sqliteSync, databaseUrl: config.database.url, pool: config.database.pool });
}

export async function openStore(dataDir: string, options: StoreOptions = {}): Promise<Store> {
  const sql = options.databaseUrl ? openPostgres(options.databaseUrl, { max: options.pool }) : openSqlite(dataDir, options);
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close().catch(() => undefined);
    throw err;
  }
  const stream = new StreamLog(sql);
  const audit = new AuditLog(sql);
  const sessions = new Sessions(sql);
  return {
    sql,
    stream,
    transcript: new Transcript(sql, stream),
    notifications: new Notifications(sql, stream),
    tasks: new Tasks(sql, stream),
    context: new ContextStore(sql),
    settings: new SettingsStore(sql),
    profile: new ProfileStore(sql),
    rules: new Rules(sql),
    approvals: new Approvals(sql, audit),
    memory: new Memory(sql),
    modelHealth: new ModelHealth(sql),
    sideEffects: new SideEffects(sql),
    agentTranscripts: new AgentTranscripts(sql),
    sessions,
    users: new Users(sql, sessions),
    retention: new Retention(sql),
    followUps: new FollowUps(sql),
    audit,
    close: () => sql.close(),
  };
}
