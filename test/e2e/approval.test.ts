// Durable approval before a side effect, against the real dev server, the fake model and the fake
// Composio: the agent drafts (no approval: nothing leaves), then its send waits for the user;
// approve sends exactly once, reject sends nothing and the agent hears why, edit sends the edited
// text, and the approval can be answered in chat.
import type { FakeComposio } from '../fakes/composio/server';
import { type ChatRequest, type FakeReply, lastUserText, promptKind } from '../fakes/openai-server';
import { emailFor, gmailScript, linkUserGmail, pendingApproval, sends, startComposioForStack, taskDone } from '../helpers/gmail-agent';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
let fake: FakeComposio;

beforeAll(async () => {
  const composio = await startComposioForStack();
  fake = composio.fake;
  stack = await startStack({ script: gmailScript(replyAgent), env: composio.env });
  await linkUserGmail(stack);
});
afterAll(async () => {
  await stack.stop();
  await fake.close();
});

/** For "email dana reply": the agent replies in thread t-reply instead of drafting and sending. */
function replyAgent(req: ChatRequest): FakeReply | undefined {
  if (promptKind(req) !== 'agent' || !lastUserText(req).includes('tag=reply')) return undefined;
  if (!req.messages.some((m) => m.role === 'tool')) return { toolCalls: [{ name: 'gmail_reply', arguments: { threadId: 't-reply', body: 'Sending them today.' } }] };
  return { content: 'Replied.' };
}

async function delegate(tag: string): Promise<string> {
  const chat = await stack.api('/api/chat', { body: { message: `please email dana ${tag}` } });
  expect(chat.status).toBe(200);
  return chat.body.toolCalls[0].callId as string;
}

const sendsTo = (tag: string) => sends(fake).filter((e) => e.arguments.recipient_email === emailFor(tag).to);

test('a send waits for approval, shows exactly what will happen, and is sent once after approve', async () => {
  const taskId = await delegate('approve');
  const approval = await pendingApproval(stack, taskId);
  const email = emailFor('approve');
  expect(approval).toMatchObject({
    tool: 'gmail_send',
    status: 'pending',
    args: { to: [email.to], subject: email.subject, body: email.body },
    preview: { kind: 'email', to: email.to, subject: email.subject, body: email.body },
  });
  expect(Date.parse(approval.expiresAt) - Date.parse(approval.createdAt)).toBeCloseTo(72 * 3600_000, -5);
  // The draft needed no approval; nothing has been sent.
  expect(fake.state.drafts.filter((d) => d.to.includes(email.to))).toHaveLength(1);
  expect(sendsTo('approve')).toHaveLength(0);
  const notes = (await stack.api('/api/notifications')).body.notifications;
  expect(notes).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'approval', ref: `approval:${approval.id}`, priority: 'high' })]));
  expect(notes.find((n: { ref?: string }) => n.ref === `approval:${approval.id}`).body).toContain(email.body);
  const task = (await stack.api('/api/tasks')).body.tasks.find((t: { id: string }) => t.id === taskId);
  expect(task.progress).toContain('waiting for approval');

  const answer = await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'approve' } });
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ ok: true, approval: { id: approval.id, status: 'approved' } });

  const done = await taskDone(stack, taskId);
  expect(done.status).toBe('completed');
  expect(done.result).toContain('email sent');
  expect(sendsTo('approve')).toHaveLength(1);
  expect(sendsTo('approve')[0]!.arguments).toMatchObject({ recipient_email: email.to, subject: email.subject, body: email.body });
  expect(fake.state.sent.filter((m) => m.to.includes(email.to))).toHaveLength(1);

  const again = await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'approve' } });
  expect(again.status).toBe(409);
  expect(sendsTo('approve')).toHaveLength(1);
});

test('reject sends nothing and the agent hears the reason', async () => {
  const taskId = await delegate('reject');
  const approval = await pendingApproval(stack, taskId);
  const answer = await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'reject', reason: 'Dana is on holiday, wait until Monday' } });
  expect(answer.status).toBe(200);
  expect(answer.body.approval).toMatchObject({ status: 'rejected', reason: 'Dana is on holiday, wait until Monday' });
  const done = await taskDone(stack, taskId);
  expect(done.status).toBe('completed');
  expect(done.result).toContain('Dana is on holiday, wait until Monday');
  expect(sendsTo('reject')).toHaveLength(0);
  // The model saw the rejection and the reason as the send's tool result.
  const agentSaw = stack.fake!.requests.filter((r) => r.messages.some((m) => m.role === 'tool' && (m.content ?? '').includes('rejected gmail_send')));
  expect(agentSaw.length).toBeGreaterThan(0);
});

