// The worker: registers workflows and activities on the task queue. `npm start` runs it
// in-process; `npm run worker` runs it alone (scale-out, docker-compose).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type Config, config as loadedConfig } from './config';
import { createActivities } from './activities';
import { createToolbox } from './activities/tools';
import { openStoreFor, type Store } from './store';
import { addressOf, connectClient, dataConverter, ensureSearchAttributes, tlsConfig } from './temporal/connection';
import { installRuntime } from './temporal/runtime';
import { bundlerOptions, WORKFLOWS_PATH } from './temporal/workflow-bundle';
import { loadPlugins } from './plugins';

export interface WorkerDeps {
  config: Config;
  store: Store;
  connection: NativeConnection;
  /** A prebuilt bundle (tests build one and share it); otherwise workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Extra worker interceptors (tracing, or a test holding an activity at a chosen point). */
  interceptors?: WorkerOptions['interceptors'];
  /** Replaces the encrypting converter (only the benchmark's no-codec baseline does). */
  dataConverter?: WorkerOptions['dataConverter'];
}

export async function createWorker({ config, store, connection, workflowBundle, interceptors, dataConverter: converter }: WorkerDeps): Promise<Worker> {
  // Loaded before polling starts, so a broken plugin file is reported at start, not at first use.
  await loadPlugins(config);
  const toolbox = createToolbox(config, store);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle
      ? { workflowBundle }
      : config.temporal.workflowBundlePath
        ? { workflowBundle: { codePath: config.temporal.workflowBundlePath } }
        : { workflowsPath: WORKFLOWS_PATH, bundlerOptions }),
    activities: createActivities(config, store, toolbox),
    dataConverter: converter ?? dataConverter(config),
    shutdownGraceTime: '5 seconds',
    // One knob for both: on a small machine the two compete for the same cores.
    maxConcurrentActivityTaskExecutions: config.worker.concurrency,
    maxConcurrentWorkflowTaskExecutions: config.worker.concurrency,
    // The SDK sizes the cache from the heap limit (1,000+ workflows here, ~1.8 GB with idle
    // assistants); an evicted assistant is replayed from its history on its next event.
    maxCachedWorkflows: config.temporal.workflowCacheSize,
    ...(interceptors ? { interceptors } : {}),
  });
  // The toolbox holds MCP server processes and connections: close them however the worker stops.
  const run = worker.run.bind(worker);
  return Object.assign(worker, { run: () => run().finally(() => toolbox.close()) });
}

/** The worker's connection, with the same mTLS settings as the client's. */
export async function connectWorker(config: Config, address?: string): Promise<NativeConnection> {
  const tls = tlsConfig(config);
  return NativeConnection.connect({ address: addressOf(config, address), ...(tls ? { tls } : {}) });
}

async function main(): Promise<void> {
  const config = loadedConfig();
  installRuntime(config.logLevel === 'info' ? 'warn' : config.logLevel);
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required to run the worker alone (npm start embeds Temporal).');
  const client = await connectClient(config);
  await ensureSearchAttributes(client);
  await client.connection.close();
  const connection = await connectWorker(config);
  const store = await openStoreFor(config);
  const worker = await createWorker({ config, store, connection });
  for (const e of (await loadPlugins(config)).errors) console.error(`Plugin not loaded: ${e.error}`);
  // docker-compose's health check looks for this file: the process is up and about to poll.
  fs.writeFileSync(path.join(os.tmpdir(), 'paprika-worker-polling'), `${process.pid}\n`);
  console.log(`worker polling ${config.temporal.taskQueue} on ${config.temporal.address} (model: ${config.model.kind})`);
  await worker.run();
  await store.close();
  await connection.close();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
