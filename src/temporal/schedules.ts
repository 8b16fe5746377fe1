// Temporal Schedules of the feeds, created or updated idempotently (at start-up and whenever the
// settings change): the morning briefing at the user's local time, the weekly profile refresh and,
// when Google Calendar is configured, the calendar poll. They show in the Temporal UI (Schedules).
import { type Client, type ScheduleOptions, ScheduleAlreadyRunning, ScheduleNotFoundError } from '@temporalio/client';
import type { Config } from '../config';
import type { FeedSettings } from '../shared/feed';
import {
  briefingScheduleId,
  briefingWorkflowId,
  calendarPollWorkflowId,
  calendarScheduleId,
  gmailCatchupScheduleId,
  gmailCatchupWorkflowId,
  profileScheduleId,
  profileWorkflowId,
  retentionScheduleId,
  retentionWorkflowId,
} from '../shared/ids';
import { searchAttributes } from '../shared/search-attributes';
import type { Store } from '../store';

/** Weekly profile refresh: Monday early morning, the user's time. */
const PROFILE_REFRESH = { dayOfWeek: 'MONDAY' as const, hour: 6, minute: 0 };

export function calendarConfigured(config: Config): boolean {
  return Boolean(config.composio.apiKey && config.composio.toolkitVersions.googlecalendar && config.composio.authConfigCalendar);
}

/** A schedule that starts one of this user's workflows, tagged so the Temporal UI can filter it. */
function userWorkflowSchedule(
  config: Config,
  userId: string,
  o: { scheduleId: string; spec: ScheduleOptions['spec']; workflowType: string; workflowId: string; args: unknown[]; summary: string },
): ScheduleOptions {
  return {
    scheduleId: o.scheduleId,
    spec: o.spec,
    action: {
      type: 'startWorkflow',
      workflowType: o.workflowType,
      workflowId: o.workflowId,
      taskQueue: config.temporal.taskQueue,
      args: o.args,
      typedSearchAttributes: searchAttributes(userId, 'schedule'),
      staticSummary: o.summary,
    },
  };
}

function briefingSchedule(config: Config, userId: string, settings: FeedSettings): ScheduleOptions {
  const [hour, minute] = settings.briefingTime.split(':').map(Number) as [number, number];
  return userWorkflowSchedule(config, userId, {
    scheduleId: briefingScheduleId(userId),
    spec: { calendars: [{ hour, minute, comment: `morning briefing at ${settings.briefingTime}` }], timezone: settings.timezone },
    workflowType: 'briefingWorkflow',
    workflowId: briefingWorkflowId(userId),
    args: [{ userId }],
    summary: `Morning briefing of ${userId}`,
  });
}

function profileSchedule(config: Config, userId: string, settings: FeedSettings): ScheduleOptions {
  return userWorkflowSchedule(config, userId, {
    scheduleId: profileScheduleId(userId),
    spec: { calendars: [{ ...PROFILE_REFRESH, comment: 'weekly profile refresh' }], timezone: settings.timezone },
    workflowType: 'profileWorkflow',
    workflowId: profileWorkflowId(userId),
    args: [{ userId }],
    summary: `Profile refresh of ${userId}`,
  });
}

function calendarSchedule(config: Config, userId: string): ScheduleOptions {
  return userWorkflowSchedule(config, userId, {
    scheduleId: calendarScheduleId(userId),
    spec: { intervals: [{ every: `${config.feeds.calendarPollMinutes} minutes` }] },
    workflowType: 'calendarPollWorkflow',
    workflowId: calendarPollWorkflowId(userId),
    args: [{ userId, pollMinutes: config.feeds.calendarPollMinutes }],
    summary: `Calendar poll of ${userId}`,
  });
}

function gmailCatchupSchedule(config: Config, userId: string): ScheduleOptions {
  return {
    ...userWorkflowSchedule(config, userId, {
      scheduleId: gmailCatchupScheduleId(userId),
      spec: { intervals: [{ every: `${config.feeds.gmailCatchupMinutes} minutes` }] },
      workflowType: 'gmailCatchupWorkflow',
      workflowId: gmailCatchupWorkflowId(userId),
      args: [{ userId }],
      summary: `Gmail catch-up of ${userId}`,
    }),
    // A catch-up still running already covers the next one's window.
    policies: { overlap: 'SKIP' },
  };
}

/** Gmail through Composio, and a catch-up period: 0 turns the periodic one off (start-up still catches up). */
export function gmailCatchupScheduled(config: Config): boolean {
  return Boolean(config.composio.apiKey && config.feeds.gmailCatchupMinutes > 0);
}

/** The daily prune, at night the user's time, when nothing else is likely to run. */
function retentionSchedule(config: Config, userId: string, settings: FeedSettings): ScheduleOptions {
  return userWorkflowSchedule(config, userId, {
    scheduleId: retentionScheduleId(userId),
    spec: { calendars: [{ hour: 3, minute: 30, comment: `prune what is older than ${config.security.retentionDays} days` }], timezone: settings.timezone },
    workflowType: 'retentionWorkflow',
    workflowId: retentionWorkflowId(userId),
    args: [{ userId }],
    summary: `Retention (${config.security.retentionDays} days) of ${userId}`,
  });
}

/** Creates the schedule, or brings an existing one's spec and action up to date (never a second one). */
async function upsert(client: Client, options: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec: options.spec, action: options.action, ...(options.policies ? { policies: options.policies } : {}) }));
    return 'updated';
  }
}

export interface EnsuredSchedules {
  briefing: string;
  profile: string;
  calendar?: string;
  gmailCatchup?: string;
  retention: string;
}

export async function ensureSchedules(client: Client, config: Config, settings: FeedSettings, userId = config.userId): Promise<EnsuredSchedules> {
  await upsert(client, briefingSchedule(config, userId, settings));
  await upsert(client, profileSchedule(config, userId, settings));
  await upsert(client, retentionSchedule(config, userId, settings));
  const out: EnsuredSchedules = { briefing: briefingScheduleId(userId), profile: profileScheduleId(userId), retention: retentionScheduleId(userId) };
  if (calendarConfigured(config)) {
    await upsert(client, calendarSchedule(config, userId));
    out.calendar = calendarScheduleId(userId);
  }
  if (gmailCatchupScheduled(config)) {
    await upsert(client, gmailCatchupSchedule(config, userId));
    out.gmailCatchup = gmailCatchupScheduleId(userId);
  } else await deleteSchedule(client, gmailCatchupScheduleId(userId));
  return out;
}

/** Removes this user's schedules (tests; a user who leaves). */
export async function deleteSchedules(client: Client, userId: string): Promise<void> {
  for (const id of [briefingScheduleId(userId), profileScheduleId(userId), calendarScheduleId(userId), retentionScheduleId(userId), gmailCatchupScheduleId(userId)]) {
    await deleteSchedule(client, id);
  }
}

async function deleteSchedule(client: Client, id: string): Promise<void> {
  try {
    await client.schedule.getHandle(id).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}
