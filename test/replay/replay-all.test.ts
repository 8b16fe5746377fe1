// Replays the history of every workflow the other tests ran (all runs, including
// continued-as-new ones) against the current workflow bundle. Runs last (see sequencer.js).
// With PAPRIKA_RECORD_FIXTURES=1 it also saves one history per workflow type as a fixture.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { fetchHistories, replayAll } from '../../src/temporal/replay';
import { allStacksDataConverter } from '../helpers/codec';

let client: Client;
beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address: process.env.PAPRIKA_TEST_TEMPORAL! }) });
});
afterAll(() => client.connection.close());

test('every history from this run replays without nondeterminism', async () => {
  // Workflow-level tests (test/workflow) run workflows of their own and replay those themselves.
  const histories = (await fetchHistories(client)).filter((h) => !h.workflowId.startsWith('workflow-test:'));
  const types = new Set(histories.map((h) => h.workflowId.split(':')[0]));
  // The scenarios above ran all three kinds; if not, this test is not testing much.
  expect([...types].sort()).toEqual(expect.arrayContaining(['assistant', 'tool']));
  expect(histories.length).toBeGreaterThan(5);

  // The histories are encrypted, each stack with its own key: replay decodes them as `npm run replay` does.
  const outcomes = await replayAll({ workflowBundle: { codePath: process.env.PAPRIKA_TEST_BUNDLE! }, dataConverter: allStacksDataConverter() }, histories);
  expect(outcomes.filter((o) => o.error)).toEqual([]);
  expect(outcomes).toHaveLength(histories.length);

  if (process.env.PAPRIKA_RECORD_FIXTURES === '1') {
    const dir = path.resolve(__dirname, '../fixtures/histories');
    const byKind = new Map<string, (typeof histories)[number]>();
    for (const h of histories) {
      const kind = `${h.history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name}`;
      const continued = h.history.events?.some((e) => e.workflowExecutionContinuedAsNewEventAttributes) ? '-continued' : '';
      const key = `${kind}${continued}`;
      const best = byKind.get(key);
      if (!best || (h.history.events?.length ?? 0) > (best.history.events?.length ?? 0)) byKind.set(key, h);
    }
    // The same JSON as `temporal workflow show --output json`, so fixtures can come from either.
    for (const [key, h] of byKind) fs.writeFileSync(path.join(dir, `${key}.json`), historyToJSON(h.history));
  }
  // Every scenario runs on both store engines, so there are twice the histories; replaying them all
  // takes minutes on a small machine.
}, 600_000);
