// `npm run replay -- <workflowId> [runId]`: fetches a live run's history from the server and
// replays it against the current workflow code. Without arguments, replays every workflow.
import { bundlerOptions, WORKFLOWS_PATH } from '../src/temporal/workflow-bundle';
import { config as loadedConfig } from '../src/config';
import { connectClient, dataConverter } from '../src/temporal/connection';
import { fetchHistories, replayAll } from '../src/temporal/replay';

async function main(): Promise<void> {
  const [workflowId, runId] = process.argv.slice(2);
  const config = loadedConfig();
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
  const client = await connectClient(config, address);
  const histories = workflowId
    ? [{ workflowId, runId: runId ?? '', history: await client.workflow.getHandle(workflowId, runId).fetchHistory() }]
    : await fetchHistories(client);
  // The histories are encrypted: replay decodes them with this data directory's key ring.
  const outcomes = await replayAll(
    {
      ...(config.temporal.workflowBundlePath
        ? { workflowBundle: { codePath: config.temporal.workflowBundlePath } }
        : { workflowsPath: WORKFLOWS_PATH, bundlerOptions }),
      dataConverter: dataConverter(config),
    },
    histories,
  );
  for (const o of outcomes) console.log(`${o.error ? 'FAIL' : 'ok  '} ${o.workflowId}${o.error ? `: ${o.error}` : ''}`);
  await client.connection.close();
  const failed = outcomes.filter((o) => o.error).length;
  console.log(`${outcomes.length - failed} replayed, ${failed} nondeterministic`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
