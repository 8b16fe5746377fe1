// The real @composio/core SDK against the fake Composio server: linking, the Gmail trigger,
// webhook verification for V1–V3, and tool execution. HOME points at a temp folder so the SDK
// cannot read a developer's ~/.composio/user_data.json.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { ComposioConfigError, linkAccount, linkGmail } from '../../src/integrations/composio/client';
import { executeComposioTool } from '../../src/integrations/composio/tools';
import { ensureGmailTrigger } from '../../src/integrations/composio/triggers';
import { WebhookPayloadError, WebhookSignatureError, verifyComposioWebhook } from '../../src/integrations/composio/webhooks';
import { startFakeComposio, type FakeComposio } from '../fakes/composio/server';

const VERSIONS = 'gmail=20250909_00,googlecalendar=20250909_00';
let home: string;
let fake: FakeComposio;
let config: Config;

function configFor(f: FakeComposio, extra: Record<string, string> = {}): Config {
  return loadConfig({
    PAPRIKA_DATA_DIR: home,
    PAPRIKA_USER: 'alice',
    COMPOSIO_API_KEY: f.apiKey,
    COMPOSIO_BASE_URL: f.url,
    COMPOSIO_WEBHOOK_SECRET: f.webhookSecret,
    COMPOSIO_AUTH_CONFIG_GMAIL: 'ac_gmail',
    COMPOSIO_TOOLKIT_VERSIONS: VERSIONS,
    ...extra,
  });
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-composio-'));
  process.env.HOME = home;
  fake = await startFakeComposio();
  config = configFor(fake);
});

