// The approval wait at workflow level: the real desk in a small workflow on the real dev server,
// with its three activities stubbed so each test decides when a request is recorded and when a
// decision lands. The races: an answer before the record, an answer at expiry, a cancellation
// during a decision, a second answer.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { approvalUpdate } from '../../src/shared/agent-messages';
import { APPROVAL_CONFLICT, type Approval, type ApprovalUpdateInput } from '../../src/shared/approval';
import { replayAll } from '../../src/temporal/replay';
import { eventually } from '../helpers/eventually';

interface Gate {
  wait: Promise<void>;
  open: () => void;
}
function gate(): Gate {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

/** What one test's workflow meets: when its request is recorded, its expiry, its slow steps. */
interface Script {
  recordGate?: Gate;
  /** Time to live from the moment the request is recorded; negative: already expired. */
  ttlMs: number;
  approveGate?: Gate;
  checkGate?: Gate;
}

const scripts = new Map<string, Script>();
/** The store's approvals: the first decision stands, as in src/store/approvals.ts. */
const approvals = new Map<string, Approval>();
const decisions: { approvalId: string; status: string; reason?: string }[] = [];
const checksEntered = new Set<string>();
const approvesEntered = new Set<string>();

const activities = {
  async requestApproval(input: Omit<Approval, 'id' | 'status' | 'createdAt' | 'expiresAt'> & { approvalId: string }) {
    const script = scripts.get(input.workflowId)!;
    const { approvalId, ...rest } = input;
    approvals.set(approvalId, { id: approvalId, ...rest, status: 'pending', createdAt: new Date().toISOString(), expiresAt: '' });
    await script.recordGate?.wait;
    return { expiresAt: new Date(Date.now() + script.ttlMs).toISOString(), ttlHours: script.ttlMs / 3_600_000 };
  },
  async decideApproval(input: { approvalId: string; status: 'approved' | 'rejected' | 'expired'; args?: Record<string, unknown>; reason?: string }) {
    const stored = approvals.get(input.approvalId)!;
    if (input.status === 'approved') {
      approvesEntered.add(input.approvalId);
      await scripts.get(stored.workflowId)!.approveGate?.wait;
    }
    decisions.push({ approvalId: input.approvalId, status: input.status, ...(input.reason ? { reason: input.reason } : {}) });
    if (stored.status === 'pending') {
      approvals.set(input.approvalId, { ...stored, status: input.status, ...(input.args ? { args: input.args } : {}), ...(input.reason ? { reason: input.reason } : {}) });
    }
    return approvals.get(input.approvalId)!;
  },
  async checkToolArgs(input: { userId: string; tool: string; args: Record<string, unknown> }) {
    const workflowId = [...approvals.values()].find((a) => a.userId === input.userId)!.workflowId;
    checksEntered.add(workflowId);
    await scripts.get(workflowId)!.checkGate?.wait;
    return { ok: true as const, args: input.args };
  },
};

const HOUR = 3_600_000;
const ARGS = { to: 'dana@acme.example', subject: 'Q3', body: 'numbers attached' };
const taskQueue = `approval-workflow-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
/** Every workflow these tests ran; the last test replays them (replay-all skips `workflow-test:`). */
const started: string[] = [];

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.PAPRIKA_TEST_TEMPORAL });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./approval-workflows'),
    activities,
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** Starts the workflow; each gets its own user, so its approvals and checks are its own. */
async function start(script: Script): Promise<{ handle: WorkflowHandle; approvalId: () => string }> {
  const workflowId = `workflow-test:approval:${randomUUID()}`;
  started.push(workflowId);
  scripts.set(workflowId, script);
  const handle = await env.client.workflow.start('approvalTestWorkflow', {
    taskQueue,
    workflowId,
    args: [{ userId: `u-${workflowId}`, args: ARGS }],
  });
  const id = await eventually(() => [...approvals.values()].find((a) => a.workflowId === workflowId)?.id, 30_000, 'the request in the store');
  return { handle, approvalId: () => id };
}

const answer = (handle: WorkflowHandle, input: ApprovalUpdateInput) => handle.executeUpdate(approvalUpdate, { args: [input] });
const decisionsOf = (approvalId: string) => decisions.filter((d) => d.approvalId === approvalId).map(({ status, reason }) => ({ status, ...(reason ? { reason } : {}) }));
const hasEvent = async (handle: WorkflowHandle, kind: 'workflowExecutionUpdateAcceptedEventAttributes' | 'timerFiredEventAttributes') =>
  (await handle.fetchHistory()).events?.some((e) => e[kind]);

async function refusalType(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

test('an answer before the request is recorded waits for the record, then counts', async () => {
  const recordGate = gate();
  const { handle, approvalId } = await start({ recordGate, ttlMs: HOUR });
  const id = approvalId();

  const answering = answer(handle, { approvalId: id, decision: 'approve' });
  await eventually(() => hasEvent(handle, 'workflowExecutionUpdateAcceptedEventAttributes'), 30_000, 'the answer to be accepted');
  expect(decisionsOf(id)).toEqual([]);
  recordGate.open();

  expect(await answering).toMatchObject({ id, status: 'approved' });
  expect(await handle.query('outcome')).toEqual({ decision: 'approve', args: ARGS });
  expect(decisionsOf(id)).toEqual([{ status: 'approved' }]);
  await handle.signal('finish');
  expect(await handle.result()).toEqual({ decision: 'approve', args: ARGS });
});

test('an answer being recorded when the approval expires wins, and nothing records the expiry', async () => {
  // The answer is in before the record, and the record comes back already expired: the expiry
  // timer fires while the approval is still being decided.
  const recordGate = gate();
  const approveGate = gate();
  const { handle, approvalId } = await start({ recordGate, ttlMs: -1000, approveGate });
  const id = approvalId();

  const answering = answer(handle, { approvalId: id, decision: 'approve' });
  await eventually(() => hasEvent(handle, 'workflowExecutionUpdateAcceptedEventAttributes'), 30_000, 'the answer to be accepted');
  recordGate.open();
  await eventually(() => approvesEntered.has(id), 30_000, 'the approval being recorded');
  await eventually(() => hasEvent(handle, 'timerFiredEventAttributes'), 30_000, 'the expiry timer to fire');
  expect(await handle.query('outcome')).toBeUndefined();
  approveGate.open();

  expect(await answering).toMatchObject({ id, status: 'approved' });
  await handle.signal('finish');
  expect(await handle.result()).toEqual({ decision: 'approve', args: ARGS });
  expect(decisionsOf(id)).toEqual([{ status: 'approved' }]);
});

test('an unanswered approval expires once, and a late answer is refused as a conflict', async () => {
  const { handle, approvalId } = await start({ ttlMs: 300 });
  const id = approvalId();

  const outcome = await eventually(async () => (await handle.query<unknown>('outcome')) ?? undefined, 30_000, 'the approval to expire');
  expect(outcome).toEqual({ decision: 'expired', ttlHours: 300 / HOUR });
  expect(await refusalType(answer(handle, { approvalId: id, decision: 'approve' }))).toBe(APPROVAL_CONFLICT);
  await handle.signal('finish');
  expect(await handle.result()).toEqual(outcome);
  expect(decisionsOf(id)).toEqual([{ status: 'expired' }]);
});

test('a second answer is a conflict, and the first stands', async () => {
  const { handle, approvalId } = await start({ ttlMs: HOUR });
  const id = approvalId();
  await eventually(async () => (await handle.query<string[]>('pending')).includes(id), 30_000, 'the approval to be pending');

  expect(await answer(handle, { approvalId: id, decision: 'reject', reason: 'not now' })).toMatchObject({ status: 'rejected', reason: 'not now' });
  expect(await refusalType(answer(handle, { approvalId: id, decision: 'approve' }))).toBe(APPROVAL_CONFLICT);
  expect(await handle.query('pending')).toEqual([]);
  await handle.signal('finish');
  expect(await handle.result()).toEqual({ decision: 'reject', reason: 'not now' });
  expect(decisionsOf(id)).toEqual([{ status: 'rejected', reason: 'not now' }]);
});

test('a second answer while the first is being decided is a conflict', async () => {
  const checkGate = gate();
  const { handle, approvalId } = await start({ ttlMs: HOUR, checkGate });
  const id = approvalId();
  await eventually(async () => (await handle.query<string[]>('pending')).includes(id), 30_000, 'the approval to be pending');

  const editing = answer(handle, { approvalId: id, decision: 'edit', args: { body: 'numbers attached, v2' } });
  await eventually(() => checksEntered.has(handle.workflowId), 30_000, 'the edit being checked');
  expect(await refusalType(answer(handle, { approvalId: id, decision: 'reject' }))).toBe(APPROVAL_CONFLICT);
  checkGate.open();

  expect(await editing).toMatchObject({ status: 'approved' });
  await handle.signal('finish');
  expect(await handle.result()).toEqual({ decision: 'edit', args: { ...ARGS, body: 'numbers attached, v2' } });
  expect(decisionsOf(id)).toEqual([{ status: 'approved' }]);
});

test('a cancellation during a decision closes the approval as rejected, and the late decision does not change it', async () => {
  const checkGate = gate();
  const { handle, approvalId } = await start({ ttlMs: HOUR, checkGate });
  const id = approvalId();
  await eventually(async () => (await handle.query<string[]>('pending')).includes(id), 30_000, 'the approval to be pending');

  const editing = answer(handle, { approvalId: id, decision: 'edit', args: { body: 'changed' } });
  await eventually(() => checksEntered.has(handle.workflowId), 30_000, 'the edit being checked');
  await handle.signal('cancel');
  await eventually(() => decisionsOf(id).length > 0, 30_000, 'the cancellation to be recorded');
  checkGate.open();

  // The answer's caller hears the approval as stored: rejected, because the task was cancelled.
  expect(await editing).toMatchObject({ id, status: 'rejected', reason: 'the task was cancelled' });
  expect(await handle.result()).toBe('cancelled');
  expect(decisionsOf(id)[0]).toEqual({ status: 'rejected', reason: 'the task was cancelled' });
  expect(approvals.get(id)).toMatchObject({ status: 'rejected', args: ARGS });
});

test('the histories of these races replay against the current desk', async () => {
  expect(started.length).toBeGreaterThanOrEqual(6);
  const histories = await Promise.all(
    started.map(async (workflowId) => {
      const handle = env.client.workflow.getHandle(workflowId);
      return { workflowId, runId: (await handle.describe()).runId, history: await handle.fetchHistory() };
    }),
  );
  const outcomes = await replayAll({ workflowsPath: require.resolve('./approval-workflows') }, histories);
  expect(outcomes.filter((o) => o.error)).toEqual([]);
  expect(outcomes).toHaveLength(started.length);
});
