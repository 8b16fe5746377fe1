// Crash and resume: the worker process is killed mid-task; a new worker finishes the task from
// its last finished step, and the tool that already ran is not run again.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChatRequest, lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, spawnWorker, type Stack, startStack, waitForOutput } from '../helpers/stack';

let stack: Stack;
let page: http.Server;
let pageHits = 0;
let secondStepCalls = 0;
let onSecondStep: () => void = () => undefined;
const workers: import('node:child_process').ChildProcess[] = [];

beforeAll(async () => {
  page = http.createServer((_req, res) => {
    pageHits++;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body><h1>Quarterly report</h1><p>Revenue grew 12%.</p></body></html>');
  });
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}/report`;
  const script = (req: ChatRequest) => {
    const kind = promptKind(req);
    if (kind === 'agent') {
      const ranTool = req.messages.some((m) => m.role === 'tool');
      if (!ranTool) return { toolCalls: [{ name: 'web_fetch', arguments: { url } }] };
      secondStepCalls++;
      onSecondStep();
      // The first attempt hangs until the worker running it is killed; the retry answers.
      return secondStepCalls === 1 ? { content: 'never delivered', delayMs: 60_000 } : { content: 'Revenue grew 12% last quarter.' };
    }
    if (lastUserText(req).includes('read the report')) {
      return { toolCalls: [{ name: 'delegate_task', arguments: { title: 'Read the report', instruction: `Read ${url} and summarise it` } }] };
    }
    return { content: 'Noted.' };
  };
  stack = await startStack({ script, worker: 'none' });
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await stack.stop();
  await new Promise((r) => page.close(r));
});

test('a task survives its worker being killed, with no duplicate tool execution', async () => {
  const first = spawnWorker(stack);
  workers.push(first);
  await waitForOutput(first, /worker polling/);
  const reachedSecondStep = new Promise<void>((resolve) => {
    onSecondStep = resolve;
  });
  const chat = await stack.api('/api/chat', { body: { message: 'please read the report' } });
  expect(chat.status).toBe(200);
  const taskId = chat.body.toolCalls[0].callId as string;

  await reachedSecondStep;
  expect(pageHits).toBe(1);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));

  const second = spawnWorker(stack);
  workers.push(second);
  try {
    await waitForOutput(second, /worker polling/);
    const task = await eventually(async () => {
      const t = (await stack.api('/api/tasks')).body.tasks.find((x: { id: string }) => x.id === taskId);
      return t?.status === 'completed' && t;
    }, 60_000, 'the task to complete on the new worker');
    expect(task.result).toBe('Revenue grew 12% last quarter.');
    expect(pageHits).toBe(1);
    expect(secondStepCalls).toBe(2);
    const notes = (await stack.api('/api/notifications')).body.notifications.filter((n: { ref?: string }) => n.ref === `task:${taskId}`);
    expect(notes).toHaveLength(1);
  } finally {
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
  }
});
