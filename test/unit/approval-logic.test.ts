// The plain approval logic: the preview shows exactly what will be sent, edits merge field by
// field, and expiry follows the configured time to live.
import { describeApproval, expiresAt, isExpired, mergeArgs, outcomeForAgent, previewOf } from '../../src/agents/approval';

test('an email preview copies recipient, subject and body verbatim', () => {
  const p = previewOf('gmail_send', { to: ['dana@acme.example', 'lee@acme.example'], subject: 'Q3', body: 'Attached.\nBest', cc: ['boss@acme.example'] });
  expect(p).toEqual({
    kind: 'email',
    to: 'dana@acme.example, lee@acme.example',
    cc: 'boss@acme.example',
    subject: 'Q3',
    body: 'Attached.\nBest',
    summary: 'Send an email to dana@acme.example, lee@acme.example: "Q3"',
  });
});

test('a reply preview shows the recipient and subject looked up from the thread', () => {
  const p = previewOf('gmail_reply', { threadId: 't1', body: 'Thanks!' }, { to: 'dana@acme.example', subject: 'Re: Q3' });
  expect(p).toMatchObject({ kind: 'email', to: 'dana@acme.example', subject: 'Re: Q3', body: 'Thanks!' });
  expect(p.summary).toBe('Reply to dana@acme.example in thread t1: "Re: Q3"');
});

test('a reply preview shows the recipient fixed into the arguments, which is where it goes', () => {
  const p = previewOf('gmail_reply', { threadId: 't1', body: 'Thanks!', to: 'dana@acme.example' }, { to: 'someone.newer@acme.example', subject: 'Re: Q3' });
  expect(p).toMatchObject({ to: 'dana@acme.example', summary: 'Reply to dana@acme.example in thread t1: "Re: Q3"' });
});

test('an event preview shows title, times and guests', () => {
  const p = previewOf('calendar_create_event', { title: 'Review', start: '2026-03-03T10:00:00Z', end: '2026-03-03T10:30:00Z', attendees: ['a@x.org'] });
  expect(p).toEqual({
    kind: 'event',
    title: 'Review',
    start: '2026-03-03T10:00:00Z',
    end: '2026-03-03T10:30:00Z',
    to: 'a@x.org',
    summary: 'Create the event "Review" from 2026-03-03T10:00:00Z to 2026-03-03T10:30:00Z with a@x.org',
  });
  expect(previewOf('calendar_update_event', { eventId: 'e1', start: '2026-03-03T11:00:00Z' }).summary).toBe('Change event e1 from 2026-03-03T11:00:00Z');
});

test('archiving and MCP tools get a readable preview', () => {
  expect(previewOf('gmail_label', { messageId: 'm1', remove: ['INBOX'] }).summary).toBe('Archive message m1: remove INBOX');
  const mcp = previewOf('mcp__jira__create_ticket', { title: 'Bug' });
  expect(mcp).toMatchObject({ kind: 'other', summary: 'Run mcp__jira__create_ticket with {"title":"Bug"}' });
  expect(mcp.body).toContain('"title": "Bug"');
});

test('a long body is clipped in the preview only', () => {
  const body = 'x'.repeat(10_000);
  expect(previewOf('gmail_send', { to: ['a@b.org'], subject: 's', body }).body).toHaveLength(4000);
});

test('an edit changes only the fields it names; null removes a field', () => {
  const original = { to: ['dana@acme.example'], subject: 'Q3', body: 'old', cc: ['x@y.org'] };
  expect(mergeArgs(original, { body: 'new' })).toEqual({ to: ['dana@acme.example'], subject: 'Q3', body: 'new', cc: ['x@y.org'] });
  expect(mergeArgs(original, { cc: null })).toEqual({ to: ['dana@acme.example'], subject: 'Q3', body: 'old' });
  expect(original.body).toBe('old');
});

test('expiry follows the time to live; only pending approvals expire', () => {
  const created = new Date('2026-03-01T10:00:00Z');
  const at = expiresAt(created, 72);
  expect(at).toBe('2026-03-04T10:00:00.000Z');
  expect(isExpired({ status: 'pending', expiresAt: at }, new Date('2026-03-04T09:59:59Z'))).toBe(false);
  expect(isExpired({ status: 'pending', expiresAt: at }, new Date('2026-03-04T10:00:00Z'))).toBe(true);
  expect(isExpired({ status: 'approved', expiresAt: at }, new Date('2026-03-05T00:00:00Z'))).toBe(false);
});

test('what the agent hears for each outcome', () => {
  expect(outcomeForAgent('gmail_send', { decision: 'approve', result: 'email sent' })).toBe('The user approved gmail_send. Result: email sent');
  expect(outcomeForAgent('gmail_send', { decision: 'reject', reason: 'not yet' })).toContain('Their reason: not yet');
  expect(outcomeForAgent('gmail_send', { decision: 'reject' })).not.toContain('reason');
  expect(outcomeForAgent('gmail_send', { decision: 'expired', ttlHours: 72 })).toContain('within 72 hours');
});

test('the notification lists what will happen', () => {
  const d = describeApproval({
    id: 'a1',
    tool: 'gmail_send',
    expiresAt: '2026-03-04T10:00:00.000Z',
    preview: previewOf('gmail_send', { to: ['dana@acme.example'], subject: 'Q3', body: 'Attached.' }),
  });
  expect(d.title).toBe('Approve? Send an email to dana@acme.example: "Q3"');
  expect(d.body).toContain('To: dana@acme.example\nSubject: Q3\n\nAttached.');
  expect(d.body).toContain('expires 2026-03-04T10:00:00.000Z');
});
