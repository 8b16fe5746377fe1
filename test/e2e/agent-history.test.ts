// A long task keeps its history small: the agent's conversation stays in Paprika's store, so what
// someone reads in the Temporal UI for a 20-step task is each step's own input and result, never
// the conversation so far, while the model still sees all of it.
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

const STEPS = 20;
const FACT = 'The blue notebook is in drawer seven of the oak desk.';
const INSTRUCTION = 'Find out where the blue notebook is, checking your memory thoroughly.';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { PAPRIKA_AGENT_MAX_STEPS: String(STEPS + 5) },
    script: (req) => {
      if (promptKind(req) === 'agent') {
        const reads = req.messages.filter((m) => m.role === 'tool').length;
        return reads < STEPS - 1 ? { toolCalls: [{ name: 'recall', arguments: { query: `notebook ${reads}` } }] } : { content: 'It is in drawer seven.' };
      }
      if (lastUserText(req).includes('blue notebook')) {
        return { toolCalls: [{ name: 'delegate_task', arguments: { title: 'Find the notebook', instruction: INSTRUCTION } }] };
      }
      return { content: 'Noted.' };
    },
  });
  await stack.store.memory.add(stack.userId, FACT);
});
afterAll(() => stack.stop());

/** Payloads as the Temporal UI shows them to the user: decoded through Paprika's codec. */
async function texts(payloads: temporal.api.common.v1.IPayloads | null | undefined): Promise<string[]> {
  let decoded = payloads?.payloads ?? [];
  for (const codec of [...stack.client.options.loadedDataConverter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  return decoded.map((p) => JSON.stringify(defaultPayloadConverter.fromPayload(p)) ?? '');
}

test('a 20-step task completes and no activity in its history carries the conversation so far', async () => {
  const chat = await stack.api('/api/chat', { body: { message: 'where is my blue notebook?' } });
  expect(chat.status).toBe(200);
  const taskId = chat.body.toolCalls[0].callId as string;
  const task = await eventually(async () => {
    const t = (await stack.api('/api/tasks')).body.tasks.find((x: { id: string }) => x.id === taskId);
    return t?.status !== 'running' && t;
  }, 90_000, 'the task to end');
  expect(task).toMatchObject({ status: 'completed', result: 'It is in drawer seven.' });

  // The model's last step saw every read the agent made.
  const agentRequests = stack.fake!.requests.filter((r) => promptKind(r) === 'agent');
  expect(agentRequests).toHaveLength(STEPS);
  expect(agentRequests.at(-1)!.messages.filter((m) => m.role === 'tool' && m.content?.includes(FACT))).toHaveLength(STEPS - 1);

  const history = await stack.client.workflow.getHandle(`tool:${stack.userId}:${taskId}`).fetchHistory();
  const scheduled = await Promise.all(
    (history.events ?? []).flatMap((e) => {
      const a = e.activityTaskScheduledEventAttributes;
      return a ? [texts(a.input).then((inputs) => ({ type: a.activityType?.name ?? '', inputs }))] : [];
    }),
  );
  const steps = scheduled.filter((s) => s.type === 'agentStep');
  expect(steps).toHaveLength(STEPS);
  // The instruction is sent once, with the first step; what the tools read is in no input at all.
  expect(steps.filter((s) => s.inputs.join().includes(INSTRUCTION))).toHaveLength(1);
  expect(scheduled.filter((s) => s.inputs.join().includes('blue notebook is in drawer'))).toEqual([]);
  const results = (await Promise.all((history.events ?? []).map((e) => texts(e.activityTaskCompletedEventAttributes?.result)))).flat();
  expect(results.filter((r) => r.includes('blue notebook is in drawer'))).toEqual([]);
  // Each step's input stays the same small size, however long the conversation has become.
  expect(steps.at(-1)!.inputs.join().length).toBeLessThanOrEqual(steps[1]!.inputs.join().length + 10);
});
