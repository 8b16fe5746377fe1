// The application client for an activity, on the worker's own Temporal connection: activities ask
// workflows for things (start an agent, deliver an event, answer an approval) the same way the API does.
import { Context } from '@temporalio/activity';
import type { Config } from '../config';
import type { Store } from '../store';
import { PaprikaClient } from '../temporal/app-client';

export const paprikaClient = (config: Config, store: Store): PaprikaClient => new PaprikaClient(Context.current().client, config, store);