afterAll(async () => {
  await fake.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const message = {
  threadId: 'thread-q3',
  from: '"Lee, Dana" <dana.lee@acme.example>',
  to: ['alice@example.com'],
  subject: 'Q3 report due Friday',
  text: 'Hi Alice, please send the Q3 report by Friday noon. Thanks, Dana',
  date: '2026-03-02T09:15:00.000Z',
  labels: ['INBOX', 'UNREAD', 'IMPORTANT'],
  headers: {
    'List-Unsubscribe': '<mailto:unsubscribe@acme.example>',
    'In-Reply-To': '<q3-kickoff@acme.example>',
    'Reply-To': 'Dana Lee <DANA@acme.example>',
  },
};

describe('linking Gmail and its trigger', () => {
  let accountId: string;

  test('link gives a URL to open, and wait resolves once the user has connected', async () => {
    const link = await linkGmail(config, 'alice');
    expect(link.alreadyConnected).toBe(false);
    expect(link.redirectUrl).toMatch(new RegExp(`^${fake.url}/oauth/`));
    expect(fake.state.accounts.get(link.connectedAccountId)?.status).toBe('INITIATED');

    const waiting = link.wait(10_000);
    // The user opens the link a moment later; the SDK keeps polling the account until it is ACTIVE.
    setTimeout(() => void fetch(link.redirectUrl!), 200);
    accountId = await waiting;
    expect(accountId).toBe(link.connectedAccountId);
    expect(fake.state.accounts.get(accountId)?.status).toBe('ACTIVE');
  });

  test('linking again reuses the active connection instead of starting another', async () => {
    const again = await linkGmail(config, 'alice');
    expect(again).toMatchObject({ alreadyConnected: true, redirectUrl: null, connectedAccountId: accountId });
    expect(fake.state.accounts.size).toBe(1);
  });

  test('ensureGmailTrigger twice creates exactly one trigger', async () => {
    const first = await ensureGmailTrigger(config, 'alice', accountId);
    const second = await ensureGmailTrigger(config, 'alice', accountId);
    expect(first.action).toBe('created');
    expect(second).toEqual({ triggerId: first.triggerId, action: 'reused' });
    expect([...fake.state.triggers.values()].filter((t) => t.slug === 'GMAIL_NEW_GMAIL_MESSAGE')).toHaveLength(1);
    // Reuse is decided by us, not left to the server's upsert: one create call in total.
    expect(fake.state.upserts).toHaveLength(1);
    expect(fake.state.triggers.get(first.triggerId)?.toolkitVersions).toEqual({ gmail: '20250909_00', googlecalendar: '20250909_00' });
  });

  test('a trigger Composio disabled is switched back on, not duplicated', async () => {
    const [trigger] = fake.state.triggers.values();
    fake.makeTriggerDisabledEvent({ triggerId: trigger!.id });
    const ensured = await ensureGmailTrigger(config, 'alice', accountId);
    expect(ensured).toEqual({ triggerId: trigger!.id, action: 'reenabled' });
    expect(fake.state.triggers.size).toBe(1);
    expect(fake.state.triggers.get(trigger!.id)?.disabledAt).toBeNull();
  });

  test('missing settings fail with the variable name', async () => {
    const bare = loadConfig({ PAPRIKA_DATA_DIR: home, COMPOSIO_BASE_URL: fake.url });
    await expect(linkGmail(bare, 'alice')).rejects.toThrow(/COMPOSIO_AUTH_CONFIG_GMAIL/);
    const noKey = loadConfig({ PAPRIKA_DATA_DIR: home, COMPOSIO_BASE_URL: fake.url, COMPOSIO_AUTH_CONFIG_GMAIL: 'ac_gmail' });
    await expect(linkGmail(noKey, 'alice')).rejects.toThrow(/COMPOSIO_API_KEY/);
  });
});

describe('webhooks', () => {
  const verify = (signed: { headers: Record<string, string>; body: string }, cfg = config) =>
    verifyComposioWebhook(cfg, { rawBody: signed.body, headers: signed.headers });

  test.each(['V1', 'V2', 'V3'] as const)('a correctly signed %s Gmail event verifies and normalises', async (version) => {
    const signed = fake.signWebhook(fake.makeGmailMessageEvent({ ...message, id: `gm-${version}` }, { version }));
    const event = await verify(signed);
    expect(event.webhookId).toBe(signed.headers['webhook-id']);
    expect(event.version).toBe(version);
    if (event.kind !== 'gmail_message') throw new Error(`expected a gmail message, got ${event.kind}`);
    expect(event.userId).toBe('alice');
    expect(event.connectedAccountId).toMatch(/^ca_/);
    expect(event.triggerId).toMatch(/^ti_/);
    expect(event.gmailMessageId).toBe(`gm-${version}`);
    expect(event.message).toMatchObject({
      // The normalised Message-ID, the same key an mbox import of this mail would get.
      id: `gm-${version}@mail.example.com`,
      source: 'gmail',
      messageId: `<gm-${version}@mail.example.com>`,
      threadId: 'thread-q3',
      from: { name: 'Lee, Dana', address: 'dana.lee@acme.example' },
      to: [{ address: 'alice@example.com' }],
      cc: [],
      subject: 'Q3 report due Friday',
      date: '2026-03-02T09:15:00.000Z',
      text: message.text,
      labels: ['INBOX', 'UNREAD', 'IMPORTANT'],
    });
    expect(event.message.snippet).toContain('please send the Q3 report');
    expect(event.message.headers).toEqual({
      listUnsubscribe: '<mailto:unsubscribe@acme.example>',
      inReplyTo: 'q3-kickoff@acme.example',
      replyTo: 'dana@acme.example',
    });
  });

  test('an HTML-only body is converted to plain text', async () => {
    const html = '<html><body><p>Invoice <b>#4411</b> is due.</p><script>alert(1)</script><a href="https://pay.example">Pay</a></body></html>';
    const event = await verify(fake.signWebhook(fake.makeGmailMessageEvent({ ...message, text: html }, { version: 'V3' })));
    if (event.kind !== 'gmail_message') throw new Error(event.kind);
    expect(event.message.text).toContain('Invoice #4411 is due.');
    expect(event.message.text).not.toMatch(/<[a-z]/i);
  });

  test('a body signed with another secret is refused as a signature error', async () => {
    const signed = fake.signWebhook(fake.makeGmailMessageEvent(message, { version: 'V3' }), { secret: 'not-the-secret' });
    await expect(verify(signed)).rejects.toBeInstanceOf(WebhookSignatureError);
  });

  test('a body changed after signing is refused', async () => {
    const signed = fake.signWebhook(fake.makeGmailMessageEvent(message, { version: 'V3' }));
    const tampered = { ...signed, body: signed.body.replace('Q3 report', 'Q4 report') };
    await expect(verify(tampered)).rejects.toBeInstanceOf(WebhookSignatureError);
  });

  test('missing signature headers are a signature error', async () => {
    const signed = fake.signWebhook(fake.makeGmailMessageEvent(message, { version: 'V3' }));
    const { ['webhook-signature']: _dropped, ...headers } = signed.headers;
    await expect(verify({ headers, body: signed.body })).rejects.toThrow(/missing header\(s\): webhook-signature/);
  });

  test('a webhook older than 300 s is rejected; one within the window is accepted', async () => {
    const event = fake.makeGmailMessageEvent(message, { version: 'V3' });
    const nowSeconds = Math.floor(Date.now() / 1000);
    const stale = fake.signWebhook(event, { timestamp: nowSeconds - 301 });
    await expect(verify(stale)).rejects.toThrow(WebhookSignatureError);
    await expect(verify(stale)).rejects.toThrow(/tolerance/);
    const recent = fake.signWebhook(event, { timestamp: nowSeconds - 250 });
    await expect(verify(recent)).resolves.toMatchObject({ kind: 'gmail_message' });
  });

  test('a signed but malformed body is a payload error that says what is wrong', async () => {
    await expect(verify(fake.signWebhook('{"type": "composio.trigger.message",'))).rejects.toThrow(new WebhookPayloadError('body is not valid JSON'));
    await expect(verify(fake.signWebhook({ hello: 'world' }))).rejects.toThrow(WebhookPayloadError);
    await expect(verify(fake.signWebhook({ hello: 'world' }))).rejects.toThrow(/expected V1/);

    const noSender = fake.makeGmailMessageEvent(message, { version: 'V3' });
    delete (noSender.data as Record<string, unknown>).sender;
    // A signed delivery whose mail cannot be read is the sender's mistake: the route answers 400.
    await expect(verify(fake.signWebhook(noSender))).rejects.toThrow(WebhookPayloadError);
    await expect(verify(fake.signWebhook(noSender))).rejects.toThrow(/gmail message payload: sender/);
  });

  test('account-expired and trigger-disabled events are recognised', async () => {
    const [account] = fake.state.accounts.values();
    const [trigger] = fake.state.triggers.values();
    const expired = await verify(fake.signWebhook(fake.makeAccountExpiredEvent({ connectedAccountId: account!.id })));
    expect(expired).toMatchObject({
      kind: 'account_expired',
      version: 'V3',
      userId: 'alice',
      connectedAccountId: account!.id,
      toolkit: 'gmail',
      reason: 'OAuth refresh token expired',
    });
    const disabled = await verify(fake.signWebhook(fake.makeTriggerDisabledEvent({ triggerId: trigger!.id })));
    expect(disabled).toMatchObject({
      kind: 'trigger_disabled',
      userId: 'alice',
      triggerId: trigger!.id,
      triggerSlug: 'GMAIL_NEW_GMAIL_MESSAGE',
      connectedAccountId: account!.id,
      reason: 'connection_expired',
    });
    fake.activateAccount(account!.id);
  });

  test('verification needs the webhook secret', async () => {
    const noSecret = configFor(fake, { COMPOSIO_WEBHOOK_SECRET: '' });
    await expect(verify(fake.signWebhook(fake.makeGmailMessageEvent(message, { version: 'V3' })), noSecret)).rejects.toThrow(/COMPOSIO_WEBHOOK_SECRET/);
  });
});

describe('tools', () => {
  test('GMAIL_SEND_EMAIL runs once at the pinned version', async () => {
    const before = fake.executed.length;
    const result = await executeComposioTool(config, {
      userId: 'alice',
      slug: 'GMAIL_SEND_EMAIL',
      arguments: { recipient_email: 'dana.lee@acme.example', subject: 'Q3 report', body: 'Attached.' },
    });
    expect(result.successful).toBe(true);
    expect(result.data.id).toEqual(expect.any(String));
    const runs = fake.executed.slice(before);
    expect(runs).toEqual([
      expect.objectContaining({
        slug: 'GMAIL_SEND_EMAIL',
        userId: 'alice',
        version: '20250909_00',
        arguments: { recipient_email: 'dana.lee@acme.example', subject: 'Q3 report', body: 'Attached.' },
      }),
    ]);
    expect(fake.state.sent).toEqual([expect.objectContaining({ to: ['dana.lee@acme.example'], subject: 'Q3 report', body: 'Attached.' })]);
  });

  test('a tool failure comes back as successful: false', async () => {
    const result = await executeComposioTool(config, { userId: 'alice', slug: 'GMAIL_SEND_EMAIL', arguments: { body: 'no recipient' } });
    expect(result).toMatchObject({ successful: false, error: 'recipient_email is required' });
  });

  test('calendar tools act on the linked calendar: a created event shows up as busy', async () => {
    const withCalendar = configFor(fake, { COMPOSIO_AUTH_CONFIG_CALENDAR: 'ac_calendar' });
    const link = await linkAccount(withCalendar, 'alice', 'googlecalendar');
    await fetch(link.redirectUrl!);
    await link.wait(5_000);
    const created = await executeComposioTool(withCalendar, {
      userId: 'alice',
      slug: 'GOOGLECALENDAR_CREATE_EVENT',
      arguments: { start_datetime: '2026-03-03T10:00:00Z', event_duration_minutes: 45, summary: 'Q3 review', attendees: ['dana.lee@acme.example'] },
    });
    expect(created).toMatchObject({ successful: true, data: { summary: 'Q3 review', end: { dateTime: '2026-03-03T10:45:00.000Z' } } });
    const slots = await executeComposioTool(withCalendar, {
      userId: 'alice',
      slug: 'GOOGLECALENDAR_FIND_FREE_SLOTS',
      arguments: { time_min: '2026-03-03T09:00:00Z', time_max: '2026-03-03T12:00:00Z' },
    });
    expect(slots.data.calendars).toEqual({
      primary: {
        busy: [{ start: '2026-03-03T10:00:00.000Z', end: '2026-03-03T10:45:00.000Z' }],
        free: [
          { start: '2026-03-03T09:00:00.000Z', end: '2026-03-03T10:00:00.000Z' },
          { start: '2026-03-03T10:45:00.000Z', end: '2026-03-03T12:00:00.000Z' },
        ],
      },
    });
  });

  test('a toolkit without a pinned version is refused before anything is sent', async () => {
    const gmailOnly = configFor(fake, { COMPOSIO_TOOLKIT_VERSIONS: 'gmail=20250909_00' });
    const before = fake.executed.length;
    await expect(
      executeComposioTool(gmailOnly, { userId: 'alice', slug: 'GOOGLECALENDAR_CREATE_EVENT', arguments: { start_datetime: '2026-03-03T10:00:00Z' } }),
    ).rejects.toThrow(ComposioConfigError);
    expect(fake.executed.length).toBe(before);
  });
});

describe('npm run connect:gmail', () => {
  test('prints the link, waits for the connection and creates the trigger once', async () => {
    const own = await startFakeComposio();
    try {
      const run = () =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../scripts/connect-gmail.ts')], {
            env: {
              PATH: process.env.PATH,
              HOME: home,
              PAPRIKA_DATA_DIR: home,
              PAPRIKA_USER: 'bob',
              COMPOSIO_API_KEY: own.apiKey,
              COMPOSIO_BASE_URL: own.url,
              COMPOSIO_AUTH_CONFIG_GMAIL: 'ac_gmail',
              COMPOSIO_AUTH_CONFIG_CALENDAR: 'ac_calendar',
              COMPOSIO_TOOLKIT_VERSIONS: VERSIONS,
            },
          });
          let out = '';
          let err = '';
          const opened = new Set<string>();
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            // Act as the user: open each printed link once.
            for (const [, link] of out.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/oauth\/\S+)/g)) {
              if (opened.has(link!)) continue;
              opened.add(link!);
              void fetch(link!);
            }
          });
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('close', (code) => resolve({ code, out, err }));
        });
      const first = await run();
      expect(first.err).toBe('');
      expect(first.code).toBe(0);
      expect(first.out).toMatch(/created trigger GMAIL_NEW_GMAIL_MESSAGE/);
      expect(first.out).toMatch(/Google Calendar connected/);
      const second = await run();
      expect(second.code).toBe(0);
      expect(second.out).toMatch(/already connected/);
      expect(second.out).toMatch(/reused trigger GMAIL_NEW_GMAIL_MESSAGE/);
      expect(own.state.triggers.size).toBe(1);
      expect([...own.state.accounts.values()].map((a) => [a.userId, a.toolkit, a.status])).toEqual([
        ['bob', 'gmail', 'ACTIVE'],
        ['bob', 'googlecalendar', 'ACTIVE'],
      ]);
    } finally {
      await own.close();
    }
  }, 60_000);

  test('says which variable is missing', async () => {
    const result = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../scripts/connect-gmail.ts')], {
        env: { PATH: process.env.PATH, HOME: home, PAPRIKA_DATA_DIR: home },
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => resolve({ code, err }));
    });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/COMPOSIO_API_KEY/);
    expect(result.err).toMatch(/COMPOSIO_AUTH_CONFIG_GMAIL/);
  }, 30_000);
});
