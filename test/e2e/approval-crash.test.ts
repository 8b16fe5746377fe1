// Exactly once across crashes: the worker process is SIGKILLed while an approval is pending, right
// after the approval, and while the send is in flight at Composio. Each email is sent once; the
// numbers of activity retries and duplicate sends seen are written to the test output.
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { openStoreFor } from '../../src/store';
import type { FakeComposio } from '../fakes/composio/server';
import { activityRetries, emailFor, gmailScript, linkUserGmail, pendingApproval, sends, startComposioForStack, taskDone } from '../helpers/gmail-agent';
import { spawnWorker, type Stack, startStack, waitForOutput } from '../helpers/stack';

let stack: Stack;
let fake: FakeComposio;
const counts: Record<string, { retries: number; byType: Record<string, number>; sends: number; duplicates: number; ledgerAttempts: number; ledgerStatus?: string }> = {};

beforeAll(async () => {
  const composio = await startComposioForStack();
  fake = composio.fake;
  stack = await startStack({ script: gmailScript(), env: composio.env, worker: 'none' });
  await linkUserGmail(stack);
});
afterAll(async () => {
  const file = process.env.PAPRIKA_CRASH_COUNTS_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify(counts, null, 2));
  console.log(`crash test counts: ${JSON.stringify(counts)}`);
  await stack.stop();
  await fake.close();
});

async function worker(): Promise<ChildProcess> {
  const w = spawnWorker(stack);
  await waitForOutput(w, /worker polling/);
  return w;
}
async function kill(w: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (w.exitCode !== null || w.signalCode !== null) return;
  const exited = new Promise((r) => w.once('exit', r));
  w.kill(signal);
  await exited;
}
async function delegate(tag: string): Promise<string> {
  const chat = await stack.api('/api/chat', { body: { message: `please email dana ${tag}` } });
  expect(chat.status).toBe(200);
  return chat.body.toolCalls[0].callId as string;
}
const sendsTo = (tag: string) => sends(fake).filter((e) => e.arguments.recipient_email === emailFor(tag).to);

async function record(tag: string, taskId: string) {
  const r = await activityRetries(stack.client, `tool:${stack.userId}:${taskId}`);
  const ledger = (await stack.store.sideEffects.list(stack.userId)).filter((e) => e.key.startsWith(`tool:${stack.userId}:${taskId}:`) && e.tool === 'gmail_send');
  const n = sendsTo(tag).length;
  counts[tag] = { ...r, sends: n, duplicates: Math.max(0, n - 1), ledgerAttempts: ledger.reduce((a, e) => a + e.attempts, 0), ledgerStatus: ledger[0]?.status };
}

test('an approval survives a worker restart (and is listed by a fresh API store)', async () => {
  const first = await worker();
  let second: ChildProcess | undefined;
  try {
    const taskId = await delegate('restart');
    const approval = await pendingApproval(stack, taskId);
    await kill(first);

    const reopened = await openStoreFor(stack.config);
    expect((await reopened.approvals.list(stack.userId, { status: 'pending' })).map((a) => a.id)).toContain(approval.id);
    await reopened.close();

    second = await worker();
    const answer = await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'approve' } });
    expect(answer.status).toBe(200);
    const done = await taskDone(stack, taskId);
    expect(done.status).toBe('completed');
    expect(sendsTo('restart')).toHaveLength(1);
    await record('restart', taskId);
  } finally {
    await kill(first);
    if (second) await kill(second, 'SIGTERM');
  }
});

test('killed right after the approval: the email is never sent twice', async () => {
  const first = await worker();
  let second: ChildProcess | undefined;
  try {
    const taskId = await delegate('race');
    const approval = await pendingApproval(stack, taskId);
    const answer = await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'approve' } });
    expect(answer.status).toBe(200);
    await kill(first);
    second = await worker();
    const done = await taskDone(stack, taskId, 90_000);
    expect(done.status).toBe('completed');
    // Never twice. Where exactly the kill landed decides between the two honest outcomes: before the
    // send activity claimed its key, the next worker sends it (once); after the claim, the send may
    // or may not have left, so it is not repeated and the user is asked to check.
    expect(sendsTo('race').length).toBeLessThanOrEqual(1);
    const ledger = (await stack.store.sideEffects.list(stack.userId)).find((e) => e.key.startsWith(`tool:${stack.userId}:${taskId}:`) && e.tool === 'gmail_send');
    if (ledger?.status === 'succeeded') {
      expect(sendsTo('race')).toHaveLength(1);
      expect(done.result).toContain('email sent');
    } else {
      expect(ledger).toMatchObject({ status: 'unknown' });
      expect(done.result).toContain('may or may not have happened');
    }
    await record('race', taskId);
  } finally {
    await kill(first);
    if (second) await kill(second, 'SIGTERM');
  }
});

test('killed while the send is in flight: it is not sent again, and the user is told to check', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  fake.setToolHandler('GMAIL_SEND_EMAIL', async (args, { state }) => {
    await gate;
    const sent = { id: 'inflight-1', threadId: 't-inflight', to: [String(args.recipient_email)], cc: [], bcc: [], subject: String(args.subject), body: String(args.body) };
    state.sent.push(sent);
    return { id: sent.id, threadId: sent.threadId, labelIds: ['SENT'] };
  });
  const first = await worker();
  let second: ChildProcess | undefined;
  try {
    const taskId = await delegate('inflight');
    const approval = await pendingApproval(stack, taskId);
    expect((await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'approve' } })).status).toBe(200);
    // Composio has the request; the worker dies before the answer comes back.
    const deadline = Date.now() + 30_000;
    while (sendsTo('inflight').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sendsTo('inflight')).toHaveLength(1);
    await kill(first);
    release();

    second = await worker();
    const done = await taskDone(stack, taskId, 90_000);
    expect(done.status).toBe('completed');
    expect(done.result).toContain('may or may not have happened');
    expect(sendsTo('inflight')).toHaveLength(1);
    expect(fake.state.sent.filter((m) => m.to.includes(emailFor('inflight').to))).toHaveLength(1);
    const notes = (await stack.api('/api/notifications')).body.notifications;
    expect(notes).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'Check whether gmail_send happened', priority: 'high' })]));
    const ledger = (await stack.store.sideEffects.list(stack.userId)).find((e) => e.key.startsWith(`tool:${stack.userId}:${taskId}:`) && e.tool === 'gmail_send');
    expect(ledger).toMatchObject({ status: 'unknown' });
    await record('inflight', taskId);
  } finally {
    release();
    await kill(first);
    if (second) await kill(second, 'SIGTERM');
  }
});
