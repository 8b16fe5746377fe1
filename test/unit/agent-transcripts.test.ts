// Agent conversations kept in the store: the store on both engines, and the real agent activities
// on a real SQLite file talking to the fake model over HTTP. A step is given only what is new, the model still sees the
// whole conversation in order, and a retried step or tool run writes nothing twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeAgentActivities } from '../../src/activities/agent';
import { createToolbox } from '../../src/activities/tools';
import { InlineConversation, startAgent, StoredConversation, TOOL_RESULT_LIMIT } from '../../src/agents/agent-loop';
import { loadConfig } from '../../src/config';
import { createModelClient } from '../../src/integrations/model';
import { openStore, type Store } from '../../src/store';
import { AgentTranscripts } from '../../src/store/agent-transcripts';
import type { Sql } from '../../src/store/sql';
import { ENGINES, openTestSql } from '../helpers/test-sql';
import { type FakeOpenAI, type Script, startFakeOpenAI } from '../fakes/openai-server';

let store: Store;
let fake: FakeOpenAI;
let agent: ReturnType<typeof makeAgentActivities>;
let script: Script;

beforeAll(async () => {
  fake = await startFakeOpenAI((req, i) => script(req, i));
});
afterAll(() => fake.close());
beforeEach(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-transcripts-'));
  const config = loadConfig({ PAPRIKA_DATA_DIR: dataDir, PAPRIKA_USER: 'me', OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test', PAPRIKA_MODEL: 'fake-model' });
  store = await openStore(dataDir);
  agent = makeAgentActivities(config, store, createModelClient(config), createToolbox(config, store));
  fake.requests.length = 0;
});
afterEach(() => store.close());

const owner = { userId: 'me', taskId: 't1' };

describe.each(ENGINES)('the store on %s', (engine) => {
  let sql: Sql;
  let t: AgentTranscripts;
  beforeEach(async () => {
    sql = await openTestSql(engine);
    t = new AgentTranscripts(sql);
  });
  afterEach(() => sql.close());

  test('keeps each place once and gives the conversation back in order', async () => {
    expect(await t.append('k', owner, [{ step: 1, position: 1, message: 'tool' }, { step: 0, position: 0, message: 'system' }, { step: 1, position: 0, message: 'model' }])).toBe(3);
    expect(await t.append('k', owner, [{ step: 1, position: 0, message: 'a second answer' }, { step: 2, position: 0, message: 'next' }])).toBe(1);
    expect(await t.load('k')).toEqual(['system', 'model', 'tool', 'next']);
    expect(await t.at('k', 1, 0)).toBe('model');
    expect(await t.at('k', 9, 0)).toBeUndefined();
    expect(await t.load('other')).toEqual([]);
  });

  test('orders steps as numbers and keeps structured messages intact', async () => {
    const message = { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'recall', arguments: '{"q":"ü"}' }] };
    await t.append('k', owner, [10, 2, 1].map((step) => ({ step, position: 0, message: { ...message, step } })));
    expect((await t.load<{ step: number }>('k')).map((m) => m.step)).toEqual([1, 2, 10]);
    expect(await t.at('k', 2, 0)).toEqual({ ...message, step: 2 });
  });

  test('a retried step written concurrently lands once', async () => {
    const entries = [0, 1, 2].map((position) => ({ step: 3, position, message: `m${position}` }));
    const added = await Promise.all(Array.from({ length: 5 }, () => t.append('k', owner, entries)));
    expect(added.reduce((a, b) => a + b, 0)).toBe(3);
    expect(await t.load('k')).toEqual(['m0', 'm1', 'm2']);
  });
});

