// Starts the real Temporal dev server (`temporal server start-dev`) as a child process, with its
// SQLite file under the data directory so workflows survive a restart.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';

export interface DevServerOptions {
  cliPath: string;
  /** SQLite file; omit for an in-memory server (tests). */
  dbFile?: string;
  port: number;
  uiPort?: number;
  headless?: boolean;
  namespace?: string;
  /** e.g. { 'limit.historyCount.suggestContinueAsNew': 200 } */
  dynamicConfig?: Record<string, string | number | boolean>;
  logFile?: string;
  /** WAL + synchronous=normal: several times faster than the default rollback journal. */
  tunedSqlite?: boolean;
  /** Where the Temporal UI decodes payloads (Paprika's /api/codec); without it the UI shows ciphertext. */
  codecEndpoint?: string;
  /** Closed workflows' histories are deleted after this many days, like Paprika's own store. */
  retentionDays?: number;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function devServerArgs(o: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--log-level', 'warn'];
  if (o.dbFile) args.push('--db-filename', o.dbFile);
  if (o.headless) args.push('--headless');
  else if (o.uiPort) args.push('--ui-port', String(o.uiPort));
  if (o.namespace && o.namespace !== 'default') args.push('--namespace', o.namespace);
  if (o.codecEndpoint && !o.headless) args.push('--ui-codec-endpoint', o.codecEndpoint);
  for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=Keyword`);
  if (o.dbFile && o.tunedSqlite !== false) args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  for (const [k, v] of Object.entries(o.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${k}=${JSON.stringify(v)}`);
  return args;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Waits until the frontend answers gRPC and the namespace exists. */
export async function waitForTemporal(address: string, namespace: string, timeoutMs = 60_000, exited?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const why = exited?.();
    if (why) throw new Error(why);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal at ${address} did not become ready in ${timeoutMs} ms: ${(lastError as Error)?.message}`);
}

/** start-dev has no retention flag; the namespace is updated once it exists. */
export async function setNamespaceRetention(address: string, namespace: string, days: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(`${days} days`) } });
  } finally {
    await connection.close();
  }
}

export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  if (await portInUse(o.port)) {
    throw new Error(`port ${o.port} is already in use: another Temporal server? Set TEMPORAL_ADDRESS=127.0.0.1:${o.port} to use it, or PAPRIKA_TEMPORAL_PORT to pick another port.`);
  }
  if (o.dbFile) fs.mkdirSync(path.dirname(o.dbFile), { recursive: true });
  const out = o.logFile ? fs.openSync(o.logFile, 'a') : 'ignore';
  const child = spawn(o.cliPath, devServerArgs(o), { stdio: ['ignore', out, out], detached: false });
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = `temporal server exited early (code ${code}, signal ${signal})${o.logFile ? `; see ${o.logFile}` : ''}`;
  });
  const address = `127.0.0.1:${o.port}`;
  const namespace = o.namespace ?? 'default';
  try {
    await waitForTemporal(address, namespace, 60_000, () => exit);
    if (o.retentionDays) await setNamespaceRetention(address, namespace, o.retentionDays);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    uiUrl: o.headless ? undefined : `http://127.0.0.1:${o.uiPort ?? o.port + 1000}`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
