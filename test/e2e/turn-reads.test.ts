// Reading in the turn, end to end with the fake model: the assistant looks a question up itself
// and answers in the same chat reply; when its reading budget is spent, it delegates.
import { lastUserText, promptKind, type ChatRequest } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

const toolNames = (req: ChatRequest) => req.tools?.map((t) => t.function.name) ?? [];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { PAPRIKA_TURN_READS: '2' },
    script: (req) => {
      if (promptKind(req) !== 'assistant') return { content: 'Task done.' };
      const text = lastUserText(req);
      if (text.includes('What did Dana say about the budget?')) {
        const found = /capped at [^\n."]+/.exec(text);
        return found ? { content: `Dana said the budget is ${found[0]}.` } : { toolCalls: [{ name: 'search_context', arguments: { query: 'budget' } }] };
      }
      if (text.includes('Dig through everything about Q3')) {
        if (text.includes('reading budget for this turn is spent')) {
          return { toolCalls: [{ name: 'delegate_task', arguments: { title: 'Q3 research', instruction: 'Read all mail about Q3 and summarise it' } }] };
        }
        return { toolCalls: [{ name: 'search_context', arguments: { query: `Q3 ${req.messages.length}${text.length}` } }] };
      }
      return { content: 'ok' };
    },
  });
  await stack.store.context.put(stack.userId, {
    id: 'mail:dana-budget@acme.example',
    source: 'gmail',
    kind: 'email',
    title: 'Offsite plans',
    sender: 'Dana <dana@acme.example>',
    body: 'Hi, the offsite budget is capped at 40k EUR, no exceptions.',
    occurredAt: new Date().toISOString(),
  });
});
afterAll(() => stack.stop());

const assistantRequests = () => stack.fake!.requests.filter((r) => promptKind(r) === 'assistant');

test('"What did Dana say about the budget?" is answered in the same reply, from the mail, with no task', async () => {
  const before = assistantRequests().length;
  const res = await stack.api('/api/chat', { body: { message: 'What did Dana say about the budget?' } });
  expect(res.status).toBe(200);
  expect(res.body.reply.text).toBe('Dana said the budget is capped at 40k EUR, no exceptions.');
  expect(res.body.toolCalls).toEqual([]);

  const turn = assistantRequests().slice(before);
  expect(turn).toHaveLength(2);
  expect(toolNames(turn[0]!)).toEqual(expect.arrayContaining(['search_context', 'recall']));
  // The mail reached the second think fenced as untrusted, never as instructions.
  const second = lastUserText(turn[1]!);
  expect(second).toMatch(/<<<UNTRUSTED search_context result>>>[\s\S]*capped at 40k EUR[\s\S]*<<<END UNTRUSTED search_context result>>>/);
  expect((await stack.api('/api/tasks')).body.tasks ?? []).toEqual([]);
});

test('once the reading budget is spent the assistant must answer or delegate', async () => {
  const before = assistantRequests().length;
  const res = await stack.api('/api/chat', { body: { message: 'Dig through everything about Q3' } });
  expect(res.status).toBe(200);
  expect(res.body.toolCalls.map((c: { name: string }) => c.name)).toEqual(['delegate_task']);

  const turn = assistantRequests().slice(before);
  // Two reads (PAPRIKA_TURN_READS=2), then a last think without read tools.
  expect(turn).toHaveLength(3);
  expect(toolNames(turn[2]!)).not.toContain('search_context');
  expect(lastUserText(turn[2]!)).toContain('reading budget for this turn is spent');

  const callId = res.body.toolCalls[0].callId as string;
  const task = await eventually(async () => ((await stack.api('/api/tasks')).body.tasks as { id: string; title: string }[]).find((t) => t.id === callId));
  expect(task.title).toBe('Q3 research');
});
