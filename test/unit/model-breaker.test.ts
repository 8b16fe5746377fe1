import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { cappedRetryAfterMs, type ModelClient, toFailure } from '../../src/integrations/model';
import { guardModel } from '../../src/integrations/model-guard';
import { afterFailure, afterSuccess, breakerState, CLOSED, mayCall } from '../../src/shared/model-breaker';
import { openStore, type Store } from '../../src/store';
import { ModelHealth } from '../../src/store/model-health';
import { ENGINES, openTestSql, openTestSqlPair } from '../helpers/test-sql';

const settings = { failures: 3, cooldownMs: 60_000 };
const t0 = new Date('2030-01-01T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('the breaker state machine', () => {
  test('stays closed below the threshold and opens at it', () => {
    let r = afterFailure(CLOSED, 'e1', t0, settings);
    r = afterFailure(r, 'e2', t0, settings);
    expect(breakerState(r, t0)).toBe('closed');
    expect(mayCall(r, t0)).toBe(true);
    r = afterFailure(r, 'e3', t0, settings);
    expect(breakerState(r, t0)).toBe('open');
    expect(mayCall(r, later(59_000))).toBe(false);
    expect(r.lastError).toBe('e3');
  });

  test('half-open after the cool-down; a success closes, a failure reopens for another cool-down', () => {
    let r = CLOSED;
    for (let i = 0; i < 3; i++) r = afterFailure(r, 'down', t0, settings);
    expect(breakerState(r, later(60_000))).toBe('half-open');
    expect(mayCall(r, later(60_000))).toBe(true);
    expect(breakerState(afterSuccess(), later(60_000))).toBe('closed');
    const reopened = afterFailure(r, 'still down', later(60_000), settings);
    expect(breakerState(reopened, later(61_000))).toBe('open');
    expect(breakerState(reopened, later(120_000))).toBe('half-open');
  });

  test('a success resets the count of failures', () => {
    const r = afterFailure(afterFailure(CLOSED, 'a', t0, settings), 'b', t0, settings);
    expect(breakerState(afterFailure(afterSuccess(), 'c', t0, settings), t0)).toBe('closed');
    expect(r.failures).toBe(2);
  });
});

describe('Retry-After', () => {
  test('is capped, so Retry-After: 3600 waits at most the cap', () => {
    expect(cappedRetryAfterMs(new Headers({ 'retry-after': '3600' }), 30_000)).toBe(30_000);
    expect(cappedRetryAfterMs(new Headers({ 'retry-after': '3' }), 30_000)).toBe(3_000);
    expect(cappedRetryAfterMs(new Headers({}), 30_000)).toBeUndefined();
  });

  test("a malformed body becomes a retryable failure, not a crash", () => {
    const failure = toFailure(new SyntaxError('Unexpected end of JSON input')) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('ModelMalformedReply');
    expect(failure.nonRetryable).toBe(false);
  });
});

describe('the guard in front of the model, with the breaker in the store', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breaker-'));
    store = await openStore(dir);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function flaky(results: ('ok' | 'down' | 'bad')[]): ModelClient & { calls: number } {
    const model = {
      calls: 0,
      async complete() {
        const r = results[model.calls++] ?? 'ok';
        if (r === 'down') throw ApplicationFailure.retryable('model endpoint answered 500', 'ModelUnavailable');
        if (r === 'bad') throw ApplicationFailure.nonRetryable('model endpoint answered 400', 'ModelRequestRejected');
        return { content: 'hi', toolCalls: [] };
      },
    };
    return model;
  }

  test('after three outages it refuses at once without calling the model, as every process sees', async () => {
    const inner = flaky(['down', 'down', 'down']);
    const guarded = guardModel(inner, store.modelHealth, { ...settings, model: 'm' });
    for (let i = 0; i < 3; i++) await expect(guarded.complete([])).rejects.toMatchObject({ type: 'ModelUnavailable' });
    await expect(guarded.complete([])).rejects.toMatchObject({ type: 'ModelCircuitOpen', nonRetryable: true });
    expect(inner.calls).toBe(3);
    // Another worker process opens the same store and sees the breaker open.
    const other = await openStore(dir);
    expect(breakerState(await other.modelHealth.get('m'), new Date())).toBe('open');
    await other.close();
  });

  test('a rejected request (400) is our fault, not an outage: the breaker stays closed', async () => {
    const guarded = guardModel(flaky(['bad', 'bad', 'bad', 'bad']), store.modelHealth, { ...settings, model: 'm' });
    for (let i = 0; i < 4; i++) await expect(guarded.complete([])).rejects.toMatchObject({ type: 'ModelRequestRejected' });
    expect((await store.modelHealth.get('m')).state).toBe('closed');
  });

  test('after the cool-down one probe goes through and its success closes the breaker', async () => {
    const inner = flaky(['down', 'ok']);
    const guarded = guardModel(inner, store.modelHealth, { failures: 1, cooldownMs: 0, model: 'm' });
    await expect(guarded.complete([])).rejects.toMatchObject({ type: 'ModelUnavailable' });
    expect((await store.modelHealth.get('m')).state).toBe('open');
    await expect(guarded.complete([])).resolves.toMatchObject({ content: 'hi' });
    expect(await store.modelHealth.get('m')).toEqual(CLOSED);
  });
});

describe.each(ENGINES)('the breaker record in the store on %s', (engine) => {
  const fail = (r: Parameters<typeof afterFailure>[0]) => afterFailure(r, 'down', t0, { failures: 100, cooldownMs: 60_000 });

  test('concurrent failures from one process all count', async () => {
    const sql = await openTestSql(engine);
    const health = new ModelHealth(sql);
    await Promise.all(Array.from({ length: 10 }, () => health.update('m', fail)));
    expect((await health.get('m')).failures).toBe(10);
    await sql.close();
  });

  test("two workers' failures both count, and each sees the other's record", async () => {
    const [a, b] = await openTestSqlPair(engine);
    const healthA = new ModelHealth(a);
    const healthB = new ModelHealth(b);
    const failures = (h: ModelHealth) => Promise.all(Array.from({ length: 5 }, () => h.update('m', fail)));
    // Two SQLite connections in one process cannot wait on each other's write lock (the wait blocks
    // the event loop the other needs), so there the two workers take turns; on Postgres they race.
    if (engine === 'postgres') await Promise.all([failures(healthA), failures(healthB)]);
    else for (const h of [healthA, healthB]) await failures(h);
    expect((await healthA.get('m')).failures).toBe(10);
    expect((await healthB.get('m')).failures).toBe(10);
    await healthB.update('other', fail);
    expect((await healthA.all()).map((r) => [r.model, r.record.failures])).toEqual([
      ['m', 10],
      ['other', 1],
    ]);
    await Promise.all([a.close(), b.close()]);
  });
});
