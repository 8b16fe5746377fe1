// A throwaway PostgreSQL server for tests and benchmarks: Debian's `postgresql` binaries, a fresh
// cluster in a temporary directory, trust auth on loopback, fsync off (the data is thrown away).
// Run as root (CI), the server runs as the `postgres` system user: initdb refuses root.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/temporal/dev-server';

export interface LocalPostgres {
  /** The admin database's URL; `createDatabase` makes fresh ones beside it. */
  url: string;
  dir: string;
  stop(): Promise<void>;
}

function binDir(): string {
  if (process.env.PAPRIKA_PG_BIN) return process.env.PAPRIKA_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (fs.existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  throw new Error('PostgreSQL server binaries not found: install Debian\'s `postgresql` package or set PAPRIKA_PG_BIN to the folder holding initdb');
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** Runs a server binary, as the postgres user when we are root. */
const command = (bin: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]);

export async function startLocalPostgres(): Promise<LocalPostgres> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-pg-'));
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  const [initdb, initArgs] = command(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'paprika', '--no-sync', '-E', 'UTF8', '--locale=C']);
  execFileSync(initdb, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const [postgres, args] = command(path.join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir,
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'max_connections=400',
  ]);
  const log = fs.openSync(path.join(dir, 'postgres.log'), 'a');
  const child: ChildProcess = spawn(postgres, args, { stdio: ['ignore', log, log] });
  const url = `postgres://paprika@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited at start; see ${path.join(dir, 'postgres.log')}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections in 30 s; see ${path.join(dir, 'postgres.log')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    dir,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      // Signal the postmaster itself: runuser does not pass signals on to the server it started.
      const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      try {
        process.kill(pid, 'SIGINT'); // fast shutdown
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
    },
  };
}

let made = 0;
/** A fresh, empty database on the server at `adminUrl`; returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 'paprika'): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${made++}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
