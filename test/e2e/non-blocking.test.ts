// Tool calls never block the assistant: a slow delegated task keeps running while the user chats,
// and its result arrives later as a notification and in the transcript.
import { type ChatRequest, lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

const AGENT_SECONDS = 4;
let stack: Stack;

function script(req: ChatRequest) {
  const kind = promptKind(req);
  const text = lastUserText(req);
  if (kind === 'agent') return { content: 'Three suppliers found: Acme, Globex, Initech.', delayMs: AGENT_SECONDS * 1000 };
  if (text.includes('Result of task')) return { content: 'Your supplier research is done: Acme, Globex, Initech.' };
  if (text.includes('research suppliers'))
    return { content: 'Started the research.', toolCalls: [{ name: 'delegate_task', arguments: { title: 'Supplier research', instruction: 'Find three suppliers' } }] };
  return { content: 'Still here while the research runs.' };
}

beforeAll(async () => {
  stack = await startStack({ script });
});
afterAll(() => stack.stop());

test('a second message is answered while the delegated task is still running', async () => {
  const first = await stack.api('/api/chat', { body: { message: 'please research suppliers' } });
  expect(first.status).toBe(200);
  expect(first.body.toolCalls).toEqual([expect.objectContaining({ name: 'delegate_task', title: 'Supplier research' })]);
  const taskId = first.body.toolCalls[0].callId;

  const second = await stack.api('/api/chat', { body: { message: 'are you there?' } });
  expect(second.body.reply.text).toBe('Still here while the research runs.');

  // Answered while the task was still running: its agent had not answered yet.
  const tasks = await stack.api('/api/tasks');
  const task = tasks.body.tasks.find((t: { id: string }) => t.id === taskId);
  expect(task).toMatchObject({ status: 'running', tool: 'delegate_task', workflowId: `tool:${stack.userId}:${taskId}` });
  expect(task.temporalUrl).toContain(encodeURIComponent(`tool:${stack.userId}:${taskId}`));

  const done = await eventually(async () => {
    const t = (await stack.api('/api/tasks')).body.tasks.find((x: { id: string }) => x.id === taskId);
    return t.status === 'completed' && t;
  }, 30_000, 'the task to complete');
  expect(done.result).toContain('Acme, Globex, Initech');

  const notes = (await stack.api('/api/notifications')).body.notifications;
  expect(notes).toEqual([expect.objectContaining({ title: 'Supplier research: completed', ref: `task:${taskId}`, source: 'task' })]);
  expect(notes[0].body).toContain('Acme, Globex, Initech');

  await eventually(async () => {
    const conv = (await stack.api('/api/conversation')).body.messages;
    return conv.some((m: { text: string }) => m.text === 'Your supplier research is done: Acme, Globex, Initech.');
  }, 30_000, 'the result in the transcript');
  const snapshot = await stack.assistant.snapshot(stack.userId);
  expect(snapshot.pending).toEqual([]);
});
