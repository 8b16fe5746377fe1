import { assistantToolsForModel } from '../../src/assistant/assistant-tools';
import { Decision, normaliseCalls } from '../../src/assistant/decision';

test('valid calls pass; notify_user becomes a notification; wait disappears', () => {
  const out = normaliseCalls([
    { name: 'notify_user', args: { title: 'Heads up' } },
    { name: 'wait', args: {} },
    { name: 'delegate_task', args: { title: 'Research', instruction: 'Find X' } },
  ]);
  expect(out.notifications).toEqual([{ title: 'Heads up', body: '', priority: 'normal' }]);
  expect(out.toolCalls).toEqual([{ name: 'delegate_task', args: { title: 'Research', instruction: 'Find X' } }]);
  expect(out.rejected).toEqual([]);
});

test('unknown tools and bad arguments are rejected with a message naming the problem', () => {
  const out = normaliseCalls([
    { name: 'send_all_mail', args: {} },
    { name: 'set_reminder', args: { text: 'x' } },
    { name: 'delegate_task', args: { title: '' } },
  ]);
  expect(out.toolCalls).toEqual([]);
  expect(out.rejected[0]).toBe('unknown tool "send_all_mail"');
  expect(out.rejected[1]).toMatch(/set_reminder: .*either "at" or "inMinutes" is required/);
  expect(out.rejected[2]).toMatch(/delegate_task: .*instruction/);
});

test('the tools offered to the model carry JSON schemas derived from the zod schemas', () => {
  const tools = assistantToolsForModel();
  const delegate = tools.find((t) => t.function.name === 'delegate_task')!;
  expect(delegate.function.parameters).toMatchObject({ type: 'object', required: ['instruction', 'title'] });
});

test('problems are reported at the argument the model got wrong, or at "args" for the whole call', () => {
  const out = normaliseCalls([
    { name: 'answer_approval', args: { approvalId: 'a1', decision: 'edit' } },
    { name: 'set_reminder', args: { text: 'x', inMinutes: -1 } },
  ]);
  expect(out.rejected).toEqual([expect.stringMatching(/^answer_approval: args: edit needs the changed fields/), expect.stringMatching(/^set_reminder: inMinutes: /)]);
});

test('a decision holds only typed calls of the tools a step acts on', () => {
  const base = { reply: null, notifications: [], rejected: [] };
  expect(Decision.safeParse({ ...base, toolCalls: [{ name: 'cancel_task', args: { taskId: 't1' } }] }).success).toBe(true);
  expect(Decision.safeParse({ ...base, toolCalls: [{ name: 'cancel_task', args: {} }] }).success).toBe(false);
  expect(Decision.safeParse({ ...base, toolCalls: [{ name: 'notify_user', args: { title: 'x' } }] }).success).toBe(false);
});
