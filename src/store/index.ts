// The read model under the data directory. Activities write it; the server reads it.
// Each module registers its own schema; openStore wires them to one connection.
import { AgentTranscripts } from './agent-transcripts';
import { Approvals } from './approvals';
import { ContextStore } from './context';
import { type Db, openDb } from './db';
import { Memory } from './memory';
import { ModelHealth } from './model-health';
import { Notifications } from './notifications';
import { ProfileStore } from './profile';
import { Sessions } from './sessions';
import { SettingsStore } from './settings';
import { SideEffects } from './side-effects';
import { StreamLog } from './stream';
import { Tasks } from './tasks';
import { Transcript } from './transcript';

export interface Store {
  db: Db;
  stream: StreamLog;
  transcript: Transcript;
  notifications: Notifications;
  tasks: Tasks;
  context: ContextStore;
  settings: SettingsStore;
  profile: ProfileStore;
  approvals: Approvals;
  memory: Memory;
  modelHealth: ModelHealth;
  sideEffects: SideEffects;
  agentTranscripts: AgentTranscripts;
  sessions: Sessions;
  close(): void;
}

export function openStore(dataDir: string): Store {
  const db = openDb(dataDir);
  const stream = new StreamLog(db);
  return {
    db,
    stream,
    transcript: new Transcript(db, stream),
    notifications: new Notifications(db, stream),
    tasks: new Tasks(db, stream),
    context: new ContextStore(db),
    settings: new SettingsStore(db),
    profile: new ProfileStore(db),
    approvals: new Approvals(db),
    memory: new Memory(db),
    modelHealth: new ModelHealth(db),
    sideEffects: new SideEffects(db),
    agentTranscripts: new AgentTranscripts(db),
    sessions: new Sessions(db),
    close: () => db.close(),
  };
}
