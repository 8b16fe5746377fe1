// Signing in as a person does: the login link `npm start` prints works once, then sends the next
// browser to the sign-in form; the form takes the token or a pasted link; signing out ends it.
import type { Browser, Page } from 'playwright-core';
import { buildWeb, webDistReady } from '../../scripts/build-web';
import { createLoginLink } from '../../src/server/login-link';
import { launchBrowser, logIn } from '../helpers/browser';
import { type Stack, startStack } from '../helpers/stack';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  if (!webDistReady()) await buildWeb();
  stack = await startStack({ offline: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const freshPage = async (): Promise<Page> => (await browser.newContext()).newPage();
const link = () => createLoginLink({ ...stack.config, publicUrl: stack.baseUrl }, stack.store);

test('without a session the page asks to sign in and shows nothing of the user', async () => {
  await stack.store.notifications.add('n-secret', stack.userId, { title: 'Private: salary letter', body: '', priority: 'high' });
  const page = await freshPage();
  await page.goto(`${stack.baseUrl}/#/notifications`);
  await page.getByTestId('login-form').waitFor();
  expect(await page.locator('body').innerText()).not.toContain('salary letter');
});

test('the login link signs in once, leaves the address bar, and fails for the next browser', async () => {
  const url = await link();
  const first = await freshPage();
  await first.goto(url);
  await first.getByTestId('chat-input').waitFor();
  expect(first.url()).not.toContain('login=');
  expect(await first.getByTestId('login-form').count()).toBe(0);

  const second = await freshPage();
  await second.goto(url);
  await second.getByTestId('login-form').waitFor();
  expect(await second.getByTestId('login-error').innerText()).toMatch(/used already or has expired/);
});

test('a login link pasted into the form works too, and signing out returns to the form', async () => {
  const page = await freshPage();
  await page.goto(stack.baseUrl);
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('token-input').fill(await link());
  await page.getByTestId('login-submit').click();
  await page.getByTestId('chat-input').waitFor();

  await page.goto(`${stack.baseUrl}/#/settings`);
  await page.getByTestId('logout-button').click();
  await page.getByTestId('login-form').waitFor();
  await page.reload();
  await page.getByTestId('login-form').waitFor();
});

test('a wrong token is refused on the form and the right one works', async () => {
  const page = await freshPage();
  await page.goto(stack.baseUrl);
  await page.getByTestId('token-input').fill('not-the-token');
  await page.getByTestId('login-submit').click();
  expect(await page.getByRole('alert').innerText()).toMatch(/wrong token/);
  await logIn(page, stack.baseUrl, stack.token);
  await page.getByTestId('chat-input').waitFor();
});
