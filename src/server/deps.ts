import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Store } from '../store';
import type { AssistantClient } from '../temporal/assistant-client';

/** What the HTTP layer needs; built once by main.ts (or a test). */
export interface ServerDeps {
  config: Config;
  store: Store;
  client: Client;
  assistant: AssistantClient;
}
