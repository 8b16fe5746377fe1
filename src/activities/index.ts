// All activities, built from their dependencies. Workflows import this file's type only.
import type { Config } from '../config';
import type { Store } from '../store';
import { makeAgentActivities } from './agent';
import { makeApprovalActivities } from './approvals';
import { makeDeliver } from './deliver';
import { makeFeedActivities } from './feeds';
import { followUpAfterSend, makeFollowUpActivities } from './follow-ups';
import { heartbeatingAll } from './heartbeat';
import { createModelClient } from '../integrations/model';
import { makeNamedAgentActivities } from './named-agents';
import { makePluginActivities } from './plugins';
import { makeReminderActivities } from './reminders';
import { makeRetentionActivities } from './retention';
import { makeSideEffectActivities } from './side-effects';
import { makeSummarize } from './summarize';
import { makeThink } from './think';
import { createToolbox, type Toolbox } from './tools';

/** `toolbox` is one per worker: its MCP connections are reused across calls (the worker closes it). */
export function createActivities(config: Config, store: Store, toolbox: Toolbox = createToolbox(config, store)) {
  const client = createModelClient(config, store.modelHealth);
  return heartbeatingAll({
    think: makeThink(config, store, client),
    summarize: makeSummarize(client),
    deliver: makeDeliver(store),
    ...makeAgentActivities(config, store, client, toolbox),
    ...makeSideEffectActivities(store, toolbox, (sent) => followUpAfterSend(config, store, sent)),
    ...makeApprovalActivities(config, store),
    ...makeNamedAgentActivities(config, store),
    ...makeReminderActivities(store),
    ...makeRetentionActivities(config, store),
    ...makeFeedActivities(config, store, client),
    ...makePluginActivities(config, store),
    ...makeFollowUpActivities(config, store),
  });
}

export type Activities = ReturnType<typeof createActivities>;
