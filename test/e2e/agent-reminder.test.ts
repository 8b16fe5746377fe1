// A task agent's set_reminder starts the same kind of reminder as the assistant's: its own
// workflow with a task row the user sees, found by the same search attributes.
import type { ChatRequest } from '../fakes/openai-server';
import { lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;

function script(req: ChatRequest) {
  const kind = promptKind(req);
  if (kind === 'agent') {
    if (!req.messages.some((m) => m.role === 'tool')) return { toolCalls: [{ name: 'set_reminder', arguments: { text: 'renew the passport', inMinutes: 120 } }] };
    return { content: 'Reminder set.' };
  }
  if (kind === 'assistant' && lastUserText(req).includes('passport')) {
    return { toolCalls: [{ name: 'delegate_task', arguments: { title: 'Passport', instruction: 'Remind me to renew the passport in two hours' } }] };
  }
  return { content: 'Noted.' };
}

beforeAll(async () => {
  stack = await startStack({ script });
});
afterAll(() => stack.stop());

test("an agent's reminder is a running reminder workflow with its own task row", async () => {
  const chat = await stack.api('/api/chat', { body: { message: 'passport reminder please' } });
  const taskId = chat.body.toolCalls[0].callId;

  const row = await eventually(async () => {
    const tasks = (await stack.api('/api/tasks')).body.tasks as { id: string; tool: string; title: string; status: string; workflowId: string }[];
    return tasks.find((t) => t.tool === 'set_reminder' && t.id.startsWith(`${taskId}-`));
  }, 60_000, "the agent's reminder row");
  expect(row).toMatchObject({ title: 'Reminder: renew the passport', status: 'running', workflowId: `tool:${stack.userId}:${row.id}` });

  const described = await stack.client.workflow.getHandle(row.workflowId).describe();
  expect(described.type).toBe('reminderWorkflow');
  expect(described.status.name).toBe('RUNNING');
  expect(described.searchAttributes).toMatchObject({ PaprikaUser: [stack.userId], PaprikaKind: ['reminder'] });
  await stack.client.workflow.getHandle(row.workflowId).cancel();
});