test('edit sends the edited text; bad edits are refused with 400 and change nothing', async () => {
  const taskId = await delegate('edit');
  const approval = await pendingApproval(stack, taskId);
  const bad = await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'edit', args: { to: 'not-an-address' } } });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toContain('"to": must be an email address');
  const noArgs = await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'edit' } });
  expect(noArgs.status).toBe(400);

  const edited = await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'edit', args: { body: 'Hi Dana, edited by me.' } } });
  expect(edited.status).toBe(200);
  expect(edited.body.approval).toMatchObject({ status: 'approved', args: { body: 'Hi Dana, edited by me.', subject: emailFor('edit').subject } });
  await taskDone(stack, taskId);
  expect(sendsTo('edit')).toHaveLength(1);
  expect(sendsTo('edit')[0]!.arguments).toMatchObject({ body: 'Hi Dana, edited by me.', subject: emailFor('edit').subject });
});

test('a reply goes to the recipient the user approved, even if someone writes in the thread meanwhile', async () => {
  const message = (from: string, minutesAgo: number) =>
    fake.makeGmailMessageEvent(
      { threadId: 't-reply', from, subject: 'Q3 numbers', text: 'Can you send the numbers?', date: new Date(Date.now() - minutesAgo * 60_000).toISOString() },
      { version: 'V3' },
    );
  message('Dana Whitfield <dana@acme.example>', 10);
  const taskId = await delegate('reply');
  const approval = await pendingApproval(stack, taskId);
  expect(approval).toMatchObject({ tool: 'gmail_reply', args: { to: 'dana@acme.example' }, preview: { to: 'dana@acme.example', subject: 'Re: Q3 numbers' } });

  message('someone.else@elsewhere.example', 1);
  expect((await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'approve' } })).status).toBe(200);
  expect((await taskDone(stack, taskId)).status).toBe('completed');
  const replies = fake.executed.filter((e) => e.slug === 'GMAIL_REPLY_TO_THREAD');
  expect(replies.map((e) => e.arguments.recipient_email)).toEqual(['dana@acme.example']);
});

test('unknown approvals are 404, malformed answers 400', async () => {
  expect((await stack.api('/api/approvals/nope', { body: { decision: 'approve' } })).status).toBe(404);
  expect((await stack.api('/api/approvals/nope', { body: { decision: 'maybe' } })).status).toBe(400);
});

test('"yes, send it" in chat approves the pending send', async () => {
  const taskId = await delegate('chat');
  const approval = await pendingApproval(stack, taskId);
  // The assistant was told about the approval (and relayed it).
  await eventually(() => stack.fake!.requests.some((r) => r.messages.some((m) => (m.content ?? '').includes(`approvalId ${approval.id}`))), 20_000, 'the assistant to hear of the approval');
  const chat = await stack.api('/api/chat', { body: { message: 'yes, send it' } });
  expect(chat.status).toBe(200);
  expect(chat.body.reply.text).toBe('Sending it.');
  const done = await taskDone(stack, taskId);
  expect(done.status).toBe('completed');
  expect(sendsTo('chat')).toHaveLength(1);
  expect((await stack.api(`/api/approvals/${approval.id}`)).body.approval.status).toBe('approved');
});

test('auto-approve is opt-in per tool', async () => {
  expect((await stack.api('/api/approvals/auto')).body).toEqual({ tools: [] });
  expect((await stack.api('/api/approvals/auto', { method: 'PUT', body: { tools: ['no_such_tool'] } })).status).toBe(400);
  const set = await stack.api('/api/approvals/auto', { method: 'PUT', body: { tools: ['gmail_send'] } });
  expect(set.body).toEqual({ tools: ['gmail_send'] });
  try {
    const taskId = await delegate('auto');
    const done = await taskDone(stack, taskId);
    expect(done.status).toBe('completed');
    expect(sendsTo('auto')).toHaveLength(1);
    expect((await stack.api('/api/approvals')).body.approvals.filter((a: { taskId: string }) => a.taskId === taskId)).toEqual([]);
  } finally {
    await stack.api('/api/approvals/auto', { method: 'PUT', body: { tools: [] } });
  }
});
