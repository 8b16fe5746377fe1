// The application client: everything the API, the activities, scripts and tests ask of Paprika's
// workflows, by topic. Each method answers in domain terms (a result or a reason it could not be
// done), never in HTTP statuses, so the routes stay thin adapters and nobody else talks to a
// workflow its own way.
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Config } from '../config';
import type { Store } from '../store';
import { AgentsClient } from './agents';
import { ApprovalsClient } from './approvals';
import { AssistantClient } from './assistant';
import { FeedsClient } from './feeds';
import { FollowUpsClient } from './follow-ups';
import { type TemporalHealth, temporalHealth } from './health';
import { TasksClient } from './tasks';

export class PaprikaClient {
  /** Chat, events and the scheduler's state. */
  readonly assistant: AssistantClient;
  readonly approvals: ApprovalsClient;
  readonly tasks: TasksClient;
  readonly agents: AgentsClient;
  /** Feed items, Schedules and profile builds. */
  readonly feeds: FeedsClient;
  /** Follow-ups of mail threads: start, replies, list, cancel. */
  readonly followUps: FollowUpsClient;

  constructor(
    private readonly client: Client,
    private readonly config: Config,
    store: Store,
  ) {
    this.assistant = new AssistantClient(client, config);
    this.approvals = new ApprovalsClient(client, store);
    this.tasks = new TasksClient(client, config, store);
    this.agents = new AgentsClient(client, config);
    this.feeds = new FeedsClient(client, config, store);
    this.followUps = new FollowUpsClient(client, config, store, this.tasks);
  }

  /** The payload codecs this client writes with (the encryption codec), for the Temporal UI's codec endpoint. */
  get payloadCodecs(): readonly PayloadCodec[] {
    return this.client.options.loadedDataConverter.payloadCodecs;
  }

  health(): Promise<TemporalHealth> {
    return temporalHealth(this.client, this.config);
  }
}
