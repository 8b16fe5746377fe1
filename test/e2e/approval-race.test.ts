// An approval answered the moment it appears: the user sees the request in the store while the
// agent workflow has not yet heard that requestApproval finished. The answer must wait for it and
// count, not be refused as "no such approval" (a crash or a slow worker opens the same window).
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import type { FakeComposio } from '../fakes/composio/server';
import { emailFor, gmailScript, linkUserGmail, pendingApproval, sends, startComposioForStack, taskDone } from '../helpers/gmail-agent';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
let fake: FakeComposio;
let release: () => void = () => undefined;
const held = new Promise<void>((r) => (release = r));

beforeAll(async () => {
  const composio = await startComposioForStack();
  fake = composio.fake;
  // requestApproval writes the store, then its completion is held back until the test says so.
  const holdRequestApproval = (ctx: { info: { activityType: string } }): ActivityInboundCallsInterceptor => ({
    async execute(input, next) {
      const result = await next(input);
      if (ctx.info.activityType === 'requestApproval') await held;
      return result;
    },
  });
  stack = await startStack({ script: gmailScript(), env: composio.env, interceptors: { activity: [(ctx) => ({ inbound: holdRequestApproval(ctx) })] } });
  await linkUserGmail(stack);
});
afterAll(async () => {
  release();
  await stack.stop();
  await fake.close();
});

test('an approval answered before its agent has seen it recorded is honoured, and the email sent once', async () => {
  const chat = await stack.api('/api/chat', { body: { message: 'please email dana race' } });
  const taskId = chat.body.toolCalls[0].callId as string;
  const approval = await pendingApproval(stack, taskId);

  const answering = stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'approve' } });
  // The workflow accepted the answer while requestApproval was still open...
  const handle = stack.client.workflow.getHandle(approval.workflowId);
  await eventually(
    async () => (await handle.fetchHistory()).events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes),
    20_000,
    'the approval update to be accepted',
  );
  expect(sends(fake)).toHaveLength(0);
  release();

  // ...and it takes effect once the request is recorded.
  const answer = await answering;
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ ok: true, approval: { id: approval.id, status: 'approved' } });
  const done = await taskDone(stack, taskId);
  expect(done.status).toBe('completed');
  expect(sends(fake).filter((e) => e.arguments.recipient_email === emailFor('race').to)).toHaveLength(1);
});
