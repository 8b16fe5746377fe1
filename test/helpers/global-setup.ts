// One real Temporal dev server for the whole run, and one workflow bundle every worker shares.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../../src/temporal/cli';
import { freePort, startDevServer } from '../../src/temporal/dev-server';
import { bundleWorkflows } from '../../scripts/bundle-workflows';
import { startLocalPostgres } from './postgres-server';

/** Low enough that the continue-as-new scenario crosses it within seconds. */
export const SUGGEST_CAN_AFTER = 150;

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-test-'));
  const port = await freePort();
  const server = await startDevServer({
    cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port,
    headless: true,
    logFile: path.join(dir, 'temporal.log'),
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_CAN_AFTER },
  });
  // Store tests and the Postgres project run against a real server, one per run.
  const postgres = await startLocalPostgres();
  process.env.PAPRIKA_TEST_POSTGRES = postgres.url;
  (globalThis as { __paprikaPostgres?: typeof postgres }).__paprikaPostgres = postgres;
  const bundle = await bundleWorkflows(path.join(dir, 'workflow-bundle.js'));
  process.env.PAPRIKA_TEST_TEMPORAL = server.address;
  process.env.PAPRIKA_TEST_BUNDLE = bundle;
  process.env.PAPRIKA_TEST_DIR = dir;
  (globalThis as { __paprikaTemporal?: typeof server }).__paprikaTemporal = server;
}
