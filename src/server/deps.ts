import type { Config } from '../config';
import type { Store } from '../store';
import type { PaprikaClient } from '../temporal/app-client';

/** What the HTTP layer needs; built once by main.ts (or a test). Workflows are reached only through `paprika`. */
export interface ServerDeps {
  config: Config;
  store: Store;
  paprika: PaprikaClient;
  /** Per-user start-up before a user's first request (src/server/user-start.ts); none in most tests. */
  startUser?: (userId: string) => Promise<void>;
}
