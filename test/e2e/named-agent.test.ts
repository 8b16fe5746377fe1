// A named agent: two instructions sent back to back are handled in order, never interleaved, and
// the second sees the memory the first left; a failed instruction fails alone; the agent is listed,
// inspected, and stopped.
import { type ChatRequest, lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
/** Agent requests as they arrive: which instruction, and whether the previous one had finished. */
const agentLog: { instruction: string; at: number }[] = [];
let firstAnsweredAt = 0;

function script(req: ChatRequest) {
  const kind = promptKind(req);
  if (kind === 'agent') {
    const instruction = lastUserText(req);
    agentLog.push({ instruction, at: Date.now() });
    const memory = req.messages.filter((m) => m.role === 'system').map((m) => m.content ?? '').join('\n');
    if (instruction.includes('code word is BANANA')) {
      return new Promise<{ content: string }>((resolve) =>
        setTimeout(() => {
          firstAnsweredAt = Date.now();
          resolve({ content: 'Noted: the code word is BANANA.' });
        }, 1500),
      );
    }
    if (instruction.includes('what is the code word')) {
      return { content: memory.includes('BANANA') ? 'The code word is BANANA.' : 'I do not know any code word.' };
    }
    if (instruction.includes('colour is TEAL')) return { content: 'Noted: the colour is TEAL.' };
    // Not retried: the step gives up at once.
    if (instruction.includes('malformed request')) return { status: 400 };
    if (instruction.includes('what is the colour')) {
      return { content: memory.includes('TEAL') ? 'The colour is TEAL.' : 'I do not know any colour.' };
    }
    return { content: 'Done.' };
  }
  if (kind !== 'assistant') return { content: 'summary' };
  const text = lastUserText(req);
  const m = /tell (researcher|scribe): (.+)$/m.exec(text);
  if (m) return { toolCalls: [{ name: 'delegate_to_agent', arguments: { name: m[1], instruction: m[2]!.trim() } }] };
  return { content: 'Noted.' };
}

beforeAll(async () => {
  stack = await startStack({ script });
});
afterAll(() => stack.stop());

const task = async (id: string) => (await stack.api('/api/tasks')).body.tasks.find((t: { id: string }) => t.id === id);

test('instructions to one named agent run in order, with memory carried from one to the next', async () => {
  const first = await stack.api('/api/chat', { body: { message: 'tell researcher: remember the code word is BANANA' } });
  const second = await stack.api('/api/chat', { body: { message: 'tell researcher: what is the code word?' } });
  expect(first.body.toolCalls).toEqual([expect.objectContaining({ name: 'delegate_to_agent', title: 'researcher: remember the code word is BANANA' })]);
  const [id1, id2] = [first.body.toolCalls[0].callId, second.body.toolCalls[0].callId];
  const workflowId = `agent:${stack.userId}:researcher`;
  expect(await task(id1)).toMatchObject({ tool: 'delegate_to_agent', workflowId });

  const done2 = await eventually(async () => {
    const t = await task(id2);
    return t?.status === 'completed' && t;
  }, 30_000, 'the second instruction to finish');
  expect(done2.result).toBe('The code word is BANANA.');
  expect((await task(id1)).result).toBe('Noted: the code word is BANANA.');

  // Strictly one after the other: the second instruction reached the model only after the first answered.
  expect(agentLog.map((l) => l.instruction)).toEqual(['remember the code word is BANANA', 'what is the code word?']);
  expect(agentLog[1]!.at).toBeGreaterThanOrEqual(firstAnsweredAt);

  // Each answer went back to the assistant as a tool result.
  await eventually(async () => {
    const snapshot = await stack.assistant.snapshot(stack.userId);
    return snapshot.pending.length === 0;
  }, 20_000, 'the assistant to receive both answers');

  const agents = (await stack.api('/api/agents')).body.agents;
  expect(agents).toEqual([expect.objectContaining({ name: 'researcher', workflowId, status: 'running' })]);
  const inspected = (await stack.api('/api/agents/researcher')).body.agent;
  expect(inspected.state).toMatchObject({ name: 'researcher', queued: [], stats: { handled: 2 } });
  expect(inspected.state.memory.notes).toHaveLength(2);
  expect(inspected.state.memory.notes[0].text).toContain('BANANA');
  expect((await stack.api('/api/agents/nobody')).status).toBe(404);
});

test('a failed instruction fails alone: the agent keeps running, with its memory, and takes the next one', async () => {
  const delegate = async (instruction: string) => (await stack.api('/api/chat', { body: { message: `tell scribe: ${instruction}` } })).body.toolCalls[0].callId as string;
  const finished = (id: string) =>
    eventually(async () => {
      const t = await task(id);
      return t && t.status !== 'running' && t;
    }, 30_000, `task ${id} to finish`);

  const remembered = await finished(await delegate('remember the colour is TEAL'));
  expect(remembered.status).toBe('completed');
  const failedId = await delegate('send a malformed request');
  const failed = await finished(failedId);
  expect(failed.status).toBe('failed');
  expect(failed.result).toMatch(/400/);
  const workflowId = `agent:${stack.userId}:scribe`;
  expect((await stack.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');

  const answered = await finished(await delegate('what is the colour?'));
  expect(answered).toMatchObject({ status: 'completed', result: 'The colour is TEAL.' });
  expect((await stack.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');

  // The failure reached the assistant too, so no call is left pending.
  await eventually(async () => (await stack.assistant.snapshot(stack.userId)).pending.length === 0, 20_000, 'the assistant to hear every end');
  const state = (await stack.api('/api/agents/scribe')).body.agent.state;
  expect(state.stats.handled).toBe(3);
  expect(state.memory.notes.map((n: { text: string }) => n.text)).toEqual([
    expect.stringContaining('TEAL'),
    expect.stringMatching(/malformed request\nEnded failed: /),
    expect.stringContaining('The colour is TEAL.'),
  ]);
});

test('a stopped agent ends; stopping it again is a conflict', async () => {
  const stop = await stack.api('/api/agents/researcher/stop', { method: 'POST' });
  expect(stop.status).toBe(200);
  await eventually(async () => (await stack.api('/api/agents/researcher')).body.agent.status !== 'running', 20_000, 'the agent to end');
  expect((await stack.api('/api/agents/researcher/stop', { method: 'POST' })).status).toBe(409);
});
