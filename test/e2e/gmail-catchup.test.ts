// Gmail catch-up, end to end: mail that arrived while Paprika was down (no webhook delivered, no
// subscription) is fetched through the real SDK from the fake Composio at the next start and
// notified once; starting again notifies nothing twice; a hand-off that fails is retried, and one
// that keeps failing is fetched by the next catch-up. Subscribe mode's WebSocket is not faked, so
// its hand-off is driven here through the same function start-feeds gives the subscription.
import { catchUpGmail, handOffWithRetry } from '../../src/integrations/composio/catchup';
import { parseGmailPayload } from '../../src/mail/gmail-payload';
import { gmailCatchupScheduleId, gmailCatchupWorkflowId, mailItemId } from '../../src/shared/ids';
import { startFeeds } from '../../src/start-feeds';
import { gmailTriggerPayload, toFakeMessage } from '../fakes/composio/gmail';
import type { GmailMessageInput } from '../fakes/composio/server';
import type { ChatRequest } from '../fakes/openai-server';
import { type FeedStack, startFeedStack } from '../helpers/feeds';
import { eventually } from '../helpers/stack';

const isTriage = (r: ChatRequest) => (r.messages[0]?.content ?? '').startsWith('You triage email');

let f: FeedStack;
beforeAll(async () => {
  f = await startFeedStack({
    script: (req) =>
      isTriage(req)
        ? { content: JSON.stringify({ priority: 'high', category: 'action', summary: 'Needs an answer.', actionItems: ['Answer'], reason: 'a direct request' }) }
        : { content: 'ok' },
  });
});
afterAll(() => f.stop());

const notifications = async () => (await f.stack.api('/api/notifications')).body.notifications as { title: string; ref: string }[];
const arrive = (m: GmailMessageInput) => {
  const message = toFakeMessage(m);
  f.composio.state.mailbox.push(message);
  return message;
};
/** One start of the feeds, as `npm start` does it, returning its banner. */
const start = async () => {
  const feeds = await startFeeds(f.stack.paprika, f.stack.config, f.stack.store);
  await feeds.stop();
  return feeds.lines.join('\n');
};
const refsOf = async (ids: string[]) => (await notifications()).filter((n) => ids.some((id) => n.ref === mailItemId(`${id}@mail.example.com`)));

test('mail that arrived while Paprika was down is notified once after the start, and once only', async () => {
  expect(await start()).toMatch(/Gmail catch-up: +first start/);

  // Paprika is down: no worker, no webhook, no subscription.
  await f.stack.stopWorker();
  const old = arrive({ id: 'before-paprika', from: 'Old <old@acme.example>', subject: 'Ancient', text: 'From last week.', date: new Date(Date.now() - 7 * 86_400_000).toISOString() });
  const missed = ['down-1', 'down-2', 'down-3'].map((id, i) => arrive({ id, from: `Sender ${i} <s${i}@acme.example>`, subject: `While down ${i}`, text: `Could you answer ${i}?` }));
  await f.stack.startWorker();

  const banner = await start();
  expect(banner).toMatch(/Gmail catch-up: +3 fetched since .* \(3 new, 0 already seen\)/);
  expect(banner).toMatch(/Gmail catch-up every 15 min/);
  const ids = missed.map((m) => m.id);
  const seen = await eventually(async () => {
    const ns = await refsOf(ids);
    return ns.length === 3 && ns;
  }, 60_000, 'three notifications');
  expect(seen.map((n) => n.title).sort()).toEqual(['Sender 0: While down 0', 'Sender 1: While down 1', 'Sender 2: While down 2']);
  expect(await refsOf([old.id])).toEqual([]);
  // The fetch asked Gmail by time, not for the whole mailbox.
  const fetches = f.composio.executed.filter((e) => e.slug === 'GMAIL_FETCH_EMAILS');
  expect(fetches.at(-1)!.arguments.query).toMatch(/^after:\d{10}$/);

  // Starting again fetches the overlap, and the feed workflow IDs turn it into duplicates.
  expect(await start()).toMatch(/\(0 new, 3 already seen\)/);
  expect(await refsOf(ids)).toHaveLength(3);
});