test('a step is given only what is new; the model sees the whole conversation, tool result included', async () => {
  await store.memory.add('me', 'The user prefers tea.');
  script = (req) =>
    req.messages.some((m) => m.role === 'tool') ? { content: 'You prefer tea.' } : { content: 'Let me check.', toolCalls: [{ name: 'recall', arguments: { query: 'tea' }, id: 'call_a' }] };
  const conversation = new StoredConversation('tool:me:t1:task', startAgent('What do I drink?'));

  const first = await agent.agentStep({ ...owner, ...conversation.stepInput(1) });
  expect(first.toolCalls).toEqual([{ id: 'call_a', name: 'recall', arguments: '{"query":"tea"}' }]);
  conversation.recordStep(1, first);
  const plan = await agent.prepareTool({ ...owner, callId: 'call_a', name: 'recall', arguments: '{"query":"tea"}', transcript: conversation.toolResultPlace(1, 0) });
  // What the tool read stays in the store; the workflow learns only that it is there.
  expect(plan).toEqual({ kind: 'recorded', chars: expect.any(Number) });
  expect(JSON.stringify(plan)).not.toContain('tea');

  const second = conversation.stepInput(2);
  expect(second).toEqual({ transcript: 'tool:me:t1:task', step: 2, entries: [] });
  expect((await agent.agentStep({ ...owner, ...second })).content).toBe('You prefer tea.');

  const seen = fake.requests[1]!.messages.map((m) => [m.role, m.content]);
  expect(seen).toEqual([
    ['system', expect.stringContaining('background task agent')],
    // Added at each step from the store, never written to the transcript.
    ['system', expect.stringContaining('The user prefers tea.')],
    ['user', 'What do I drink?'],
    ['assistant', 'Let me check.'],
    ['tool', '- The user prefers tea.'],
  ]);
  expect(fake.requests[1]!.messages[3]!.tool_calls?.[0]?.id).toBe('call_a');
});

test('a retried step answers what it answered before, without asking the model again', async () => {
  let n = 0;
  script = () => ({ content: `answer ${++n}` });
  const input = { ...owner, ...new StoredConversation('tool:me:t2:task', startAgent('Say something')).stepInput(1) };
  expect((await agent.agentStep(input)).content).toBe('answer 1');
  expect((await agent.agentStep(input)).content).toBe('answer 1');
  expect(fake.requests).toHaveLength(1);
  expect(await store.agentTranscripts.load('tool:me:t2:task')).toHaveLength(3);
});

test('a retried tool run leaves one result in the transcript', async () => {
  const place = { transcript: 'tool:me:t3:task', step: 1, position: 1 };
  const call = { ...owner, callId: 'call_b', name: 'recall', arguments: '{}', transcript: place };
  await agent.prepareTool(call);
  await store.memory.add('me', 'A fact learnt in between.');
  await agent.prepareTool(call);
  expect(await store.agentTranscripts.load(place.transcript)).toEqual([{ role: 'tool', toolCallId: 'call_b', content: 'nothing remembered about that' }]);
});

test('results the workflow holds (side effects, approvals) travel once, with the next step', async () => {
  const conversation = new StoredConversation('k', startAgent('Send it'));
  expect(conversation.stepInput(1)).toMatchObject({ step: 1, entries: [{ step: 0, position: 0 }, { step: 0, position: 1 }] });
  conversation.recordStep(1, { content: null, toolCalls: [{ id: 'c1', name: 'gmail_send', arguments: '{}' }] });
  conversation.recordToolResult(1, 0, 'c1', 'x'.repeat(TOOL_RESULT_LIMIT + 50));
  const second = conversation.stepInput(2);
  expect(second).toMatchObject({ step: 2, entries: [{ step: 1, position: 1, message: { role: 'tool', toolCallId: 'c1' } }] });
  expect(JSON.stringify(second).length).toBeLessThan(TOOL_RESULT_LIMIT + 300);
  conversation.recordStep(2, { content: 'done', toolCalls: [] });
  expect(conversation.stepInput(3)).toMatchObject({ entries: [] });
});

test('runs started before transcripts were stored keep carrying the whole conversation', async () => {
  const conversation = new InlineConversation(startAgent('Look it up'));
  conversation.recordStep(1, { content: null, toolCalls: [{ id: 'c1', name: 'recall', arguments: '{}' }] });
  expect(conversation.toolResultPlace(1, 0)).toBeUndefined();
  conversation.recordToolResult(1, 0, 'c1', 'found');
  expect(conversation.stepInput(2)).toEqual({ messages: [...startAgent('Look it up'), { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'recall', arguments: '{}' }] }, { role: 'tool', toolCallId: 'c1', content: 'found' }] });
});
