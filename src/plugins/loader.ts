// Loads the plugins of PAPRIKA_PLUGINS_DIR in file-name order. Every file (.ts, .mjs, .js) is
// compiled to CommonJS by esbuild and evaluated with a require that resolves `paprika/plugin`
// to this package's contract: a plugin in the data directory lives outside this package, where
// Node cannot resolve `paprika` by name. Other imports resolve from the plugin's folder first,
// then from Paprika's own dependencies. A file that fails is an error naming it, never a throw.
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { msToNumber } from '@temporalio/common/lib/time';
import { transform } from 'esbuild';
import * as contract from './define';
import { type Plugin, validatePlugin } from './define';

export const PLUGIN_EXTENSIONS = ['.ts', '.mts', '.mjs', '.js', '.cjs'];

export interface LoadedPlugin {
  plugin: Plugin;
  file: string;
}

export interface PluginLoadError {
  file: string;
  error: string;
}

export interface LoadedPlugins {
  dir: string;
  plugins: LoadedPlugin[];
  errors: PluginLoadError[];
}

/** Shortest feed interval: a Schedule firing more often than this is a mistake, not a feed. */
const MIN_FEED_MS = 1000;

function requireFor(file: string): NodeJS.Require {
  const own = Module.createRequire(file);
  const fallback = (id: string) => require(id);
  const req = ((id: string) => {
    if (id === 'paprika/plugin' || id === 'paprika/plugin.ts') return contract;
    try {
      return own(id);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || id.startsWith('.') || path.isAbsolute(id)) throw err;
      return fallback(id);
    }
  }) as NodeJS.Require;
  return Object.assign(req, { resolve: own.resolve, cache: own.cache, main: own.main, extensions: own.extensions });
}

async function evaluate(file: string): Promise<unknown> {
  const source = await fs.promises.readFile(file, 'utf8');
  const ext = path.extname(file);
  const { code } = await transform(source, {
    loader: ext === '.ts' || ext === '.mts' ? 'ts' : 'js',
    format: 'cjs',
    target: 'node20',
    sourcefile: file,
    sourcemap: 'inline',
  });
  const mod = { exports: {} as Record<string, unknown> };
  const run = new Function('exports', 'require', 'module', '__filename', '__dirname', code);
  run(mod.exports, requireFor(file), mod, file, path.dirname(file));
  const exp = mod.exports as { default?: unknown; __esModule?: boolean };
  // ESM `export default` arrives as exports.default; CommonJS `module.exports = {...}` as itself.
  return exp.__esModule || 'default' in exp ? exp.default : mod.exports;
}

/** esbuild's syntax errors carry their line; anything else thrown while evaluating, its message. */
function describeLoadError(err: unknown): string {
  const first = (err as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
  if (first) return `${first.text}${first.location ? ` (line ${first.location.line}, column ${first.location.column + 1})` : ''}`;
  return ((err as Error)?.message ?? String(err)).split('\n')[0]!;
}

function checkFeeds(file: string, plugin: Plugin): string | undefined {
  for (const feed of plugin.feeds ?? []) {
    let ms: number;
    try {
      ms = msToNumber(feed.every as Parameters<typeof msToNumber>[0]);
    } catch {
      return `${file}: feeds.${feed.name}.every: "${feed.every}" is not a duration`;
    }
    if (!(ms >= MIN_FEED_MS)) return `${file}: feeds.${feed.name}.every: at least 1 second`;
  }
  return undefined;
}

export async function loadPluginsFrom(dir: string): Promise<LoadedPlugins> {
  const out: LoadedPlugins = { dir, plugins: [], errors: [] };
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    out.errors.push({ file: dir, error: `${dir}: cannot read the plugins folder (${(err as Error).message})` });
    return out;
  }
  const files = names
    .filter((n) => PLUGIN_EXTENSIONS.includes(path.extname(n)) && !n.endsWith('.d.ts') && !n.startsWith('.'))
    .sort()
    .map((n) => path.join(dir, n));
  const seen = new Map<string, string>();
  for (const file of files) {
    let value: unknown;
    try {
      value = await evaluate(file);
    } catch (err) {
      out.errors.push({ file, error: `${file}: failed to load: ${describeLoadError(err)}` });
      continue;
    }
    const checked = validatePlugin(file, value);
    const problem = checked.ok ? checkFeeds(file, checked.plugin) : checked.error;
    if (problem || !checked.ok) {
      out.errors.push({ file, error: problem! });
      continue;
    }
    const other = seen.get(checked.plugin.name);
    if (other) {
      out.errors.push({ file, error: `${file}: a plugin named "${checked.plugin.name}" is already loaded from ${other}` });
      continue;
    }
    seen.set(checked.plugin.name, file);
    out.plugins.push({ plugin: checked.plugin, file });
  }
  return out;
}
