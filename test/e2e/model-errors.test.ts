// Model failures follow Temporal's retry semantics: 429 is retried after Retry-After; a 400 is not
// retried, and the user is told the step failed instead of waiting forever.
import { type Stack, startStack } from '../helpers/stack';

let stack: Stack;
let mode: 'rate-limit-once' | 'bad-request' = 'rate-limit-once';
let calls = 0;
beforeAll(async () => {
  stack = await startStack({
    script: () => {
      calls++;
      if (mode === 'bad-request') return { status: 400 };
      return calls === 1 ? { status: 429, retryAfterSeconds: 1 } : { content: 'answered after the rate limit' };
    },
  });
});
afterAll(() => stack.stop());

test('a 429 with Retry-After is retried and the message still answered', async () => {
  const res = await stack.api('/api/chat', { body: { message: 'hello' } });
  expect(res.body.reply.text).toBe('answered after the rate limit');
  expect(calls).toBe(2);
});

test('a 400 is not retried: the user hears that the step failed', async () => {
  mode = 'bad-request';
  const before = calls;
  const res = await stack.api('/api/chat', { body: { message: 'hello again' } });
  expect(res.status).toBe(200);
  expect(res.body.reply.text).toMatch(/could not think this through .*400/);
  expect(calls).toBe(before + 1);
});
