// The IMAP feed against a real Dovecot on loopback: new mail arrives by IDLE while Paprika runs,
// mail that arrived while it was stopped is fed once on the next start, a recreated mailbox (new
// UIDVALIDITY) feeds nothing twice, and a wrong password or a dead server is a clear message in
// the banner and in sources while the rest keeps working.
import { startFeeds, type StartedFeeds } from '../../src/start-feeds';
import { ImapCursorStore } from '../../src/store/imap-cursor';
import { freePort } from '../../src/temporal/dev-server';
import { rawMessage, startImapServer, type TestImapServer } from '../helpers/imap-server';
import { eventually, type Stack, startStack } from '../helpers/stack';
import { mailItemId } from '../../src/shared/ids';

const VIP = 'dana@acme.example';
type Note = { id: string; title: string; priority: string; source: string; ref?: string };
type Source = { name: string; connected: boolean; healthy: boolean; detail: string };

const notificationsOf = async (s: Stack) => (await s.api('/api/notifications')).body.notifications as Note[];
const imapSource = async (s: Stack) => ((await s.api('/api/settings')).body.sources as Source[]).find((x) => x.name === 'imap');
const vipMail = (id: string, subject: string) => rawMessage({ id, from: `Dana Whitfield <${VIP}>`, subject });

describe('a reachable mailbox', () => {
  let imap: TestImapServer;
  let stack: Stack;
  let feeds: StartedFeeds | undefined;

  beforeAll(async () => {
    imap = await startImapServer();
    stack = await startStack({ offline: true, env: { PAPRIKA_IMAP_URL: imap.url, PAPRIKA_IMAP_PASSWORD: imap.password } });
    // Only a VIP's mail passes the default threshold without a model: each message is one notification.
    expect((await stack.api('/api/settings', { method: 'PUT', body: { vips: [VIP] } })).status).toBe(200);
  });
  afterAll(async () => {
    await feeds?.stop();
    await stack.paprika.feeds.deleteSchedules(stack.userId).catch(() => undefined);
    await stack.stop();
    await imap.stop();
  });

  const start = async () => {
    feeds = await startFeeds(stack.paprika, stack.config, stack.store);
    return feeds;
  };
  const stop = async () => {
    await feeds?.stop();
    feeds = undefined;
  };
  // Mail is stored as `mail:<Message-ID>`; the tests name it by its Message-ID.
  const notified = async (messageId: string) => (await notificationsOf(stack)).filter((n) => n.ref === mailItemId(messageId));

  test('new mail while Paprika runs is notified', async () => {
    const started = await start();
    expect(started.lines.join('\n')).toContain(`IMAP:             Connected to ${imap.user}@127.0.0.1:${imap.port}, INBOX`);
    expect(await imapSource(stack)).toMatchObject({ connected: true, healthy: true });
    await imap.append(vipMail('live-1@acme.example', 'Budget question'));
    const n = await eventually(async () => (await notified('live-1@acme.example'))[0], 30_000, 'the live mail notification');
    expect(n).toMatchObject({ title: 'Dana Whitfield: Budget question', source: 'imap', priority: 'high' });
  });

  test('mail that arrives while Paprika is stopped is notified once after the restart', async () => {
    await stop();
    await imap.append(vipMail('offline-1@acme.example', 'While you were away'));
    await imap.append(vipMail('offline-2@acme.example', 'Also while away'));
    await start();
    await eventually(async () => (await notified('offline-2@acme.example')).length === 1, 30_000, 'the second missed mail');
    expect(await notified('offline-1@acme.example')).toHaveLength(1);
    expect(await notified('live-1@acme.example')).toHaveLength(1);
  });

  test('a recreated mailbox (new UIDVALIDITY) feeds nothing twice', async () => {
    await stop();
    const before = await imap.uidValidity();
    await imap.recreateMailbox();
    // The restored mailbox holds the same messages under new UIDs, and one new message.
    await imap.append(vipMail('live-1@acme.example', 'Budget question'));
    await imap.append(vipMail('offline-1@acme.example', 'While you were away'));
    await imap.append(vipMail('after-restore@acme.example', 'After the restore'));
    expect(await imap.uidValidity()).not.toBe(before);
    await start();
    await eventually(async () => (await notified('after-restore@acme.example')).length === 1, 30_000, 'the new mail after the restore');
    expect(await notified('live-1@acme.example')).toHaveLength(1);
    expect(await notified('offline-1@acme.example')).toHaveLength(1);
    const cursor = await new ImapCursorStore(stack.store.sql).get(`${imap.user}@127.0.0.1:${imap.port}/INBOX`);
    expect(cursor).toEqual({ uidValidity: String(await imap.uidValidity()), lastUid: 3 });
  });
});

describe('a mailbox Paprika cannot use', () => {
  let imap: TestImapServer;
  beforeAll(async () => {
    imap = await startImapServer();
  });
  afterAll(() => imap.stop());

  const withStack = async (env: Record<string, string>, check: (stack: Stack, lines: string[]) => Promise<void>) => {
    const stack = await startStack({ offline: true, env });
    const feeds = await startFeeds(stack.paprika, stack.config, stack.store);
    try {
      await check(stack, feeds.lines);
    } finally {
      await feeds.stop();
      await stack.paprika.feeds.deleteSchedules(stack.userId).catch(() => undefined);
      await stack.stop();
    }
  };

  test('a wrong password is a clear message in the banner and sources; Paprika keeps running', async () => {
    await withStack({ PAPRIKA_IMAP_URL: imap.url, PAPRIKA_IMAP_PASSWORD: 'not-the-password' }, async (stack, lines) => {
      const banner = lines.find((l) => l.includes('IMAP:'));
      expect(banner).toContain(`IMAP login to ${imap.user}@127.0.0.1:${imap.port} failed: wrong user or password`);
      expect(banner).not.toContain('not-the-password');
      const s = await imapSource(stack);
      expect(s).toMatchObject({ connected: false, healthy: false });
      expect(s!.detail).toMatch(/failed: wrong user or password \(PAPRIKA_IMAP_PASSWORD/);
      // The rest works: a chat turn is answered by the offline policy.
      const chat = await stack.api('/api/chat', { body: { message: 'hello' } });
      expect(chat.status).toBe(200);
    });
  });

  test('an unreachable server is a clear message, and Paprika keeps running', async () => {
    const closed = await freePort();
    await withStack({ PAPRIKA_IMAP_URL: `imap://${imap.user}@127.0.0.1:${closed}`, PAPRIKA_IMAP_PASSWORD: imap.password }, async (stack, lines) => {
      expect(lines.find((l) => l.includes('IMAP:'))).toContain(`IMAP server 127.0.0.1:${closed} is unreachable (ECONNREFUSED)`);
      expect(await imapSource(stack)).toMatchObject({ healthy: false, detail: expect.stringContaining('unreachable') });
      expect((await stack.api('/api/settings')).status).toBe(200);
    });
  });
});
