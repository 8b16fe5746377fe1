// The SDK's process-wide runtime: its logger at our log level, so a worker is quiet by default.
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';

let installed = false;
export function installRuntime(level: 'debug' | 'info' | 'warn' | 'error'): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger(level.toUpperCase() as LogLevel) });
}
