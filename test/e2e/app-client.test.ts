// The application client's answers when it cannot do what was asked, as a script or an activity
// sees them (a reason and a message) and as the page sees them (the HTTP status and that message).
// Real dev server, real store; the approvals and tasks here are records whose workflows are gone,
// which is what a user meets after a task ended in another tab.
import { previewOf } from '../../src/agents/approval';
import { type Stack, startStack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ offline: true });
});
afterAll(() => stack.stop());

const args = { to: ['dana@acme.example'], subject: 'Q3', body: 'Numbers attached.' };
async function storedApproval(id: string, o: { userId?: string; workflowId?: string } = {}) {
  return await stack.store.approvals.create({
    id,
    userId: o.userId ?? stack.userId,
    taskId: `task-${id}`,
    workflowId: o.workflowId ?? `tool:${stack.userId}:gone-${id}`,
    tool: 'gmail_send',
    args,
    preview: previewOf('gmail_send', args),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  });
}

test('answering an approval nobody asked for is not_found, a 404 naming it', async () => {
  const res = await stack.paprika.approvals.answer(stack.userId, { approvalId: 'no-such-approval', decision: 'approve' });
  expect(res).toMatchObject({ ok: false, error: 'not_found', message: expect.stringContaining('no-such-approval') });
  const http = await stack.api('/api/approvals/no-such-approval', { body: { decision: 'approve' } });
  expect(http).toMatchObject({ status: 404, body: { error: expect.stringContaining('no-such-approval') } });
});

test("another user's approval cannot be answered: it is not found for this user", async () => {
  await storedApproval('theirs', { userId: 'someone-else' });
  const res = await stack.paprika.approvals.answer(stack.userId, { approvalId: 'theirs', decision: 'approve' });
  expect(res).toMatchObject({ ok: false, error: 'not_found' });
  expect((await stack.store.approvals.get('theirs'))?.status).toBe('pending');
});

test('a second answer is a conflict, a 409 that shows the first decision', async () => {
  await storedApproval('decided');
  await stack.store.approvals.decide('decided', { status: 'rejected', reason: 'not now' });
  const res = await stack.paprika.approvals.answer(stack.userId, { approvalId: 'decided', decision: 'approve' });
  expect(res).toMatchObject({ ok: false, error: 'conflict', message: expect.stringContaining('already rejected'), approval: { status: 'rejected' } });
  const http = await stack.api('/api/approvals/decided', { body: { decision: 'approve' } });
  expect(http.status).toBe(409);
  expect(http.body).toMatchObject({ error: expect.stringContaining('already rejected'), approval: { id: 'decided', status: 'rejected' } });
});

test('an approval whose agent has ended is a conflict that says so, and stays undecided', async () => {
  await storedApproval('orphan');
  const res = await stack.paprika.approvals.answer(stack.userId, { approvalId: 'orphan', decision: 'approve' });
  expect(res).toMatchObject({ ok: false, error: 'conflict', message: expect.stringContaining('has ended') });
  expect((await stack.store.approvals.get('orphan'))?.status).toBe('pending');
});

test('cancelling an unknown task is not_found (404); a finished or vanished one is a conflict (409)', async () => {
  expect(await stack.paprika.tasks.cancel(stack.userId, 'no-such-task')).toMatchObject({ ok: false, error: 'not_found', message: expect.stringContaining('no-such-task') });
  expect((await stack.api('/api/tasks/no-such-task/cancel', { method: 'POST' })).status).toBe(404);

  await stack.store.tasks.start({ id: 'done-task', userId: stack.userId, tool: 'delegate_task', title: 'done', workflowId: `tool:${stack.userId}:done-task` });
  await stack.store.tasks.finish('done-task', 'completed', 'ok');
  expect(await stack.paprika.tasks.cancel(stack.userId, 'done-task')).toMatchObject({ ok: false, error: 'conflict', message: expect.stringContaining('already completed') });

  await stack.store.tasks.start({ id: 'gone-task', userId: stack.userId, tool: 'delegate_task', title: 'gone', workflowId: `tool:${stack.userId}:gone-task` });
  expect(await stack.paprika.tasks.cancel(stack.userId, 'gone-task')).toMatchObject({ ok: false, error: 'conflict', message: expect.stringContaining('already ended') });
  const http = await stack.api('/api/tasks/gone-task/cancel', { method: 'POST' });
  expect(http).toMatchObject({ status: 409, body: { error: expect.stringContaining('already ended') } });
});

test('an agent that never existed is not_found to inspect or stop, and the list is empty', async () => {
  expect(await stack.paprika.agents.list(stack.userId)).toEqual([]);
  expect(await stack.paprika.agents.get(stack.userId, 'nobody')).toMatchObject({ ok: false, error: 'not_found', message: expect.stringContaining('nobody') });
  expect(await stack.paprika.agents.stop(stack.userId, 'nobody')).toMatchObject({ ok: false, error: 'not_found' });
  expect((await stack.api('/api/agents/nobody/stop', { method: 'POST' })).status).toBe(404);
});

test('a message the assistant refuses is bad_args with its reason, and no reply is written', async () => {
  const res = await stack.paprika.assistant.chat(stack.userId, 'blank-1', '   ');
  expect(res).toEqual({ ok: false, error: 'bad_args', message: 'message must be a non-empty string' });
  expect(await stack.store.transcript.list(stack.userId, {})).toEqual([]);
});
