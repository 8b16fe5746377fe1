// A chat round trip through POST /api/chat, against the real dev server and the fake model.
import { lastUserText, promptKind } from '../fakes/openai-server';
import { type Stack, startStack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    script: (req) => ({ content: `You said: ${/User \([^)]*\): (.*)/.exec(lastUserText(req))?.[1] ?? '?'}` }),
  });
});
afterAll(() => stack.stop());

test('a message gets the model reply and both land in the transcript', async () => {
  const res = await stack.api('/api/chat', { body: { message: 'hello paprika' } });
  expect(res.status).toBe(200);
  expect(res.body.reply).toMatchObject({ role: 'assistant', text: 'You said: hello paprika' });

  const conv = await stack.api('/api/conversation');
  expect(conv.body.messages.map((m: { role: string; text: string }) => [m.role, m.text])).toEqual([
    ['user', 'hello paprika'],
    ['assistant', 'You said: hello paprika'],
  ]);
  const sent = stack.fake!.requests.filter((r) => promptKind(r) === 'assistant');
  expect(sent).toHaveLength(1);
  expect(sent[0]!.tools?.map((t) => t.function.name).sort()).toEqual(['answer_approval', 'cancel_task', 'delegate_task', 'delegate_to_agent', 'notify_user', 'set_reminder', 'track_follow_up', 'wait']);
});

test('a retried request with the same id is answered once', async () => {
  const before = stack.fake!.requests.length;
  const first = await stack.api('/api/chat', { body: { id: 'retry-1', message: 'only once' } });
  const second = await stack.api('/api/chat', { body: { id: 'retry-1', message: 'only once' } });
  expect(second.status).toBe(200);
  expect(second.body.reply).toEqual(first.body.reply);
  expect(stack.fake!.requests.length).toBe(before + 1);
  const conv = await stack.api('/api/conversation');
  expect(conv.body.messages.filter((m: { text: string }) => m.text === 'only once')).toHaveLength(1);
});

test.each([
  ['no message', {}, /message/],
  ['a blank message', { message: '   ' }, /message must not be empty/],
  ['a message over 8000 characters', { message: 'x'.repeat(8001) }, /longer than 8000/],
  ['an id with spaces', { message: 'hi', id: 'has spaces' }, /id/],
])('%s gets a 400 that names the problem, and starts no turn', async (_label, body, pattern) => {
  const before = stack.fake!.requests.length;
  const res = await stack.api('/api/chat', { body });
  expect(res.status).toBe(400);
  expect(res.body.error).toMatch(pattern);
  expect(stack.fake!.requests.length).toBe(before);
});

test('a body that is not JSON gets a 400', async () => {
  const res = await stack.api('/api/chat', { body: '{not json', headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(400);
  expect(typeof res.body.error).toBe('string');
});

test('health reports Temporal, the worker and the model', async () => {
  const res = await stack.api('/api/health');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ ok: true, temporal: { reachable: true }, worker: { reachable: true }, model: 'openai:fake-model' });
});
