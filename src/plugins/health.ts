// Per-plugin health for GET /api/settings sources: loaded or not (and why), and the last time
// its priority function, a feed poll or a tool failed. The worker records, the API reads.
import type { Store } from '../store';
import { SourceStatusStore } from '../store/source-status';
import { loadPlugins } from '.';

const statusName = (plugin: string) => `plugin:${plugin}`;

export interface PluginSourceHealth {
  name: string;
  connected: boolean;
  healthy: boolean;
  detail: string;
}

/** A plugin was skipped or failed; shown until it next works. */
export async function recordPluginProblem(store: Store, plugin: string, what: string): Promise<void> {
  await new SourceStatusStore(store.sql).set(statusName(plugin), false, what);
}

/** The plugin's part worked again: clear a stale problem (no write when there is none). */
export async function recordPluginOk(store: Store, plugin: string): Promise<void> {
  const s = new SourceStatusStore(store.sql);
  if ((await s.get(statusName(plugin)))?.healthy === false) await s.set(statusName(plugin), true, 'working');
}

export async function pluginSources(config: { plugins: { dir: string } }, store: Store): Promise<PluginSourceHealth[]> {
  const loaded = await loadPlugins(config);
  const status = new SourceStatusStore(store.sql);
  const out: PluginSourceHealth[] = await Promise.all(
    loaded.plugins.map(async ({ plugin, file }) => {
      const parts = [plugin.priority && 'priority', plugin.tools?.length && `${plugin.tools.length} tool(s)`, plugin.feeds?.length && `${plugin.feeds.length} feed(s)`].filter(Boolean);
      const s = await status.get(statusName(plugin.name));
      const problem = s && !s.healthy ? ` Last problem (${s.updatedAt}): ${s.detail}` : '';
      return { name: statusName(plugin.name), connected: true, healthy: !problem, detail: `Loaded from ${file}: ${parts.join(', ') || 'nothing to run'}.${problem}` };
    }),
  );
  for (const e of loaded.errors) out.push({ name: `plugin:${e.file.split(/[\\/]/).pop()}`, connected: false, healthy: false, detail: e.error });
  return out;
}
