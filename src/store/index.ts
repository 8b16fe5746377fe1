// The read model under the data directory. Activities write it; the server reads it.
// Each module registers its own schema; openStore wires them to one connection.
import { AgentTranscripts } from './agent-transcripts';
import { Approvals } from './approvals';
import { AuditLog } from './audit';
import { ContextStore } from './context';
import { type Db, type DbOptions, openDb } from './db';
import { migrate } from './schema';
import type { Sql } from './sql';
import { SqliteSql } from './sqlite';
import { FollowUps } from './follow-ups';
import { Memory } from './memory';
import { ModelHealth } from './model-health';
import { Notifications } from './notifications';
import { ProfileStore } from './profile';
import { Rules } from './rules';
import { Sessions } from './sessions';
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
  retention: Retention;
  followUps: FollowUps;
  audit: AuditLog;
  close(): Promise<void>;
}

export async function openStore(dataDir: string, options: DbOptions = {}): Promise<Store> {
  const db = openDb(dataDir, options);
  const sql = new SqliteSql(db);
  await migrate(sql);
  const stream = new StreamLog(sql);
  const audit = new AuditLog(db);
  return {
    sql,
    db,
    stream,
    transcript: new Transcript(sql, stream),
    notifications: new Notifications(sql, stream),
    tasks: new Tasks(sql, stream),
    context: new ContextStore(db),
    settings: new SettingsStore(sql),
    profile: new ProfileStore(sql),
    rules: new Rules(db),
    approvals: new Approvals(db, audit),
    memory: new Memory(db),
    modelHealth: new ModelHealth(db),
    sideEffects: new SideEffects(db),
    agentTranscripts: new AgentTranscripts(db),
    sessions: new Sessions(db),
    retention: new Retention(sql),
    followUps: new FollowUps(db),
    audit,
    close: () => sql.close(),
  };
}
