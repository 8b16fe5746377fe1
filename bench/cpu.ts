// CPU seconds a process has used (user + system, from /proc/<pid>/stat), so the bench can say which
// side of a measurement was busy: the Temporal server or the process holding Paprika.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function cpuSeconds(pid: number | string): number {
  // Fields after the command name (which may hold spaces) start at ")"; utime and stime are the 14th and 15th.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** A process's main thread, for cpuDuring (its other threads run workflows, GC helpers, the core). */
export const mainThreadOf = (pid: number) => `${pid}/task/${pid}`;

/** CPU seconds each named process (or `pid/task/tid` thread) used while `f` ran. */
export async function cpuDuring(pids: Record<string, number | string>, f: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  await f();
  return Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, Math.round((cpuSeconds(pid) - before[k]!) * 100) / 100]));
}

/** With BENCH_PROFILE=<dir>, a V8 CPU profile of this process's main thread while `f` ran (for Chrome DevTools). */
export async function profiled<T>(name: string, f: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return f();
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}
