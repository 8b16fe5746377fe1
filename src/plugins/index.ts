// The plugins of this process, loaded once per folder: the worker (priority, tools, feeds) and
// the API (Schedules, health) each load them at start and share the result afterwards.
import { type LoadedPlugins, loadPluginsFrom } from './loader';

export type { LoadedPlugin, LoadedPlugins, PluginLoadError } from './loader';

const loaded = new Map<string, Promise<LoadedPlugins>>();

export function loadPlugins(config: { plugins: { dir: string } }): Promise<LoadedPlugins> {
  const dir = config.plugins.dir;
  let hit = loaded.get(dir);
  if (!hit) {
    hit = loadPluginsFrom(dir);
    loaded.set(dir, hit);
  }
  return hit;
}

/** Lines for the start-up banner: what loaded, and each file that did not, by name. */
export function pluginBannerLines(p: LoadedPlugins): string[] {
  if (!p.plugins.length && !p.errors.length) return [];
  const lines = [`  Plugins:          ${p.plugins.length ? p.plugins.map((l) => l.plugin.name).join(', ') : 'none loaded'} (from ${p.dir})`];
  for (const e of p.errors) lines.push(`  Plugin error:     ${e.error}`);
  return lines;
}
