// How big a task agent's Temporal history gets: one task agent, 20 model steps with the fake model
// (19 reads of the context store, then an answer), against a fresh dev server.
//   npx tsx bench/agent-history.ts
// Prints the history's event count, its size as JSON, and the largest single payload in it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { loadConfig } from '../src/config';
import { openStore } from '../src/store';
import { workflowSettings } from '../src/temporal/assistant';
import { findTemporalCli } from '../src/temporal/cli';
import { connectClient } from '../src/temporal/connection';
import { freePort, startDevServer } from '../src/temporal/dev-server';
import { installRuntime } from '../src/temporal/runtime';
import { createWorker } from '../src/worker';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { promptKind, startFakeOpenAI } from '../test/fakes/openai-server';

const STEPS = 20;

async function main(): Promise<void> {
  installRuntime('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-bench-agent-'));
  const bundle = await bundleWorkflows(path.join(dir, 'bundle.js'));
  const server = await startDevServer({ cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH), port: await freePort(), headless: true });
  // Each step but the last reads the store; the answer comes once 19 tool results are in.
  const fake = await startFakeOpenAI((req) => {
    if (promptKind(req) !== 'agent') return { content: 'ok' };
    const reads = req.messages.filter((m) => m.role === 'tool').length;
    return reads < STEPS - 1
      ? { content: `Looking further (${reads + 1}).`, toolCalls: [{ name: 'search_context', arguments: { query: `quarterly report ${reads}` } }] }
      : { content: 'The quarterly report says revenue grew 12%.' };
  });
  const config = loadConfig({
    TEMPORAL_ADDRESS: server.address,
    PAPRIKA_DATA_DIR: path.join(dir, 'data'),
    PAPRIKA_USER: 'bench',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'bench',
    TEMPORAL_TASK_QUEUE: 'bench-agent',
  });
  const store = await openStore(config.dataDir);
  // Something for the reads to find, so each tool result is a realistic few kilobytes.
  for (let i = 0; i < 10; i++) {
    await store.context.put(config.userId, {
      id: `bench-mail-${i}`,
      source: 'bench',
      kind: 'email',
      title: `Quarterly report, part ${i}`,
      sender: `analyst${i}@acme.example`,
      body: `The quarterly report, part ${i}: revenue grew 12%, costs fell 3%, headcount is flat. `.repeat(6),
      occurredAt: new Date(Date.UTC(2025, 8, i + 1)).toISOString(),
    });
  }
  const client = await connectClient(config, server.address);
  const connection = await NativeConnection.connect({ address: server.address });
  const worker = await createWorker({ config, store, connection, workflowBundle: { codePath: bundle } });
  const running = worker.run();

  const taskId = 'bench-task';
  await store.tasks.start({ id: taskId, userId: config.userId, tool: 'delegate_task', title: 'Read the quarterly report', workflowId: `tool:bench:${taskId}` });
  const handle = await client.workflow.start('taskAgentWorkflow', {
    workflowId: `tool:bench:${taskId}`,
    taskQueue: config.temporal.taskQueue,
    args: [{ userId: config.userId, taskId, title: 'Read the quarterly report', instruction: 'Read the quarterly report and summarise it.', settings: { ...workflowSettings(config), agentMaxSteps: STEPS + 5 } }],
  });
  const result = (await handle.result()) as string;
  const history = await handle.fetchHistory();
  const json = historyToJSON(history);
  const payloadSizes = (history.events ?? []).flatMap((e) => {
    const payloads = e.activityTaskScheduledEventAttributes?.input?.payloads ?? e.activityTaskCompletedEventAttributes?.result?.payloads ?? [];
    return payloads.map((p) => p.data?.length ?? 0);
  });
  const modelSteps = fake.requests.filter((r) => promptKind(r) === 'agent').length;

  worker.shutdown();
  await running;
  await connection.close();
  await client.connection.close();
  await store.close();
  await fake.close();
  await server.stop();

  console.log(`\nTask agent history after ${modelSteps} model steps (result: "${result}")\n`);
  console.table([{ events: history.events?.length ?? 0, historyBytes: Buffer.byteLength(json), largestActivityPayloadBytes: Math.max(0, ...payloadSizes) }]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
