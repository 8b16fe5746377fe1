// The read model under the data directory. Activities write it; the server reads it.
// Each module registers its own schema; openStore wires them to one connection.
import { ContextStore } from './context';
import { type Db, openDb } from './db';
import { Notifications } from './notifications';
import { SettingsStore } from './settings';
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
    context: new ContextStore(db, stream),
    settings: new SettingsStore(db),
    close: () => db.close(),
  };
}
