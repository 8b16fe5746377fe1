// An MCP server (a small stdio server written with the SDK, test/fakes/mcp-stdio-server.ts) provides
// tools an agent uses: a read-only one runs at once, one with side effects waits for approval, and
// the server process is started once and reused for both calls.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ChatRequest, lastUserText, promptKind } from '../fakes/openai-server';
import { eventually, type Stack, startStack } from '../helpers/stack';

let stack: Stack;
const log = path.join(fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? os.tmpdir(), 'mcp-')), 'mcp.log');
let offered: string[] = [];

function script(req: ChatRequest) {
  const kind = promptKind(req);
  if (kind === 'agent') {
    offered = (req.tools ?? []).map((t) => t.function.name);
    const tools = req.messages.filter((m) => m.role === 'tool');
    if (tools.length === 0) return { toolCalls: [{ name: 'mcp__fake__lookup_weather', arguments: { city: 'Paris' } }] };
    if (tools.length === 1) return { toolCalls: [{ name: 'mcp__fake__create_ticket', arguments: { title: `Umbrella: ${tools[0]!.content}` } }] };
    return { content: tools.map((t) => t.content).join(' | ') };
  }
  if (kind !== 'assistant') return { content: 'summary' };
  if (lastUserText(req).includes('weather ticket')) {
    return { toolCalls: [{ name: 'delegate_task', arguments: { title: 'Weather ticket', instruction: 'Check the weather in Paris and file a ticket' } }] };
  }
  return { content: 'Noted.' };
}

beforeAll(async () => {
  const server = path.resolve(__dirname, '../fakes/mcp-stdio-server.ts');
  stack = await startStack({
    script,
    env: {
      PAPRIKA_MCP_SERVERS: JSON.stringify([{ name: 'fake', command: process.execPath, args: ['--import', 'tsx', server], env: { MCP_FAKE_LOG: log } }]),
    },
  });
});
afterAll(() => stack.stop());

test('an agent uses MCP tools: reads run at once, side effects wait for approval', async () => {
  const chat = await stack.api('/api/chat', { body: { message: 'please do the weather ticket' } });
  const taskId = chat.body.toolCalls[0].callId;

  const approval = await eventually(async () => {
    const list = (await stack.api('/api/approvals?status=pending')).body.approvals;
    return list.find((a: { taskId: string }) => a.taskId === taskId);
  }, 60_000, 'the ticket to wait for approval');
  expect(offered).toEqual(expect.arrayContaining(['mcp__fake__lookup_weather', 'mcp__fake__create_ticket', 'web_fetch']));
  expect(approval).toMatchObject({ tool: 'mcp__fake__create_ticket', args: { title: 'Umbrella: Weather in Paris: 18°C, light rain' } });
  expect(approval.preview.summary).toContain('mcp__fake__create_ticket');
  expect(fs.readFileSync(log, 'utf8')).not.toContain('ticket\t');

  expect((await stack.api(`/api/approvals/${approval.id}`, { body: { decision: 'approve' } })).status).toBe(200);
  const done = await eventually(async () => {
    const t = (await stack.api('/api/tasks')).body.tasks.find((x: { id: string }) => x.id === taskId);
    return t?.status === 'completed' && t;
  }, 30_000, 'the task to complete');
  expect(done.result).toContain('Weather in Paris: 18°C, light rain');
  expect(done.result).toContain('Created ticket T-1: Umbrella');

  const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
  expect(lines.filter((l) => l.startsWith('ticket\t'))).toEqual(['ticket\tUmbrella: Weather in Paris: 18°C, light rain']);
  // One server process for every call (the pool reuses the connection).
  expect(lines.filter((l) => l.startsWith('start\t'))).toHaveLength(1);
});
