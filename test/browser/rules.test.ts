// Feedback in the page: "Not important" on a mail's notification makes a rule that Settings lists,
// and deleting it there removes it.
import type { Browser, Page } from 'playwright-core';
import { buildWeb, webDistReady } from '../../scripts/build-web';
import { launchBrowser, logIn, screenshot } from '../helpers/browser';
import { type FeedStack, startFeedStack } from '../helpers/feeds';
import { eventually } from '../helpers/stack';
import { mailItemId } from '../../src/shared/ids';

let f: FeedStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!webDistReady()) await buildWeb();
  f = await startFeedStack({ offline: true });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  await logIn(page, f.stack.baseUrl, f.stack.token);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await f?.stop();
});

test('"Not important" on a notification shows up as a rule in Settings, where it can be deleted', async () => {
  await f.deliver({ id: 'promo-ask', from: 'Lee Seller <lee@seller.example>', to: ['sam@acme.example'], subject: 'Quote', text: 'Please confirm the quote by tomorrow 10am.' });
  await eventually(async () => ((await f.stack.api('/api/notifications')).body.notifications as { ref?: string }[]).some((n) => n.ref === mailItemId('promo-ask@mail.example.com')), 30_000, 'the notification');

  await page.goto(`${f.stack.baseUrl}/#/notifications`);
  const item = page.getByTestId('notification').filter({ hasText: 'Lee Seller: Quote' });
  await item.getByTestId('not-important').click();
  await item.getByTestId('feedback-done').waitFor();
  expect(await item.getByTestId('feedback-done').textContent()).toContain('lee@seller.example');

  await page.goto(`${f.stack.baseUrl}/#/settings`);
  const rule = page.getByTestId('rule').first();
  await rule.waitFor();
  expect(await rule.getByTestId('rule-value').inputValue()).toBe('lee@seller.example');
  expect(await rule.getByTestId('rule-effect').inputValue()).toBe('never_notify');
  await screenshot(page, 'settings-rules');

  await rule.getByTestId('rule-delete').click();
  await page.getByTestId('rules-panel').getByText('No rules yet').waitFor();
  expect((await f.stack.api('/api/rules')).body.rules).toEqual([]);
}, 120_000);
