// Temporal for `npm start`: the embedded dev server unless TEMPORAL_ADDRESS names one.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../config';
import { findTemporalCli, TemporalCliNotFound } from './cli';
import { type DevServer, startDevServer, waitForTemporal } from './dev-server';

export interface TemporalEndpoint {
  address: string;
  embedded?: DevServer;
}

function cliOrInstall(config: Config): string {
  try {
    return findTemporalCli(config.temporal.cliPath);
  } catch (err) {
    if (!(err instanceof TemporalCliNotFound) || config.temporal.cliPath) throw err;
    console.log('Temporal CLI not found; installing it into .tools/ (npm run setup:temporal)…');
    execFileSync('bash', [path.resolve(__dirname, '../../scripts/install-temporal.sh')], { stdio: 'inherit' });
    return findTemporalCli();
  }
}

export async function ensureTemporal(config: Config): Promise<TemporalEndpoint> {
  if (config.temporal.address) {
    await waitForTemporal(config.temporal.address, config.temporal.namespace, 30_000);
    return { address: config.temporal.address };
  }
  const embedded = await startDevServer({
    cliPath: cliOrInstall(config),
    dbFile: path.join(config.dataDir, 'temporal.db'),
    port: config.temporal.devServerPort,
    uiPort: config.temporal.devServerUiPort,
    namespace: config.temporal.namespace,
    logFile: path.join(config.dataDir, 'temporal.log'),
    codecEndpoint: `${config.publicUrl}/api/codec`,
    retentionDays: config.security.retentionDays,
  });
  return { address: embedded.address, embedded };
}
