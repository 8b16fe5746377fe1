// The feed's view of plugin priorities: the item as a plugin sees it, the verdict of the loaded
// plugins, and the distillation that verdict makes of the rules' summary.
import type { Distillation, RawEmail } from '../shared/feed';
import type { ContextItem } from '../store/context';
import type { Store } from '../store';
import type { PluginItem } from './define';
import { recordPluginProblem } from './health';
import { loadPlugins } from '.';
import { pluginPriority, type PluginVerdict } from './priority';

export function emailPluginItem(email: RawEmail): PluginItem {
  return {
    source: email.source,
    from: email.from.address.toLowerCase(),
    to: email.to.map((a) => a.address.toLowerCase()),
    subject: email.subject,
    text: email.text,
    headers: { ...email.headers, messageId: email.messageId },
    receivedAt: email.date,
  };
}

export function contextPluginItem(item: ContextItem): PluginItem {
  return { source: item.source, from: item.senderAddress ?? '', to: [], subject: item.title, text: item.body, headers: {}, receivedAt: item.occurredAt };
}

export async function priorityFromPlugins(config: { plugins: { dir: string } }, store: Store, item: PluginItem): Promise<PluginVerdict | undefined> {
  const { plugins } = await loadPlugins(config);
  if (!plugins.some((p) => p.plugin.priority)) return undefined;
  return pluginPriority(plugins, item, (skip) => recordPluginProblem(store, skip.plugin, `priority skipped for an item from ${item.source}: ${skip.reason}`));
}

/** The rules' summary and category with the plugin's priority, saying which plugin set it. */
export function withPluginPriority(rules: Distillation, verdict: PluginVerdict): Distillation {
  return { ...rules, priority: verdict.priority, reason: `plugin ${verdict.plugin} marked it ${verdict.priority}` };
}
