// The exactly-once ledger and the executeSideEffect activity on a real SQLite file: a retry returns
// the recorded outcome, a claim without an outcome is never sent again, and a request that never
// left may be retried.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeSideEffectActivities, neverLeft, UNKNOWN_OUTCOME } from '../../src/activities/side-effects';
import type { Toolbox } from '../../src/activities/tools';
import { openStore, type Store } from '../../src/store';

let store: Store;
let calls: { name: string; args: unknown }[];
let behaviour: () => Promise<{ ok: boolean; text: string }>;

const toolbox: Toolbox = {
  specs: async () => [],
  validate: async () => ({ ok: false, error: 'unused' }),
  run: async (name, args) => {
    calls.push({ name, args });
    return behaviour();
  },
  replyContext: async () => ({}),
  close: async () => undefined,
};

beforeEach(async () => {
  store = await openStore(fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-se-')));
  calls = [];
  behaviour = async () => ({ ok: true, text: 'email sent' });
});
afterEach(() => store.close());

const input = (key = 'tool:me:t1:task:1:call_1') => ({ key, userId: 'me', taskId: 't1', callId: 'call_1', tool: 'gmail_send', args: { to: ['a@b.org'] } });

test('a retried execution returns the recorded outcome and does not act again', async () => {
  const { executeSideEffect } = makeSideEffectActivities(store, toolbox);
  expect(await executeSideEffect(input())).toEqual({ status: 'succeeded', text: 'email sent', replayed: false });
  expect(await executeSideEffect(input())).toEqual({ status: 'succeeded', text: 'email sent', replayed: true });
  expect(calls).toHaveLength(1);
  expect(store.sideEffects.get(input().key)).toMatchObject({ status: 'succeeded', attempts: 2 });
});

test('a provider failure is recorded and returned, not retried', async () => {
  behaviour = async () => ({ ok: false, text: 'error: quota' });
  const { executeSideEffect } = makeSideEffectActivities(store, toolbox);
  expect((await executeSideEffect(input())).status).toBe('failed');
  expect((await executeSideEffect(input())).text).toBe('error: quota');
  expect(calls).toHaveLength(1);
});

test('a claim left by a dead worker is never sent again: the outcome becomes unknown and the user is told', async () => {
  store.sideEffects.begin(input().key, { userId: 'me', tool: 'gmail_send', args: {} });
  const { executeSideEffect } = makeSideEffectActivities(store, toolbox);
  expect(await executeSideEffect(input())).toEqual({ status: 'unknown', text: UNKNOWN_OUTCOME, replayed: true });
  expect(calls).toHaveLength(0);
  expect((await store.notifications.list('me'))[0]).toMatchObject({ title: 'Check whether gmail_send happened', priority: 'high' });
});

test('a request that provably never left releases its claim so a retry can send it', async () => {
  behaviour = async () => {
    throw Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  };
  const { executeSideEffect } = makeSideEffectActivities(store, toolbox);
  await expect(executeSideEffect(input())).rejects.toThrow(/could not reach its service/);
  expect(store.sideEffects.get(input().key)).toBeUndefined();
  behaviour = async () => ({ ok: true, text: 'email sent' });
  expect((await executeSideEffect(input())).status).toBe('succeeded');
  expect(calls).toHaveLength(2);
});

test('an error after the request may have left is recorded as unknown and not retried', async () => {
  behaviour = async () => {
    throw new Error('socket hang up');
  };
  const { executeSideEffect } = makeSideEffectActivities(store, toolbox);
  const out = await executeSideEffect(input());
  expect(out.status).toBe('unknown');
  expect(out.text).toContain('socket hang up');
  expect((await executeSideEffect(input())).replayed).toBe(true);
  expect(calls).toHaveLength(1);
});

test('neverLeft looks through causes', async () => {
  expect(neverLeft(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe(true);
  expect(neverLeft(new Error('timeout'))).toBe(false);
});

test('a provider Paprika is not configured for fails at once, recorded, instead of retrying', async () => {
  behaviour = async () => {
    throw Object.assign(new Error('COMPOSIO_AUTH_CONFIG_GMAIL is not set: needed to send mail'), { name: 'ComposioConfigError' });
  };
  const { executeSideEffect } = makeSideEffectActivities(store, toolbox);
  expect(await executeSideEffect(input())).toMatchObject({ status: 'failed', text: expect.stringContaining('COMPOSIO_AUTH_CONFIG_GMAIL is not set') });
  expect(store.sideEffects.get(input().key)).toMatchObject({ status: 'failed' });
  expect((await executeSideEffect(input())).replayed).toBe(true);
  expect(calls).toHaveLength(1);
});
