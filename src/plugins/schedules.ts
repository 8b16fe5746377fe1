// A Temporal Schedule per plugin feed (`plugin-feed:<user>:<plugin>:<feed>`), created or updated
// at start; a Schedule whose feed is gone is deleted, so a removed plugin stops polling.
import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config';
import { pluginFeedScheduleId, pluginFeedWorkflowId } from '../shared/ids';
import { searchAttributes } from '../shared/search-attributes';
import type { LoadedPlugins } from './loader';

function feedSchedule(config: Config, userId: string, plugin: string, feed: { name: string; every: string }): ScheduleOptions {
  return {
    scheduleId: pluginFeedScheduleId(userId, plugin, feed.name),
    spec: { intervals: [{ every: feed.every as `${number} minutes` }] },
    // A poll still running when the next is due is not doubled: the next one waits its turn.
    policies: { overlap: 'BUFFER_ONE' },
    action: {
      type: 'startWorkflow',
      workflowType: 'pluginFeedWorkflow',
      workflowId: pluginFeedWorkflowId(userId, plugin, feed.name),
      taskQueue: config.temporal.taskQueue,
      args: [{ userId, plugin, feed: feed.name }],
      typedSearchAttributes: searchAttributes(userId, 'schedule'),
      staticSummary: `Plugin feed ${plugin}/${feed.name} of ${userId}, every ${feed.every}`,
    },
  };
}

export async function ensurePluginFeedSchedules(client: Client, config: Config, loaded: LoadedPlugins, userId = config.userId): Promise<string[]> {
  const wanted = new Set<string>();
  for (const { plugin } of loaded.plugins) {
    for (const feed of plugin.feeds ?? []) {
      const options = feedSchedule(config, userId, plugin.name, feed);
      wanted.add(options.scheduleId);
      try {
        await client.schedule.create(options);
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        await client.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: options.policies }));
      }
    }
  }
  await deletePluginFeedSchedules(client, userId, wanted);
  return [...wanted];
}

/** Removes this user's plugin feed Schedules except those kept (all of them: tests, a user who leaves). */
export async function deletePluginFeedSchedules(client: Client, userId: string, keep: ReadonlySet<string> = new Set()): Promise<void> {
  const prefix = pluginFeedScheduleId(userId, '', '').replace(/::$/, ':');
  for await (const s of client.schedule.list()) {
    if (!s.scheduleId.startsWith(prefix) || keep.has(s.scheduleId)) continue;
    try {
      await client.schedule.getHandle(s.scheduleId).delete();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
}
