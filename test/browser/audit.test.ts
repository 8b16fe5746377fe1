// The audit log in a real Chromium: what the user did through the API and the page shows up with
// where it came from and a link to its Temporal run, "Why did you do this?" on a task lands on its
// entry, and a mail (or everything from its sender) can be forgotten from its notification.
import type { Browser, Page } from 'playwright-core';
import { buildWeb, webDistReady } from '../../scripts/build-web';
import { launchBrowser, logIn, screenshot } from '../helpers/browser';
import { type FeedStack, startFeedStack } from '../helpers/feeds';
import { eventually } from '../helpers/stack';

let f: FeedStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!webDistReady()) await buildWeb();
  f = await startFeedStack({ offline: true });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  // Forgetting asks first; the user says yes.
  page.on('dialog', (d) => void d.accept());
  await logIn(page, f.stack.baseUrl, f.stack.token);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await f?.stop();
});

interface Listed {
  id: string;
  ref?: string;
  title: string;
  item?: { kind: string; sender?: string };
}
const notifications = async () => (await f.stack.api<{ notifications: Listed[] }>('/api/notifications')).body.notifications;
const notificationTitled = (title: string) => eventually(async () => (await notifications()).find((n) => n.title === title), 30_000, `the notification "${title}"`);

test('the audit log shows what the user changed, newest first, with a second page behind "Load more"', async () => {
  // 51 changes of auto-approve: one more than the page's first page.
  for (let i = 0; i < 51; i++) {
    const res = await f.stack.api('/api/approvals/auto', { method: 'PUT', body: { tools: i % 2 === 0 ? ['gmail_send'] : [] } });
    expect(res.status).toBe(200);
  }
  await page.goto(`${f.stack.baseUrl}/#/audit`);
  const entries = page.getByTestId('audit-list').getByTestId('audit-entry');
  await entries.first().waitFor();
  expect(await entries.count()).toBe(50);
  const newest = entries.first();
  expect(await newest.getByTestId('audit-action').innerText()).toBe('Set auto approve');
  expect(await newest.getByTestId('audit-detail').innerText()).toBe('Auto-approve: gmail_send (was none)');
  expect(await newest.getByTestId('audit-provenance').innerText()).toBe('You');
  expect(await newest.getByTestId('audit-outcome').innerText()).toBe('Done');

  await page.getByTestId('audit-load-more').click();
  await eventually(async () => (await entries.count()) === 51, 10_000, 'the second page');
  expect(await entries.last().getByTestId('audit-detail').innerText()).toBe('Auto-approve: gmail_send (was none)');
  expect(await page.getByTestId('audit-load-more').count()).toBe(0);

  // An entry older than the first page, opened by its link, shows above the log.
  const all = (await f.stack.api('/api/audit?limit=200')).body.entries as { id: string }[];
  await page.goto(`${f.stack.baseUrl}/#/audit/${encodeURIComponent(all[all.length - 1]!.id)}`);
  await page.reload();
  const focused = page.getByTestId('audit-focus-section').locator('[data-testid=audit-entry][data-focused=true]');
  await focused.waitFor();
  expect(await focused.getAttribute('data-id')).toBe(all[all.length - 1]!.id);
  expect(await entries.count()).toBe(50);
});

test('"Why did you do this?" on a cancelled task opens its entry, with the run in the Temporal UI', async () => {
  const chat = await f.stack.api('/api/chat', { body: { message: 'remind me in 10 minutes to stretch' } });
  const taskId = chat.body.toolCalls[0].callId as string;
  await page.goto(`${f.stack.baseUrl}/#/tasks`);
  const task = page.locator(`[data-testid=task][data-id="${taskId}"]`);
  await page.locator(`[data-testid=task][data-id="${taskId}"][data-status=running]`).waitFor();
  await task.getByTestId('cancel-task').click();
  await page.locator(`[data-testid=task][data-id="${taskId}"][data-status=cancelled]`).waitFor({ timeout: 60_000 });

  await task.getByTestId('why').click();
  const focused = page.locator('[data-testid=audit-entry][data-focused=true]');
  await focused.waitFor();
  expect(await focused.count()).toBe(1);
  expect(page.url()).toContain('#/audit/');
  expect(await focused.getByTestId('audit-action').innerText()).toBe('Cancel task');
  expect(await focused.getByTestId('audit-detail').innerText()).toContain('stretch');
  expect(await focused.getByTestId('audit-provenance').innerText()).toBe('You');
  const link = focused.getByTestId('audit-temporal-link');
  const workflowId = (await f.stack.api(`/api/tasks`)).body.tasks.find((t: { id: string }) => t.id === taskId).workflowId as string;
  expect(await link.getAttribute('href')).toContain(`/workflows/${encodeURIComponent(workflowId)}`);
  expect(await link.getAttribute('target')).toBe('_blank');
  expect(await link.getAttribute('rel')).toContain('noopener');
  await screenshot(page, 'audit-why-task');
});

test('a mail can be forgotten from its notification, which then disappears; nothing was done for it', async () => {
  await f.deliver({ id: 'forget-me', from: 'Lee Seller <lee@seller.example>', to: ['sam@acme.example'], subject: 'Quote', text: 'Please confirm the quote by tomorrow 10am.' });
  const listed = await notificationTitled('Lee Seller: Quote');
  expect(listed.item).toEqual({ kind: 'email', sender: 'lee@seller.example' });

  await page.goto(`${f.stack.baseUrl}/#/notifications`);
  const item = page.locator(`[data-testid=notification][data-id="${listed.id}"]`);
  await item.getByTestId('why').click();
  expect(await item.getByTestId('why-nothing').innerText()).toBe('Nothing was done for this');
  await item.getByTestId('forget-sender').waitFor();
  await screenshot(page, 'audit-notification-actions');

  await item.getByTestId('forget-item').click();
  await item.waitFor({ state: 'detached' });
  expect((await notifications()).some((n) => n.ref === listed.ref)).toBe(false);
  expect((await f.stack.api(`/api/context/${encodeURIComponent(listed.ref!)}`, { method: 'DELETE' })).status).toBe(404);
});

test('"Forget this sender" removes every notification about their mail', async () => {
  await f.deliver({ id: 'kim-1', from: 'Kim Vendor <kim@vendor.example>', to: ['sam@acme.example'], subject: 'Invoice', text: 'Please pay the invoice by tomorrow 10am.' });
  await f.deliver({ id: 'kim-2', from: 'Kim Vendor <kim@vendor.example>', to: ['sam@acme.example'], subject: 'Reminder', text: 'Please confirm the order by tomorrow 10am.' });
  const first = await notificationTitled('Kim Vendor: Invoice');
  await notificationTitled('Kim Vendor: Reminder');

  await page.goto(`${f.stack.baseUrl}/#/notifications`);
  const kims = page.getByTestId('notification').filter({ hasText: 'Kim Vendor' });
  await eventually(async () => (await kims.count()) === 2, 30_000, 'both of Kim’s notifications on the page');
  await page.locator(`[data-testid=notification][data-id="${first.id}"]`).getByTestId('forget-sender').click();
  await eventually(async () => (await kims.count()) === 0, 10_000, 'Kim’s notifications to go');
  expect((await notifications()).filter((n) => n.title.startsWith('Kim Vendor'))).toEqual([]);
  expect((await f.stack.api('/api/context/forget-sender', { body: { address: 'kim@vendor.example' } })).body.removed.contextItems).toBe(0);
});
