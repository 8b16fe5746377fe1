// Health of each feed source for GET /api/settings: is it connected, is it working, what to do.
// It joins config, the store and Composio's account states into one list for the page.
import type { Config } from '../config';
import { connectedAccountStatuses, forgetAccountStatuses } from '../integrations/composio/accounts';
import type { Store } from '../store';
import { calendarConfigured } from '../temporal/schedules';
import { pluginSources } from '../plugins/health';
import { SourceStatusStore } from '../store/source-status';

export interface SourceHealth {
  name: string;
  connected: boolean;
  healthy: boolean;
  detail: string;
}

/** Forget the cached Composio state (after a webhook says an account expired). */
export function forgetSourceCache(config: Config): void {
  forgetAccountStatuses(config);
}

async function composioSources(config: Config, userId: string): Promise<SourceHealth[]> {
  if (!config.composio.apiKey) {
    return [{ name: 'gmail', connected: false, healthy: false, detail: 'Not set up: set COMPOSIO_API_KEY and COMPOSIO_AUTH_CONFIG_GMAIL, then run npm run connect:gmail.' }];
  }
  let accounts: Map<string, string>;
  try {
    accounts = await connectedAccountStatuses(config, userId);
  } catch (err) {
    return [{ name: 'gmail', connected: false, healthy: false, detail: `Could not ask Composio: ${(err as Error).message}` }];
  }
  const gmail = accounts.get('gmail');
  const delivery =
    config.feeds.mode === 'subscribe'
      ? { ok: true, how: 'subscribe mode (no public URL needed)' }
      : config.composio.webhookSecret
        ? { ok: true, how: `webhook to ${config.publicUrl}/api/feeds/composio` }
        : { ok: false, how: 'webhook mode but COMPOSIO_WEBHOOK_SECRET is not set (or set PAPRIKA_FEED_MODE=subscribe)' };
  const out: SourceHealth[] = [
    {
      name: 'gmail',
      connected: gmail === 'ACTIVE',
      healthy: gmail === 'ACTIVE' && delivery.ok,
      detail: gmail === 'ACTIVE' ? `Connected; new mail arrives by ${delivery.how}.` : gmail ? `Connection is ${gmail}: run npm run connect:gmail again.` : 'Not connected: run npm run connect:gmail.',
    },
  ];
  if (calendarConfigured(config)) {
    const cal = accounts.get('googlecalendar');
    out.push({
      name: 'calendar',
      connected: cal === 'ACTIVE',
      healthy: cal === 'ACTIVE',
      detail: cal === 'ACTIVE' ? `Connected; polled every ${config.feeds.calendarPollMinutes} minutes, prep 30 minutes before each meeting.` : 'Not connected: run npm run connect:gmail (it links Google Calendar too).',
    });
  }
  return out;
}

/** Sources whose mail the user imports from files or a mailbox, as opposed to a live feed. */
const LOCAL_MAIL_SOURCES = ['mbox', 'maildir', 'eml', 'imap'] as const;

export async function sourcesHealth(config: Config, store: Store, userId = config.userId): Promise<SourceHealth[]> {
  const out = await composioSources(config, userId);
  for (const name of Object.keys(config.webhookSecrets).sort()) {
    out.push({ name: `webhook:${name}`, connected: true, healthy: true, detail: `Signed webhook at POST ${config.publicUrl}/api/feeds/webhook/${name}.` });
  }
  const imported = await store.context.countBySource(userId, LOCAL_MAIL_SOURCES);
  out.push({
    name: 'mailbox',
    connected: imported > 0,
    healthy: true,
    detail: imported > 0 ? `${imported} message${imported === 1 ? '' : 's'} imported from local mail files.` : 'Import mail files with npm run feed -- <file.eml|file.mbox|Maildir>.',
  });
  if (config.imap) {
    const s = await new SourceStatusStore(store.sql).get('imap');
    out.push({ name: 'imap', connected: s?.healthy ?? false, healthy: s?.healthy ?? false, detail: s?.detail ?? 'Not started yet.' });
  }
  out.push(...(await pluginSources(config, store)));
  return out;
}
