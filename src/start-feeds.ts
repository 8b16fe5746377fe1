// What the feeds need when the app starts: their Schedules, the first profile, in subscribe
// mode a live Composio subscription feeding new Gmail into the pipeline, and a Gmail catch-up for
// what arrived while Paprika was down.
import { catchUpGmail, describeCatchup, handOffWithRetry } from './integrations/composio/catchup';
import { subscribeGmail } from './integrations/composio/triggers';
import type { Config } from './config';
import type { Store } from './store';
import type { PaprikaClient } from './temporal/app-client';
import { startImap, startPluginFeeds } from './start-sources';

export interface StartedFeeds {
  /** Lines for the start-up banner. */
  lines: string[];
  stop(): Promise<void>;
}

export async function startFeeds(paprika: PaprikaClient, config: Config, store: Store): Promise<StartedFeeds> {
  const userId = config.userId;
  const settings = await store.settings.get(userId);
  const schedules = await paprika.feeds.ensureSchedules(settings, userId);
  const lines = [
    `  Schedules:        briefing daily at ${settings.briefingTime} ${settings.timezone}, profile weekly${schedules.calendar ? `, calendar every ${config.feeds.calendarPollMinutes} min` : ''}${schedules.gmailCatchup ? `, Gmail catch-up every ${config.feeds.gmailCatchupMinutes} min` : ''}`,
  ];
  if (await paprika.feeds.startInitialProfile(userId)) lines.push('  Profile:          building from recent mail (first launch)');

  let stop = async () => undefined as void;
  if (config.feeds.mode === 'subscribe') {
    if (!config.composio.apiKey) {
      lines.push('  Gmail:            subscribe mode needs COMPOSIO_API_KEY (run npm run connect:gmail)');
    } else {
      try {
        const sub = await subscribeGmail(
          config,
          userId,
          async (event) => {
            await handOffWithRetry(() => paprika.feeds.submitEmail(event.message, userId), `message ${event.gmailMessageId}`);
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
  // After the subscription is up, so nothing can fall between what is fetched and what it hears.
  if (config.composio.apiKey) lines.push(await startupCatchup(paprika, config, store, userId));
  lines.push(...(await startPluginFeeds(paprika, config, userId)));
  const imap = await startImap(config, store, paprika, userId);
  lines.push(...imap.lines);
  const stopGmail = stop;
  return { lines, stop: () => Promise.all([stopGmail(), imap.stop()]).then(() => undefined) };
}

async function startupCatchup(paprika: PaprikaClient, config: Config, store: Store, userId: string): Promise<string> {
  try {
    const result = await catchUpGmail(config, store, userId, (email) => paprika.feeds.submitEmail(email, userId));
    return `  Gmail catch-up:   ${describeCatchup(result)}`;
  } catch (err) {
    // Paprika runs on without it; the Schedule (or the next start) tries again.
    return `  Gmail catch-up:   failed: ${(err as Error).message}`;
  }
}
