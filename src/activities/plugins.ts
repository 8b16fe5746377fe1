// `pollPluginFeed`: runs one plugin feed's poll() and feeds each item through the same pipeline
// as webhooks and mail, keyed `plugin:<name>:<id>`, so an item polled twice is fed once.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import type { Config } from '../config';
import { loadPlugins } from '../plugins';
import { recordPluginOk, recordPluginProblem } from '../plugins/health';
import { Priority } from '../shared/types';
import type { Store } from '../store';
import { paprikaClient } from './paprika';

export interface PollPluginFeedInput {
  userId: string;
  plugin: string;
  feed: string;
}

export interface PollPluginFeedResult {
  polled: number;
  fed: number;
  duplicates: number;
  invalid: number;
}

const FeedItem = z.object({
  id: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(500),
  text: z.string().max(20_000).default(''),
  priority: Priority.optional(),
  url: z.string().url().optional(),
});

/** Items one poll may return: a feed that dumps its whole history every time is cut, not trusted. */
const MAX_ITEMS = 200;

export function makePluginActivities(config: Config, store: Store) {
  return {
    async pollPluginFeed(input: PollPluginFeedInput): Promise<PollPluginFeedResult> {
      const loaded = await loadPlugins(config);
      const feed = loaded.plugins.find((p) => p.plugin.name === input.plugin)?.plugin.feeds?.find((f) => f.name === input.feed);
      if (!feed) throw ApplicationFailure.nonRetryable(`plugin feed ${input.plugin}/${input.feed} is not loaded by this worker`, 'PluginFeedMissing');
      let raw: unknown;
      try {
        raw = await feed.poll({ userId: input.userId, signal: Context.current().cancellationSignal });
      } catch (err) {
        await recordPluginProblem(store, input.plugin, `feed ${input.feed} poll failed: ${(err as Error)?.message ?? String(err)}`);
        throw ApplicationFailure.retryable(`plugin feed ${input.plugin}/${input.feed} failed: ${(err as Error)?.message ?? String(err)}`, 'PluginFeedFailed');
      }
      const items = Array.isArray(raw) ? raw.slice(0, MAX_ITEMS) : [];
      const feeds = paprikaClient(config, store).feeds;
      const result: PollPluginFeedResult = { polled: items.length, fed: 0, duplicates: 0, invalid: 0 };
      for (const item of items) {
        const parsed = FeedItem.safeParse(item);
        if (!parsed.success) {
          result.invalid++;
          continue;
        }
        const sent = await feeds.submitPluginItem(input.plugin, parsed.data, input.userId);
        if (sent.duplicate) result.duplicates++;
        else result.fed++;
      }
      if (!Array.isArray(raw) || result.invalid) {
        await recordPluginProblem(store, input.plugin, `feed ${input.feed}: ${Array.isArray(raw) ? `${result.invalid} item(s) without a valid id and title were skipped` : 'poll() did not return an array'}`);
      } else await recordPluginOk(store, input.plugin);
      return result;
    },
  };
}
