// The web page in a real Chromium against the real stack (dev server, worker, API, fake model):
// what a person does with it, and what they must never see (email HTML coming alive).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWeb, webDistReady } from '../../scripts/build-web';
import { lastUserText, promptKind } from '../fakes/openai-server';
import { launchBrowser, logIn, screenshot } from '../helpers/browser';
import { eventually, type Stack, startStack } from '../helpers/stack';

const XSS = '<img src=x onerror=alert(1)>';

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const outside: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!webDistReady()) await buildWeb();
  stack = await startStack({
    script: (req) => {
      const text = lastUserText(req);
      if (promptKind(req) !== 'assistant') return { content: 'ok' };
      // A feed item: the model passes the email on as a notification, quoting its body.
      if (/Feed event/.test(text) && !/User \(/.test(text)) {
        return {
          toolCalls: [{ name: 'notify_user', arguments: { title: 'Maria: Q3 numbers needed', body: `Maria wrote: ${XSS} please send the numbers`, priority: 'high' } }],
        };
      }
      const said = /User \([^)]*\): (.*)/.exec(text)?.[1] ?? '?';
      if (/remind me/i.test(said)) {
        return { content: 'Sure, I will remind you.', toolCalls: [{ name: 'set_reminder', arguments: { text: 'stretch', inMinutes: 30 } }] };
      }
      // Slow enough that the thinking indicator can be seen.
      return { content: `You said: **${said}**`, delayMs: 700 };
    },
  });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const base = new URL(stack.baseUrl);
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.host !== base.host) outside.push(r.url());
  });
  await logIn(page, stack.baseUrl, stack.token);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const messages = () => page.getByTestId('message');
const assistantTexts = () => page.locator('[data-testid=message][data-role=assistant] .bubble').allInnerTexts();

test('a chat message gets the reply, with a thinking indicator meanwhile and markdown rendered', async () => {
  await page.goto(stack.baseUrl);
  await page.getByTestId('chat-input').fill('hello paprika');
  await page.getByTestId('send-button').click();
  await page.getByTestId('thinking').waitFor();
  await page.locator('[data-testid=message][data-role=assistant]', { hasText: 'You said: hello paprika' }).waitFor();
  await page.getByTestId('thinking').waitFor({ state: 'detached' });
  // **bold** became <strong>, the user's own text stayed plain.
  expect(await page.locator('[data-testid=message][data-role=assistant] strong').first().innerText()).toBe('hello paprika');
  expect(await page.locator('[data-testid=message][data-role=user]').last().innerText()).toContain('hello paprika');
  await screenshot(page, 'chat');
});

