// Feed sources that run inside Paprika besides Composio: plugin feeds (as Temporal Schedules)
// and the IMAP mailbox (IDLE). Neither may stop Paprika: a failure is a banner line and a
// sources-health entry.
import type { Config } from './config';
import { startImapFeed } from './integrations/imap';
import { loadPlugins, pluginBannerLines } from './plugins';
import type { Store } from './store';
import { SourceStatusStore } from './store/source-status';
import type { PaprikaClient } from './temporal/app-client';

/** How long the start-up waits for the mailbox before printing the banner anyway. */
const IMAP_BANNER_WAIT_MS = 10_000;

export async function startPluginFeeds(paprika: PaprikaClient, config: Config, userId: string): Promise<string[]> {
  const plugins = await loadPlugins(config);
  for (const e of plugins.errors) console.error(`Plugin not loaded: ${e.error}`);
  const lines = pluginBannerLines(plugins);
  try {
    const ids = await paprika.feeds.ensurePluginFeedSchedules(plugins, userId);
    if (ids.length) lines.push(`  Plugin feeds:     ${ids.length} Schedule(s) (${ids.map((id) => id.split(':').slice(2).join('/')).join(', ')})`);
  } catch (err) {
    lines.push(`  Plugin feeds:     could not create their Schedules: ${(err as Error).message}`);
  }
  return lines;
}

export async function startImap(config: Config, store: Store, paprika: PaprikaClient, userId: string): Promise<{ lines: string[]; stop(): Promise<void> }> {
  const imap = config.imap;
  if (!imap) return { lines: [], stop: async () => undefined };
  const status = new SourceStatusStore(store.sql);
  let last = 'connecting…';
  const feed = startImapFeed({
    imap,
    store,
    submit: (email) => paprika.feeds.submitEmail(email, userId),
    onStatus(healthy, detail) {
      if (!healthy && detail !== last) console.error(detail);
      last = detail;
      // Called from the IMAP client's event handlers, which cannot wait; a lost write only leaves
      // a stale health line until the next status.
      void Promise.resolve()
        .then(() => status.set('imap', healthy, detail))
        .catch((err) => console.error('IMAP status not saved:', (err as Error).message));
    },
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([feed.ready, new Promise((r) => (timer = setTimeout(r, IMAP_BANNER_WAIT_MS)))]).finally(() => clearTimeout(timer));
  return { lines: [`  IMAP:             ${last}`], stop: () => feed.stop() };
}
