// All activities, built from their dependencies. Workflows import this file's type only.
import type { Config } from '../config';
import type { Store } from '../store';
import { makeAgentActivities } from './agent';
import { createAgentToolbox } from './agent-tools';
import { makeDeliver } from './deliver';
import { createModelClient } from './model';
import { makeReminderActivities } from './reminders';
import { makeSummarize } from './summarize';
import { makeThink } from './think';

export function createActivities(config: Config, store: Store) {
  const client = createModelClient(config);
  return {
    think: makeThink(config, store, client),
    summarize: makeSummarize(config, client),
    deliver: makeDeliver(store),
    ...makeAgentActivities(config, store, client, createAgentToolbox(config, store)),
    ...makeReminderActivities(store),
  };
}

export type Activities = ReturnType<typeof createActivities>;