test('a catch-up pages through the results, oldest first', async () => {
  const base = Date.now();
  const burst = Array.from({ length: 5 }, (_, i) => arrive({ id: `page-${i}`, from: 'Pat <pat@acme.example>', subject: `Page ${i}`, text: `Item ${i}`, date: new Date(base + i * 1000).toISOString() }));
  const submitted: string[] = [];
  const before = f.composio.executed.length;
  const result = await catchUpGmail(f.stack.config, f.stack.store, f.stack.userId, async (email) => {
    submitted.push(email.subject);
    return f.stack.paprika.feeds.submitEmail(email, f.stack.userId);
  }, { pageSize: 2 });
  expect(submitted.filter((s) => s.startsWith('Page '))).toEqual(burst.map((m) => m.subject));
  expect(result).toMatchObject({ fed: 5, truncated: false });
  // Earlier mail inside the overlap comes along too (as duplicates), so count pages, not items.
  const tokens = f.composio.executed.slice(before).filter((e) => e.slug === 'GMAIL_FETCH_EMAILS').map((e) => e.arguments.page_token);
  expect(tokens.length).toBeGreaterThanOrEqual(3);
  expect(tokens).toEqual(tokens.map((_, i) => (i === 0 ? undefined : String(i * 2))));
});

test('a failed hand-off is retried, and one that keeps failing is caught up at the next start', async () => {
  const flaky = arrive({ id: 'flaky-1', from: 'Flo <flo@acme.example>', subject: 'Retried', text: 'Please confirm.' });
  const { message: flakyEmail } = await parseGmailPayload(gmailTriggerPayload(flaky));
  let calls = 0;
  const handed = await handOffWithRetry(async () => {
    if (++calls === 1) throw new Error('Temporal unavailable');
    return f.stack.paprika.feeds.submitEmail(flakyEmail, f.stack.userId);
  }, 'flaky-1', { firstDelayMs: 10 });
  expect({ handed, calls }).toEqual({ handed: true, calls: 2 });

  const lost = arrive({ id: 'lost-1', from: 'Lou <lou@acme.example>', subject: 'Never handed on', text: 'Please confirm too.' });
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const gaveUp = await handOffWithRetry(async () => {
    throw new Error('Temporal unavailable');
  }, 'lost-1', { attempts: 3, firstDelayMs: 10 });
  const logged = errors.mock.calls.join('\n');
  errors.mockRestore();
  expect(gaveUp).toBe(false);
  expect(logged).toMatch(/could not hand on lost-1 after 3 attempts .*the next catch-up will fetch it/);

  expect(await start()).toMatch(/1 new/);
  const ns = await eventually(async () => {
    const found = await refsOf([flaky.id, lost.id]);
    return found.length === 2 && found;
  }, 60_000, 'both notified');
  expect(ns.map((n) => n.title).sort()).toEqual(['Flo: Retried', 'Lou: Never handed on']);
});

test('the scheduled catch-up is a Schedule running the same catch-up as a workflow', async () => {
  const described = await f.stack.client.schedule.getHandle(gmailCatchupScheduleId(f.stack.userId)).describe();
  expect(described.spec.intervals?.[0]?.every).toBe(15 * 60_000);
  await start(); // whatever earlier tests left behind
  const late = arrive({ id: 'late-1', from: 'Lee <lee@acme.example>', subject: 'Missed by the webhook', text: 'Are you there?' });
  const result = await f.stack.client.workflow.execute('gmailCatchupWorkflow', {
    workflowId: `${gmailCatchupWorkflowId(f.stack.userId)}-test`,
    taskQueue: f.stack.config.temporal.taskQueue,
    args: [{ userId: f.stack.userId }],
  });
  expect(result).toMatchObject({ fed: 1 });
  await eventually(async () => (await refsOf([late.id])).length === 1, 60_000, 'the late mail notified');
});
