// The client side of every feed: store the raw item in the context store, then start its feed
// workflow under an ID derived from the user and the item (src/shared/ids.ts), so a duplicate is absorbed by Temporal itself. Also
// the feeds' Schedules and the profile builds that mail imports and first launches start.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Config } from '../config';
import type { FeedSettings, RawEmail } from '../shared/feed';
import { feedWorkflowId, importProfileWorkflowId, initialProfileWorkflowId, mailItemId, webhookItemId, pluginItemId } from '../shared/ids';
import { searchAttributes } from '../shared/search-attributes';
import type { Priority } from '../shared/types';
import type { Store } from '../store';
import type { feedWorkflow, FeedOutcome } from '../workflows/feed';
import { deleteSchedules, type EnsuredSchedules, ensureSchedules } from './schedules';
import type { LoadedPlugins } from '../plugins/loader';
import { deletePluginFeedSchedules, ensurePluginFeedSchedules } from '../plugins/schedules';

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

export class FeedsClient {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
    private readonly store: Store,
  ) {}

  /** Any parsed email (Gmail, IMAP, mbox, Maildir, .eml): `feed:<userId>:mail:<Message-ID>`. */
  async submitEmail(email: RawEmail, userId = this.config.userId): Promise<Submitted> {
    await this.store.context.putEmail(userId, email);
    return this.start(userId, email.source, mailItemId(email.id), `Email: ${email.subject || '(no subject)'}`.slice(0, 200));
  }

  /** An item from a signed generic webhook: `feed:<userId>:webhook:<source>:<id>`. */
  async submitWebhookItem(source: string, item: WebhookItem, userId = this.config.userId): Promise<Submitted> {
    const itemId = webhookItemId(source, item.id);
    await this.store.context.put(userId, {
      id: itemId,
      source: `webhook:${source}`,
      kind: 'webhook',
      title: item.title,
      body: item.text,
      data: { priority: item.priority, url: item.url },
      occurredAt: new Date().toISOString(),
    });
    return this.start(userId, `webhook:${source}`, itemId, `Webhook ${source}: ${item.title}`.slice(0, 200));
  }

  /** How a submitted item was judged, once its feed workflow is done. */
  async outcome(workflowId: string): Promise<FeedOutcome> {
    return this.client.workflow.getHandle<typeof feedWorkflow>(workflowId).result();
  }

  /** Creates or moves this user's Schedules (briefing, profile refresh, calendar poll). */
  async ensureSchedules(settings: FeedSettings, userId = this.config.userId): Promise<EnsuredSchedules> {
    return ensureSchedules(this.client, this.config, settings, userId);
  }

  async deleteSchedules(userId = this.config.userId): Promise<void> {
    return deleteSchedules(this.client, userId);
  }

  /** One Schedule per plugin feed; the Schedules of feeds no longer loaded are deleted. Returns their IDs. */
  async ensurePluginFeedSchedules(plugins: LoadedPlugins, userId = this.config.userId): Promise<string[]> {
    return ensurePluginFeedSchedules(this.client, this.config, plugins, userId);
  }

  async deletePluginFeedSchedules(userId = this.config.userId, keep?: ReadonlySet<string>): Promise<void> {
    return deletePluginFeedSchedules(this.client, userId, keep);
  }

  /** On first launch (no profile built yet), builds the profile once; later launches do nothing. */
  async startInitialProfile(userId = this.config.userId): Promise<boolean> {
    if ((await this.store.profile.get(userId)).builtAt) return false;
    return this.startProfile(userId, initialProfileWorkflowId(userId), `First profile of ${userId}`);
  }

  /** Builds the profile from mail just imported; `stamp` tells one import from the next. */
  async startImportProfile(stamp: string, userId = this.config.userId): Promise<boolean> {
    return this.startProfile(userId, importProfileWorkflowId(userId, stamp), `Profile of ${userId} from imported mail`);
  }

  private async startProfile(userId: string, workflowId: string, summary: string): Promise<boolean> {
    try {
      await this.client.workflow.start('profileWorkflow', {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        args: [{ userId }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: searchAttributes(userId, 'schedule'),
        staticSummary: summary,
      });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  /** An item a plugin feed polled: `plugin:<name>:<id>`, so polling it again feeds nothing. */
  async submitPluginItem(plugin: string, item: WebhookItem, userId = this.config.userId): Promise<Submitted> {
    const itemId = pluginItemId(plugin, item.id);
    await this.store.context.put(userId, {
      id: itemId,
      source: `plugin:${plugin}`,
      kind: 'webhook',
      title: item.title,
      body: item.text,
      data: { priority: item.priority, url: item.url },
      occurredAt: new Date().toISOString(),
    });
    return this.start(userId, `plugin:${plugin}`, itemId, `Plugin ${plugin}: ${item.title}`.slice(0, 200));
  }

  private async start(userId: string, source: string, itemId: string, summary: string): Promise<Submitted> {
    const workflowId = feedWorkflowId(userId, itemId);
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
