// The approvals inbox in a real Chromium: a task agent's email waits for approval, the page shows
// exactly what will be sent (as text, Cc included), and Approve on the page lets the task finish,
// sending once.
import type { Browser, Page } from 'playwright-core';
import { buildWeb, webDistReady } from '../../scripts/build-web';
import type { FakeComposio } from '../fakes/composio/server';
import { type ChatRequest, type FakeReply, lastUserText, promptKind } from '../fakes/openai-server';
import { launchBrowser, logIn, screenshot } from '../helpers/browser';
import { emailFor, gmailScript, linkUserGmail, pendingApproval, sends, startComposioForStack } from '../helpers/gmail-agent';
import { type Stack, startStack } from '../helpers/stack';

let stack: Stack;
let fake: FakeComposio;
let browser: Browser;
let page: Page;

const CC_TAG = 'webcc';
const CC = ['lee@acme.example', 'sam@acme.example'];

/** For the Cc case the agent sends straight away (no draft), copying two people. */
function ccEmail(req: ChatRequest): FakeReply | undefined {
  if (promptKind(req) !== 'agent' || !lastUserText(req).includes(`tag=${CC_TAG}`)) return undefined;
  if (req.messages.some((m) => m.role === 'tool')) return { content: 'Done.' };
  return { toolCalls: [{ name: 'gmail_send', arguments: { ...emailFor(CC_TAG), cc: CC } }] };
}

beforeAll(async () => {
  if (!webDistReady()) await buildWeb();
  const composio = await startComposioForStack();
  fake = composio.fake;
  stack = await startStack({ script: gmailScript(ccEmail), env: composio.env });
  await linkUserGmail(stack);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  await logIn(page, stack.baseUrl, stack.token);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await fake?.close();
});

test('approving a pending email on the page sends it once and completes the task', async () => {
  const chat = await stack.api('/api/chat', { body: { message: 'please email dana web1' } });
  const taskId = chat.body.toolCalls[0].callId as string;
  await pendingApproval(stack, taskId);
  expect(sends(fake)).toHaveLength(0);

  await page.goto(`${stack.baseUrl}/#/approvals`);
  const item = page.locator('[data-testid=approval][data-status=pending]');
  await item.waitFor();
  const email = emailFor('web1');
  await expectText(page, 'approval-to', email.to);
  await expectText(page, 'approval-subject', email.subject);
  await expectText(page, 'approval-body', email.body);
  expect(await item.getByTestId('approval-cc').count()).toBe(0);
  await expectText(page, 'approvals-count', '1');
  await screenshot(page, 'approval-pending');

  await item.getByTestId('approve-button').click();
  await page.goto(`${stack.baseUrl}/#/tasks`);
  await page.locator(`[data-testid=task][data-status=completed]`).first().waitFor({ timeout: 60_000 });
  await screenshot(page, 'approval-task-completed');

  expect(sends(fake)).toHaveLength(1);
  expect(sends(fake)[0]!.arguments).toMatchObject({ subject: email.subject });
  expect(await page.getByTestId('approvals-count').count()).toBe(0);
});

test('a pending email that copies people shows its Cc before it is approved', async () => {
  const chat = await stack.api('/api/chat', { body: { message: `please email dana ${CC_TAG}` } });
  const taskId = chat.body.toolCalls[0].callId as string;
  const approval = await pendingApproval(stack, taskId);
  expect(approval.preview.cc).toBe(CC.join(', '));

  await page.goto(`${stack.baseUrl}/#/approvals`);
  const item = page.locator(`[data-testid=approval][data-id="${approval.id}"]`);
  await item.waitFor();
  expect(await item.getByTestId('approval-to').innerText()).toBe(emailFor(CC_TAG).to);
  expect(await item.getByTestId('approval-cc').innerText()).toBe(CC.join(', '));
  await screenshot(page, 'approval-pending-cc');
});

async function expectText(p: Page, testId: string, text: string): Promise<void> {
  await p.getByTestId(testId).first().waitFor();
  expect(await p.getByTestId(testId).first().innerText()).toContain(text);
}