test('HTML in a message and in the reply shows as text and never runs', async () => {
  await page.getByTestId('chat-input').fill(`look at this ${XSS}`);
  await page.getByTestId('chat-input').press('Enter');
  await eventually(async () => (await assistantTexts()).some((t) => t.includes(`You said: look at this ${XSS}`)), 30_000, 'the echoed reply');
  expect(await page.locator('[data-testid=message-list] img').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('a reload keeps the transcript', async () => {
  const before = await messages().allInnerTexts();
  await page.reload();
  await page.locator('[data-testid=message][data-role=assistant]', { hasText: 'You said: hello paprika' }).waitFor();
  const after = await messages().allInnerTexts();
  expect(after.map(withoutTime)).toEqual(before.map(withoutTime));
  expect(after.filter((t) => t.includes('hello paprika'))).toHaveLength(2);
});

test('a feed event appears live as a notification, its email text inert, and can be marked read', async () => {
  await page.goto(`${stack.baseUrl}/#/notifications`);
  await page.getByText('No notifications yet').waitFor();
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await stack.assistant.sendEvent(stack.userId, {
    id: 'feed-browser-1',
    kind: 'feed',
    priority: 'high',
    source: 'gmail',
    ref: 'gmail:msg-1',
    text: `From: maria@example.com\nSubject: Q3\n\n${XSS}`,
    at: new Date().toISOString(),
  });
  const item = page.locator('[data-testid=notification]', { hasText: 'Maria: Q3 numbers needed' });
  await item.waitFor({ timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  expect(await item.getByTestId('notification-body').innerText()).toContain(XSS);
  expect(await page.locator('main img').count()).toBe(0);
  expect(await item.getAttribute('data-priority')).toBe('high');
  expect(await page.getByTestId('unread-badge').innerText()).toBe('1');
  await page.waitForFunction(() => document.title === '(1) Paprika');
  await screenshot(page, 'notifications');

  await item.getByTestId('mark-read').click();
  await page.waitForFunction(() => document.title === 'Paprika');
  expect(await page.getByTestId('unread-badge').count()).toBe(0);
  const stored = await stack.api<{ unread: number }>('/api/notifications');
  expect(stored.body.unread).toBe(0);
  expect(dialogs).toEqual([]);
});

test('after the connection drops, the page catches up on what it missed without a reload', async () => {
  await page.goto(`${stack.baseUrl}/#/notifications`);
  await page.locator('[data-testid=connection-status][data-state=ok]').waitFor();
  await context.setOffline(true);
  await page.locator('[data-testid=connection-status]:not([data-state=ok])').waitFor({ timeout: 30_000 });
  await stack.store.notifications.add('missed-1', stack.userId, { title: 'Sent while you were offline', body: '', priority: 'urgent' });
  await context.setOffline(false);
  await page.locator('[data-testid=notification]', { hasText: 'Sent while you were offline' }).waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=connection-status][data-state=ok]').waitFor({ timeout: 30_000 });
  expect(await page.locator('[data-testid=notification]', { hasText: 'Sent while you were offline' }).count()).toBe(1);
});

test('a task started from chat shows in Tasks with its status and a link to its run', async () => {
  await page.goto(`${stack.baseUrl}/#/chat`);
  await page.getByTestId('chat-input').fill('remind me to stretch');
  await page.getByTestId('send-button').click();
  const reply = page.locator('[data-testid=message][data-role=assistant]', { hasText: 'Sure, I will remind you.' });
  await reply.waitFor({ timeout: 30_000 });
  // The task's chip sits under the reply that started it, once.
  await reply.getByRole('link', { name: /stretch/ }).waitFor({ timeout: 10_000 });
  expect(await page.locator('[data-testid=message][data-role=user]', { hasText: 'remind me to stretch' }).getByRole('link').count()).toBe(0);
  await page.getByTestId('nav-tasks').click();
  const task = page.getByTestId('task').first();
  await task.waitFor({ timeout: 30_000 });
  expect(await task.getAttribute('data-status')).toBe('running');
  expect(await task.getByTestId('cancel-task').isVisible()).toBe(true);
  expect(await task.getByTestId('temporal-link').getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/./);
  await screenshot(page, 'tasks');
});

test('approvals, memory and settings load their real content on a fresh account', async () => {
  // Nothing here asks for approval or is remembered, so each view shows its empty state, not an error.
  const expected: Record<string, RegExp[]> = {
    approvals: [/Nothing waiting for you/, /Nothing to approve/],
    memory: [/Nothing remembered yet/, /Save profile/],
    settings: [/Save settings/, /Connected sources/],
  };
  for (const [view, shows] of Object.entries(expected)) {
    await page.goto(`${stack.baseUrl}/#/${view}`);
    await page.locator('.page').waitFor();
    await page.waitForFunction(() => !document.querySelector('.loading'));
    const text = await page.locator('main').innerText();
    for (const re of shows) expect(text).toMatch(re);
    expect(text).not.toMatch(/not available yet/);
    expect(await page.locator('.notice-error').count()).toBe(0);
    await screenshot(page, view);
  }
});

test('on a phone-sized screen the chat and the navigation fit', async () => {
  const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
  await logIn(phone, stack.baseUrl, stack.token);
  await phone.locator('[data-testid=message]').first().waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await phone.getByTestId('nav-settings').isVisible()).toBe(true);
  expect(await phone.getByTestId('send-button').isVisible()).toBe(true);
  await screenshot(phone, 'chat-phone');
  await phone.close();
});

test('nothing was requested from outside the API, and nothing threw', () => {
  expect(outside).toEqual([]);
  expect(pageErrors).toEqual([]);
});

/** Times render as a clock time (not yet on a message still being sent); compare messages by their words only. */
function withoutTime(t: string): string {
  return t.replace(/\d{1,2}:\d{2}(\s?[AP]M)?/g, '').replace(/\s+/g, ' ').replace(/: /g, ':').trim();
}
