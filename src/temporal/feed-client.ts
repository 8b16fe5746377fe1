// The client side of every feed: store the raw item in the context store, then start its feed
// workflow under an ID derived from the item, so a duplicate is absorbed by Temporal itself.
// Used by the webhook routes, subscribe mode and `npm run feed`.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Config } from '../config';
import type { RawEmail } from '../shared/feed';
import { feedWorkflowId } from '../shared/ids';
import { searchAttributes } from '../shared/search-attributes';
import type { Priority } from '../shared/types';
import type { Store } from '../store';
import type { feedWorkflow } from '../workflows/feed';

export interface Submitted {
  workflowId: string;
  /** True when this item was seen before: nothing new was started. */
  duplicate: boolean;
}

export interface WebhookItem {
  id: string;
  title: string;
  text: string;
  priority?: Priority;
  url?: string;
}

export class FeedPipeline {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
    private readonly store: Store,
  ) {}

  /** Any parsed email (Gmail, mbox, Maildir, .eml): `feed:<source>:<Message-ID>`. */
  async submitEmail(email: RawEmail, userId = this.config.userId): Promise<Submitted> {
    this.store.context.putEmail(userId, email);
    return this.start(userId, email.source, email.id, `Email: ${email.subject || '(no subject)'}`.slice(0, 200));
  }

  /** An item from a signed generic webhook: `feed:webhook:<source>:<id>`. */
  async submitWebhookItem(source: string, item: WebhookItem, userId = this.config.userId): Promise<Submitted> {
    const itemId = `webhook:${source}:${item.id}`;
    this.store.context.put(userId, {
      id: itemId,
      source: `webhook:${source}`,
      kind: 'webhook',
      title: item.title,
      body: item.text,
      data: { priority: item.priority, url: item.url },
      occurredAt: new Date().toISOString(),
    });
    return this.start(userId, 'webhook', `${source}:${item.id}`, `Webhook ${source}: ${item.title}`.slice(0, 200), itemId);
  }

  /** An item a plugin feed polled: `feed:plugin:<name>:<id>`, so polling it again feeds nothing. */
  async submitPluginItem(plugin: string, item: WebhookItem, userId = this.config.userId): Promise<Submitted> {
    const itemId = `plugin:${plugin}:${item.id}`;
    this.store.context.put(userId, {
      id: itemId,
      source: `plugin:${plugin}`,
      kind: 'webhook',
      title: item.title,
      body: item.text,
      data: { priority: item.priority, url: item.url },
      occurredAt: new Date().toISOString(),
    });
    return this.start(userId, 'plugin', `${plugin}:${item.id}`, `Plugin ${plugin}: ${item.title}`.slice(0, 200), itemId);
  }

  private async start(userId: string, source: string, sourceItemId: string, summary: string, itemId = sourceItemId): Promise<Submitted> {
    const workflowId = feedWorkflowId(source, sourceItemId);
    try {
      await this.client.workflow.start<typeof feedWorkflow>('feedWorkflow', {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        args: [{ userId, source, itemId }],
        // Not even a finished run may be repeated: a redelivery days later is still a duplicate.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: searchAttributes(userId, 'feed'),
        staticSummary: summary,
      });
      return { workflowId, duplicate: false };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, duplicate: true };
      throw err;
    }
  }
}
