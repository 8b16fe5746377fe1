// A failing model is bounded: whatever the model does (429 with a huge Retry-After, 500s, hanging,
// malformed JSON), a chat is answered within its deadline, the real reply follows as a message, the
// breaker opens and answers at once, feeds fall back to the rules, and all resumes when the model is back.
// Deadlines and cool-downs are made small through the environment; nothing here asserts a duration.
import { HOLDING_REPLY, MODEL_UNAVAILABLE_REPLY } from '../../src/assistant/model-down';
import { feedWorkflowId } from '../../src/shared/ids';
import { type ChatRequest, type FakeReply, lastUserText, promptKind } from '../fakes/openai-server';
import { type FeedStack, startFeedStack } from '../helpers/feeds';
import { eventually } from '../helpers/stack';

type Mode = 'ok' | 'hang' | 'malformed-once' | 'rate-limited' | 'server-error';
let mode: Mode = 'ok';
const isTriage = (r: ChatRequest) => (r.messages[0]?.content ?? '').startsWith('You triage email');

function answer(req: ChatRequest): FakeReply {
  switch (mode) {
    case 'hang':
      return { content: 'too late', delayMs: 600_000 };
    case 'malformed-once':
      mode = 'ok';
      return { malformed: true };
    case 'rate-limited':
      return { status: 429, retryAfterSeconds: 3600 };
    case 'server-error':
      return { status: 500 };
    case 'ok':
      if (isTriage(req)) return { content: JSON.stringify({ priority: 'high', category: 'action', summary: 'model summary', actionItems: [], reason: 'model' }) };
      // The assistant answers each user message by quoting it, so a test can tell which reply is which.
      return promptKind(req) === 'assistant' ? { content: `Real answer to: ${lastUserText(req).match(/ask-[a-z0-9-]+/)?.[0] ?? 'events'}` } : { content: 'ok' };
  }
}

let f: FeedStack;
beforeAll(async () => {
  f = await startFeedStack({
    script: answer,
    env: {
      PAPRIKA_CHAT_DEADLINE_SECONDS: '2',
      PAPRIKA_MODEL_TIMEOUT_SECONDS: '3',
      PAPRIKA_MODEL_RETRY_AFTER_MAX_SECONDS: '1',
      PAPRIKA_MODEL_BREAKER_FAILURES: '3',
      PAPRIKA_MODEL_BREAKER_COOLDOWN_SECONDS: '6',
    },
  });
});
afterAll(() => f.stop());
afterEach(() => {
  mode = 'ok';
});

const chat = (id: string) => f.stack.api('/api/chat', { body: { id, message: `please answer ${id}` } });
const conversation = async () => (await f.stack.api('/api/conversation')).body.messages as { role: string; text: string }[];
const replyArrives = (id: string) => eventually(async () => (await conversation()).some((m) => m.role === 'assistant' && m.text === `Real answer to: ${id}`), 90_000, `the real reply to ${id}`);
const breaker = async () => (await f.stack.api('/api/health')).body.modelBreaker[0]?.state as string | undefined;

test('a hanging model: the chat gets the holding answer, then the real reply as a message', async () => {
  mode = 'hang';
  const res = await chat('ask-hang');
  expect(res.status).toBe(200);
  expect(res.body.reply.text).toBe(HOLDING_REPLY);
  mode = 'ok';
  await replyArrives('ask-hang');
  // Retrying the same message now returns the real answer, not the holding one.
  expect((await chat('ask-hang')).body.reply.text).toBe('Real answer to: ask-hang');
});

test('malformed JSON from the model is retried, not a crash', async () => {
  mode = 'malformed-once';
  const res = await chat('ask-malformed');
  expect(res.status).toBe(200);
  expect([HOLDING_REPLY, 'Real answer to: ask-malformed']).toContain(res.body.reply.text);
  await replyArrives('ask-malformed');
  expect(await breaker()).toBe('closed');
});

test('429 with Retry-After: 3600: the chat is answered, the breaker opens and answers at once, and the batch is thought about when the model is back', async () => {
  mode = 'rate-limited';
  const first = await chat('ask-limited');
  expect([HOLDING_REPLY, MODEL_UNAVAILABLE_REPLY]).toContain(first.body.reply.text);
  await eventually(async () => (await breaker()) === 'open', 60_000, 'the breaker to open');

  const second = await chat('ask-while-open');
  expect(second.body.reply.text).toBe(MODEL_UNAVAILABLE_REPLY);

  mode = 'ok';
  await replyArrives('ask-limited');
  await replyArrives('ask-while-open');
  expect(await breaker()).toBe('closed');
  expect((await chat('ask-limited')).body.reply.text).toBe('Real answer to: ask-limited');
});

test('500s: while the breaker is open a feed item is triaged by the rules', async () => {
  mode = 'server-error';
  const mail = { id: 'budget-review-1', from: 'Sam Ortiz <sam@acme.example>', to: ['me@acme.example'], subject: 'Budget review', text: 'Could you look over the budget draft before Thursday?' };
  expect((await f.deliver(mail)).status).toBe(202);
  const outcome = await f.stack.client.workflow.getHandle(feedWorkflowId('gmail', `${mail.id}@mail.example.com`)).result();
  expect(outcome.by).toBe('rules-fallback');
  await eventually(async () => (await breaker()) === 'open', 60_000, 'the breaker to open');
  expect((await chat('ask-during-500')).body.reply.text).toBe(MODEL_UNAVAILABLE_REPLY);
  mode = 'ok';
  await replyArrives('ask-during-500');
  expect(await breaker()).toBe('closed');
});
