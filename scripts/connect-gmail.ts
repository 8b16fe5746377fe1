// `npm run connect:gmail`: links the user's Gmail through Composio and makes sure the
// GMAIL_NEW_GMAIL_MESSAGE trigger exists exactly once; links Google Calendar too when
// COMPOSIO_AUTH_CONFIG_CALENDAR is set. Safe to run again at any time.
import { ConfigError, loadConfig, type Config } from '../src/config';
import { ComposioConfigError, type LinkableToolkit, linkAccount } from '../src/integrations/composio/client';
import { ensureGmailTrigger } from '../src/integrations/composio/triggers';

const WAIT_MINUTES = 10;
const LABEL: Record<LinkableToolkit, string> = { gmail: 'Gmail', googlecalendar: 'Google Calendar' };

async function connect(config: Config, toolkit: LinkableToolkit): Promise<string> {
  const link = await linkAccount(config, config.userId, toolkit);
  if (link.alreadyConnected) {
    console.log(`${LABEL[toolkit]} is already connected for user "${config.userId}" (connected account ${link.connectedAccountId}).`);
    return link.connectedAccountId;
  }
  console.log(`Open this link in your browser to give Paprika access to your ${LABEL[toolkit]} ("${config.userId}"):\n\n  ${link.redirectUrl}\n`);
  console.log(`Waiting up to ${WAIT_MINUTES} minutes for you to finish…`);
  const accountId = await link.wait(WAIT_MINUTES * 60_000);
  console.log(`${LABEL[toolkit]} connected: connected account ${accountId}.`);
  return accountId;
}

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const missing = [
    !config.composio.apiKey && '  COMPOSIO_API_KEY: your project API key (platform.composio.dev → Settings → API keys)',
    !config.composio.authConfigGmail && '  COMPOSIO_AUTH_CONFIG_GMAIL: the id (ac_…) of a Gmail auth config (platform.composio.dev → Auth Configs → Gmail)',
  ].filter(Boolean);
  if (missing.length) {
    console.error(`Cannot connect Gmail, missing settings:\n${missing.join('\n')}\nSet them in the environment and run again.`);
    return 2;
  }

  const gmailAccount = await connect(config, 'gmail');
  const trigger = await ensureGmailTrigger(config, config.userId, gmailAccount);
  const verb = { created: 'created', reused: 'reused', reenabled: 're-enabled' }[trigger.action];
  console.log(`${verb} trigger GMAIL_NEW_GMAIL_MESSAGE (${trigger.triggerId}) on ${gmailAccount}.`);

  if (config.composio.authConfigCalendar) await connect(config, 'googlecalendar');
  else console.log('Google Calendar: not linked (set COMPOSIO_AUTH_CONFIG_CALENDAR to link it too).');

  if (Object.keys(config.composio.toolkitVersions).length === 0) {
    console.log('Note: COMPOSIO_TOOLKIT_VERSIONS is empty; tools will refuse to run until versions are pinned, e.g. "gmail=20250909_00,googlecalendar=20250909_00".');
  }
  console.log(
    [
      '',
      'New mail now reaches Paprika in one of two ways:',
      `  webhook: in the Composio dashboard, send events to ${config.publicUrl}/api/feeds/composio`,
      '           (it must be reachable from the internet) and set COMPOSIO_WEBHOOK_SECRET to its signing secret;',
      '  subscribe mode: without a public URL, Paprika listens to Composio directly.',
    ].join('\n'),
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as Error;
    // The message is enough for the user; the SDK's error objects are not printed whole.
    console.error(e instanceof ComposioConfigError ? e.message : `connect:gmail failed: ${e.message}`);
    process.exitCode = 1;
  },
);
