// The read model under the data directory. Activities write it; the server reads it.
// Each module registers its own schema; openStore wires them to one connection.
import type { Config } from '../config';
import { AgentTranscripts } from './agent-transcripts';
import { Approvals } from './approvals';
import { AuditLog } from './audit';
import { ContextStore } from './context';
import { type Db, type DbOptions, openDb } from './db';
import { migrate } from './schema';
import type { Sql } from './sql';
import { SqliteSql } from './sqlite';
import { FollowUps } from './follow-ups';
// Built by the feeds that use them, not here; imported so `migrate` creates their tables.
import './gmail-cursor';
import './imap-cursor';
import './source-status';
import { Memory } from './memory';
import { ModelHealth } from './model-health';
import { Notifications } from './notifications';
import { ProfileStore } from './profile';
import { Rules } from './rules';
import { Sessions } from './sessions';
import { Users } from './users';
import { Retention } from './retention';
import { SettingsStore } from './settings';
import { SideEffects } from './side-effects';
import { StreamLog } from './stream';
import { Tasks } from './tasks';
import { Transcript } from './transcript';

export interface Store {
  /** The engine every store module talks to; `transaction` groups writes across modules. */
  sql: Sql;
  db: Db;
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

/** The store the configuration names: PostgreSQL when PAPRIKA_DATABASE_URL is set, else SQLite in the data directory. */
export function openStoreFor(config: Config): Promise<Store> {
  return openStore(config.dataDir, { sync: config.security.sqliteSync, databaseUrl: config.database.url, pool: config.database.pool });
}

export interface StoreOptions extends DbOptions {
  /** postgres://…: every table in PostgreSQL; `dataDir` is then unused by the store. */
  databaseUrl?: string;
  /** Connections this process keeps to PostgreSQL. */
  pool?: number;
}

export async function openStore(dataDir: string, options: StoreOptions = {}): Promise<Store> {
  const db = openDb(dataDir, options);
  const sql = new SqliteSql(db);
  await migrate(sql);
  const stream = new StreamLog(db);
  const audit = new AuditLog(sql);
  const sessions = new Sessions(sql);
  return {
    sql,
    db,
    stream,
    transcript: new Transcript(db, stream),
    notifications: new Notifications(db, stream),
    tasks: new Tasks(db, stream),
    context: new ContextStore(sql),
    settings: new SettingsStore(db),
    profile: new ProfileStore(db),
    rules: new Rules(sql),
    approvals: new Approvals(sql, audit),
    memory: new Memory(sql),
    modelHealth: new ModelHealth(sql),
    sideEffects: new SideEffects(sql),
    agentTranscripts: new AgentTranscripts(sql),
    sessions,
    users: new Users(sql, sessions),
    retention: new Retention(db),
    followUps: new FollowUps(sql),
    audit,
    close: () => sql.close(),
  };
}
