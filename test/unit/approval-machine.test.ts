// The approval state machine on its own: every transition, and the races the workflow meets
// (an answer before the record, an answer at expiry, a cancellation during a decision).
import { ApprovalMachine } from '../../src/agents/approval-machine';

const ARGS = { to: 'dana@acme.example', body: 'hi' };

function recorded(id = 'a1'): ApprovalMachine {
  const m = new ApprovalMachine();
  m.request(id, 'gmail_send', ARGS);
  m.recorded(id);
  return m;
}

describe('request and record', () => {
  test('a requested approval is not listed as pending until it is recorded', () => {
    const m = new ApprovalMachine();
    m.request('a1', 'gmail_send', ARGS);
    expect(m.pending).toEqual([]);
    expect(m.recordSettled('a1')).toBe(false);
    m.recorded('a1');
    expect(m.pending).toEqual(['a1']);
    expect(m.recordSettled('a1')).toBe(true);
  });

  test('a dropped request cannot be answered and is not pending', () => {
    const m = new ApprovalMachine();
    m.request('a1', 'gmail_send', ARGS);
    m.dropped('a1');
    expect(m.recordSettled('a1')).toBe(true);
    expect(m.check('a1')).toBe('not-found');
    expect(m.answer('a1')).toBe('not-found');
    expect(m.pending).toEqual([]);
  });

  test('an approval this agent never asked for is not found', () => {
    const m = recorded();
    expect(m.check('other')).toBe('not-found');
    expect(m.answer('other')).toBe('not-found');
  });

  test('pending lists open approvals oldest first', () => {
    const m = recorded('a1');
    m.request('a2', 'gmail_send', ARGS);
    m.recorded('a2');
    m.request('a3', 'gmail_send', ARGS);
    m.recorded('a3');
    m.answer('a2');
    m.decide('a2', { decision: 'approve', args: ARGS });
    expect(m.pending).toEqual(['a1', 'a3']);
  });
});

describe('answers', () => {
  test('checking an answer changes nothing', () => {
    const m = recorded();
    expect(m.check('a1')).toBe('ok');
    expect(m.check('a1')).toBe('ok');
    expect(m.isDeciding('a1')).toBe(false);
  });

  test('an answer to a recorded approval proceeds and its decision is the outcome', () => {
    const m = recorded();
    expect(m.answer('a1')).toBe('proceed');
    expect(m.isDeciding('a1')).toBe(true);
    expect(m.afterRecord('a1')).toBe('proceed');
    expect(m.decide('a1', { decision: 'edit', args: { ...ARGS, body: 'hello' } })).toBe('decided');
    expect(m.isSettled('a1')).toBe(true);
    expect(m.isDeciding('a1')).toBe(false);
    expect(m.outcome('a1')).toEqual({ decision: 'edit', args: { ...ARGS, body: 'hello' } });
    expect(m.pending).toEqual([]);
  });

  test('a second answer while the first is being recorded is a conflict', () => {
    const m = recorded();
    m.answer('a1');
    expect(m.check('a1')).toBe('conflict');
    expect(m.answer('a1')).toBe('conflict');
  });

  test('an answer after the outcome is a conflict', () => {
    const m = recorded();
    m.answer('a1');
    m.decide('a1', { decision: 'reject', reason: 'no' });
    expect(m.answer('a1')).toBe('conflict');
    expect(m.outcome('a1')).toEqual({ decision: 'reject', reason: 'no' });
  });

  test('a failed answer (bad edit) leaves the approval open for another', () => {
    const m = recorded();
    m.answer('a1');
    m.answerFailed('a1');
    expect(m.isSettled('a1')).toBe(false);
    expect(m.check('a1')).toBe('ok');
    expect(m.pending).toEqual(['a1']);
  });
});

