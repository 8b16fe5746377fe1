// Histories recorded from earlier versions of the code (test/fixtures/histories) must keep
// replaying: they stand for workflows already running on users' machines.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import type { History } from '@temporalio/common/lib/proto-utils';
import { allStacksDataConverter } from '../helpers/codec';

const dir = path.resolve(__dirname, '../fixtures/histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

test('fixtures exist for the assistant, task agent and reminder workflows', () => {
  expect(files.join(' ')).toMatch(/assistantWorkflow/);
  expect(files.join(' ')).toMatch(/taskAgentWorkflow/);
  expect(files.join(' ')).toMatch(/reminderWorkflow/);
});

// With the codec in place, as the worker runs: fixtures recorded before encryption are plaintext
// and must pass through it.
test.each(files)('%s replays against the current code', async (file) => {
  const history = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as History;
  await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.PAPRIKA_TEST_BUNDLE! }, dataConverter: allStacksDataConverter() }, history, file);
});
