// Running tasks can hold every activity slot of the worker (each agent step waits on the model).
// A chat must not wait for one: its think and, when the window is full, the fold of old entries
// into the summary run in the worker itself. Here two agents hang on the model with two activity
// slots, and chats fill a small window; every chat gets its real answer, not the deadline's.
import { HOLDING_REPLY } from '../../src/shared/holding-answer';
import { type ChatRequest, lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
let releaseAgents!: () => void;
const agentsReleased = new Promise<void>((r) => (releaseAgents = r));

async function script(req: ChatRequest) {
  const kind = promptKind(req);
  if (kind === 'agent') {
    await agentsReleased;
    return { content: 'Done.' };
  }
  if (kind !== 'assistant') return { content: 'A short summary.' };
  const text = lastUserText(req);
  if (text.includes('start two tasks'))
    return { content: 'Started.', toolCalls: [1, 2].map((i) => ({ name: 'delegate_task', arguments: { title: `slow task ${i}`, instruction: 'wait for the model' } })) };
  return { content: text.includes('User (') ? `Answer ${(/chat (\d+)/.exec(text) ?? [])[1] ?? ''}`.trim() : null };
}

beforeAll(async () => {
  stack = await startStack({
    script,
    env: { PAPRIKA_WORKER_CONCURRENCY: '2', PAPRIKA_WINDOW_SIZE: '4', PAPRIKA_CHAT_DEADLINE_SECONDS: '8', PAPRIKA_BACKGROUND_QUIET_SECONDS: '0' },
  });
});
afterAll(async () => {
  releaseAgents();
  await stack.stop();
});

test('chats are answered while agents hold every activity slot, including the turns that fold the window', async () => {
  await stack.api('/api/chat', { body: { message: 'start two tasks' } });
  const agentCalls = () => stack.fake!.requests.filter((r) => promptKind(r) === 'agent').length;
  await eventually(() => agentCalls() >= 2 || undefined, 60_000, 'both agents to wait on the model');

  const summariesBefore = stack.fake!.requests.filter((r) => promptKind(r) !== 'agent' && promptKind(r) !== 'assistant').length;
  for (let i = 1; i <= 6; i++) {
    const res = await stack.api('/api/chat', { body: { message: `chat ${i}` } });
    expect(res.status).toBe(200);
    expect(res.body.reply.text).not.toBe(HOLDING_REPLY);
    expect(res.body.reply.text).toBe(`Answer ${i}`);
  }
  // The window of 4 overflowed on the way: these turns folded it while both slots stayed taken.
  expect(stack.fake!.requests.filter((r) => promptKind(r) !== 'agent' && promptKind(r) !== 'assistant').length).toBeGreaterThan(summariesBefore);
  expect(agentCalls()).toBe(2);
});
