// A Paprika worker in its own process (`src/worker.ts`, as `npm run worker` runs it), on a task
// queue of its own, so the memory of idle assistants is read from the worker alone, not from the
// bench process that also holds the API, the clients and the fake model.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface WorkerProcess {
  pid: number;
  /** Resident set size from /proc/<pid>/status (VmRSS), MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

/** The `--max-…` flags of package.json's `worker` script (`node <flags> --import tsx src/worker.ts`). */
export function workerNodeFlags(root: string): string {
  const script = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.worker ?? '';
  return script.split(/\s+/).filter((t) => t.startsWith('--max-')).join(' ');
}

export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const root = path.resolve(__dirname, '..');
  // Node's flags as `npm run worker` gives them (package.json): a bounded heap makes V8 collect the
  // workflow thread's garbage instead of growing towards its default limit of gigabytes.
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? workerNodeFlags(root)).split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(root, 'src/worker.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PAPRIKA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker polling')) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
    child.once('exit', (code) => reject(new Error(`bench: the worker process exited (${code}) before polling:\n${output.slice(-4000)}`)));
  });
  await ready;
  const pid = child.pid!;
  return {
    pid,
    rssMb() {
      const kb = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (!kb) throw new Error(`bench: no VmRSS for the worker process ${pid}`);
      return Number(kb) / 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