describe('race: an answer before the request is recorded', () => {
  test('it waits for the record, then proceeds', () => {
    const m = new ApprovalMachine();
    m.request('a1', 'gmail_send', ARGS);
    expect(m.answer('a1')).toBe('wait-for-record');
    expect(m.recordSettled('a1')).toBe(false);
    m.recorded('a1');
    expect(m.recordSettled('a1')).toBe(true);
    expect(m.afterRecord('a1')).toBe('proceed');
    m.decide('a1', { decision: 'approve', args: ARGS });
    expect(m.outcome('a1')).toEqual({ decision: 'approve', args: ARGS });
  });

  test('it is withdrawn when the record is dropped', () => {
    const m = new ApprovalMachine();
    m.request('a1', 'gmail_send', ARGS);
    m.answer('a1');
    m.dropped('a1');
    expect(m.recordSettled('a1')).toBe(true);
    expect(m.afterRecord('a1')).toBe('withdrawn');
  });
});

describe('expiry', () => {
  test('an unanswered approval expires', () => {
    const m = recorded();
    expect(m.expire('a1', 24)).toBe('expire');
    expect(m.outcome('a1')).toEqual({ decision: 'expired', ttlHours: 24 });
    expect(m.answer('a1')).toBe('conflict');
  });

  test('race: an answer being recorded at expiry wins, and expiry records nothing', () => {
    const m = recorded();
    m.answer('a1');
    expect(m.expire('a1', 24)).toBe('wait-for-decision');
    expect(m.isSettled('a1')).toBe(false);
    m.decide('a1', { decision: 'approve', args: ARGS });
    expect(m.isDeciding('a1')).toBe(false);
    expect(m.expire('a1', 24)).toBe('settled');
    expect(m.outcome('a1')).toEqual({ decision: 'approve', args: ARGS });
  });

  test('race: an answer that fails at expiry lets the approval expire', () => {
    const m = recorded();
    m.answer('a1');
    expect(m.expire('a1', 24)).toBe('wait-for-decision');
    m.answerFailed('a1');
    expect(m.expire('a1', 24)).toBe('expire');
    expect(m.outcome('a1')).toEqual({ decision: 'expired', ttlHours: 24 });
  });

  test('an approval decided before its expiry is not expired', () => {
    const m = recorded();
    m.answer('a1');
    m.decide('a1', { decision: 'reject' });
    expect(m.expire('a1', 24)).toBe('settled');
    expect(m.outcome('a1')).toEqual({ decision: 'reject' });
  });
});

describe('cancellation', () => {
  test('an open approval is closed; the agent gets no outcome to act on', () => {
    const m = recorded();
    expect(m.cancel('a1')).toBe('cancel');
    expect(m.isSettled('a1')).toBe(true);
    expect(m.outcome('a1')).toBeUndefined();
    expect(m.get('a1')?.end).toEqual({ decision: 'cancelled' });
    expect(m.pending).toEqual([]);
    expect(m.answer('a1')).toBe('conflict');
  });

  test('race: a cancellation during a decision wins; the late decision is superseded', () => {
    const m = recorded();
    m.answer('a1');
    expect(m.cancel('a1')).toBe('cancel');
    expect(m.decide('a1', { decision: 'approve', args: ARGS })).toBe('superseded');
    expect(m.get('a1')?.end).toEqual({ decision: 'cancelled' });
    expect(m.isDeciding('a1')).toBe(false);
  });

  test('a decided approval is not cancelled', () => {
    const m = recorded();
    m.answer('a1');
    m.decide('a1', { decision: 'approve', args: ARGS });
    expect(m.cancel('a1')).toBe('settled');
    expect(m.outcome('a1')).toEqual({ decision: 'approve', args: ARGS });
  });

  test('an expired approval is not cancelled', () => {
    const m = recorded();
    m.expire('a1', 1);
    expect(m.cancel('a1')).toBe('settled');
    expect(m.outcome('a1')).toEqual({ decision: 'expired', ttlHours: 1 });
  });
});
