// What the feeds need when the app starts: their Schedules, the first profile, and, in subscribe
// mode, a live Composio subscription feeding new Gmail into the pipeline.
import type { Client } from '@temporalio/client';
import { subscribeGmail } from './integrations/composio/client';
import type { Config } from './config';
import type { Store } from './store';
import { FeedPipeline } from './temporal/feed-client';
import { ensureSchedules, startInitialProfile } from './temporal/schedules';
import { startImap, startPluginFeeds } from './start-sources';

export interface StartedFeeds {
  /** Lines for the start-up banner. */
  lines: string[];
  stop(): Promise<void>;
}

export async function startFeeds(client: Client, config: Config, store: Store): Promise<StartedFeeds> {
  const userId = config.userId;
  const settings = store.settings.get(userId);
  const schedules = await ensureSchedules(client, config, settings, userId);
  const lines = [`  Schedules:        briefing daily at ${settings.briefingTime} ${settings.timezone}, profile weekly${schedules.calendar ? `, calendar every ${config.feeds.calendarPollMinutes} min` : ''}`];
  if (await startInitialProfile(client, config, store, userId)) lines.push('  Profile:          building from recent mail (first launch)');

  let stop = async () => undefined as void;
  if (config.feeds.mode === 'subscribe') {
    if (!config.composio.apiKey) {
      lines.push('  Gmail:            subscribe mode needs COMPOSIO_API_KEY (run npm run connect:gmail)');
    } else {
      const pipeline = new FeedPipeline(client, config, store);
      try {
        const sub = await subscribeGmail(
          config,
          userId,
          async (event) => {
            await pipeline.submitEmail(event.message, userId);
          },
          (err) => console.error(`Gmail subscription: ${err.message}`),
        );
        stop = () => sub.close();
        lines.push('  Gmail:            subscribe mode (listening to Composio; no public URL needed)');
      } catch (err) {
        lines.push(`  Gmail:            subscribe mode failed: ${(err as Error).message}`);
      }
    }
  } else if (config.composio.apiKey) {
    lines.push(`  Gmail:            webhook at ${config.publicUrl}/api/feeds/composio${config.composio.webhookSecret ? '' : ' (COMPOSIO_WEBHOOK_SECRET is not set!)'}`);
  }
  lines.push(...(await startPluginFeeds(client, config, userId)));
  const imap = await startImap(config, store, new FeedPipeline(client, config, store), userId);
  lines.push(...imap.lines);
  const stopGmail = stop;
  return { lines, stop: () => Promise.all([stopGmail(), imap.stop()]).then(() => undefined) };
}
