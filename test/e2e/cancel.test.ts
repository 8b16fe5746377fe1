// Cancelling long tasks: from the API and from chat, the cancellation reaches the running activity
// (its model request is aborted and the activity ends as cancelled), the task ends as cancelled,
// and the user is told. A named agent's instruction can be cancelled without stopping the agent.
import { type ChatRequest, lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;

function script(req: ChatRequest) {
  const kind = promptKind(req);
  if (kind === 'agent') {
    // Every instruction except "quick" thinks for a long time.
    return lastUserText(req).includes('quick') ? { content: 'Quick answer.' } : { content: 'too late', delayMs: 60_000 };
  }
  if (kind !== 'assistant') return { content: 'summary' };
  const text = lastUserText(req);
  if (text.includes('stop the research')) {
    const all = req.messages.map((m) => m.content ?? '').join('\n');
    const running = /- (\S+): delegate_task "Research chat"/.exec(all);
    return { content: 'Stopping it.', toolCalls: [{ name: 'cancel_task', arguments: { taskId: running?.[1] ?? 'unknown' } }] };
  }
  const research = /research (\S+)/.exec(text);
  if (research) {
    return { toolCalls: [{ name: 'delegate_task', arguments: { title: `Research ${research[1]}`, instruction: `Research ${research[1]} thoroughly` } }] };
  }
  const agent = /ask helper: (.+)$/m.exec(text);
  if (agent) return { toolCalls: [{ name: 'delegate_to_agent', arguments: { name: 'helper', instruction: agent[1]!.trim() } }] };
  if (/Result of task \S+ \(cancelled\)/.test(text)) return { content: 'That task was cancelled, as you asked.' };
  return { content: 'Noted.' };
}

beforeAll(async () => {
  stack = await startStack({ script });
});
afterAll(() => stack.stop());

const task = async (id: string) => (await stack.api('/api/tasks')).body.tasks.find((t: { id: string }) => t.id === id);
const waitStatus = (id: string, status: string) =>
  eventually(async () => {
    const t = await task(id);
    return t?.status === status && t;
  }, 30_000, `task ${id} to be ${status}`);

async function historyTypes(workflowId: string): Promise<string[]> {
  const h = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  return (h.events ?? []).map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes')) ?? '');
}

test('POST /api/tasks/:id/cancel stops a running task, its activity included, and the user is told', async () => {
  const chat = await stack.api('/api/chat', { body: { message: 'please research api' } });
  const taskId = chat.body.toolCalls[0].callId;
  await eventually(async () => (await task(taskId))?.progress === 'thinking', 20_000, 'the agent to be thinking');

  const started = Date.now();
  const res = await stack.api(`/api/tasks/${taskId}/cancel`, { method: 'POST' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ ok: true });
  const done = await waitStatus(taskId, 'cancelled');
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(done.result).toBe('Cancelled.');

  const types = await historyTypes(`tool:${stack.userId}:${taskId}`);
  expect(types).toContain('activityTaskCancelRequestedEventAttributes');
  // The activity itself acknowledged: its model request was aborted, not left running.
  expect(types).toContain('activityTaskCanceledEventAttributes');

  const notes = (await stack.api('/api/notifications')).body.notifications;
  expect(notes).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'Research api: cancelled', ref: `task:${taskId}` })]));
  await eventually(async () => {
    const messages = (await stack.api('/api/conversation')).body.messages;
    return messages.some((m: { text: string }) => m.text === 'That task was cancelled, as you asked.');
  }, 20_000, 'the assistant to tell the user');

  expect((await stack.api(`/api/tasks/${taskId}/cancel`, { method: 'POST' })).status).toBe(409);
  expect((await stack.api('/api/tasks/nope/cancel', { method: 'POST' })).status).toBe(404);
});

test('"stop the research" in chat cancels the task', async () => {
  const chat = await stack.api('/api/chat', { body: { message: 'please research chat' } });
  const taskId = chat.body.toolCalls[0].callId;
  await eventually(async () => (await task(taskId))?.progress === 'thinking', 20_000, 'the agent to be thinking');
  const stop = await stack.api('/api/chat', { body: { message: 'stop the research please' } });
  expect(stop.body.reply.text).toBe('Stopping it.');
  await waitStatus(taskId, 'cancelled');
});

test("cancelling a named agent's instruction stops that instruction only", async () => {
  const slow = await stack.api('/api/chat', { body: { message: 'ask helper: dig through the archive' } });
  const slowId = slow.body.toolCalls[0].callId;
  await eventually(async () => (await task(slowId))?.progress === 'thinking', 20_000, 'the agent to be thinking');
  const queued = await stack.api('/api/chat', { body: { message: 'ask helper: a quick question' } });
  const quickId = queued.body.toolCalls[0].callId;

  expect((await stack.api(`/api/tasks/${slowId}/cancel`, { method: 'POST' })).status).toBe(200);
  await waitStatus(slowId, 'cancelled');
  // The agent lives on and takes the next instruction.
  const quick = await waitStatus(quickId, 'completed');
  expect(quick.result).toBe('Quick answer.');
  expect((await stack.api('/api/agents/helper')).body.agent.status).toBe('running');
});
