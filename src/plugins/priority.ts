// Plugins' priority functions, in file-name order, before the built-in rules: the first
// plugin that answers decides. A plugin that throws, answers nonsense or takes longer than its
// time limit is skipped for that item, and the caller hears why.
import { isPriority, type PluginItem, type Priority } from './define';
import type { LoadedPlugin } from './loader';

export const PRIORITY_TIMEOUT_MS = 1000;

export interface PluginVerdict {
  priority: Priority;
  plugin: string;
}

export interface PluginSkip {
  plugin: string;
  reason: string;
}

function withTimeout<T>(value: T | Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([Promise.resolve(value), late]).finally(() => clearTimeout(timer));
}

export async function pluginPriority(
  plugins: readonly LoadedPlugin[],
  item: PluginItem,
  onSkip: (skip: PluginSkip) => void | Promise<void>,
  timeoutMs = PRIORITY_TIMEOUT_MS,
): Promise<PluginVerdict | undefined> {
  for (const { plugin } of plugins) {
    if (!plugin.priority) continue;
    let answer: unknown;
    try {
      // A copy: one plugin cannot rewrite what the next one or the rules see.
      answer = await withTimeout(Promise.resolve().then(() => plugin.priority!(structuredClone(item))), timeoutMs);
    } catch (err) {
      await onSkip({ plugin: plugin.name, reason: (err as Error)?.message ?? String(err) });
      continue;
    }
    if (answer === undefined || answer === null) continue;
    if (!isPriority(answer)) {
      await onSkip({ plugin: plugin.name, reason: `returned ${JSON.stringify(answer)}, not urgent|high|normal|low|ignore` });
      continue;
    }
    return { priority: answer, plugin: plugin.name };
  }
  return undefined;
}
