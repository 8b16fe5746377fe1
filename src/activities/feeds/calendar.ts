// The Google Calendar feed through Composio: `listUpcomingEvents` stores upcoming events in the
// context store and returns a compact list; `prepareMeeting` gathers related mail for one of them.
import { Context } from '@temporalio/activity';
import type { Config } from '../../config';
import type { Store } from '../../store';
import { calendarItemId, meetingPrepWorkflowId } from '../../shared/ids';
import { executeComposioTool } from '../../integrations/composio/tools';
import { type Announcement, feedEventId } from './announce';
import { localTime } from '../../shared/time-zone';

export interface UpcomingEvent {
  /** Context store ID: the event at this start time (a moved meeting is a new item). */
  itemId: string;
  title: string;
  start: string;
}

const STOP = new Set(['the', 'and', 'for', 'with', 'from', 'meeting', 'call', 'invitation', 'updated', 'our', 'about', 'your']);

interface CalendarItem {
  id?: string;
  summary?: string;
  description?: string;
  location?: string;
  status?: string;
  start?: { dateTime?: string; date?: string };
  end?: { dateTime?: string; date?: string };
  attendees?: { email?: string }[];
}

/** The prep note's title, true to the minute it is sent at. */
export function prepTitle(title: string, startMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.round((startMs - nowMs) / 60_000));
  return `${minutes === 0 ? 'Now' : `In ${minutes} minute${minutes === 1 ? '' : 's'}`}: ${title}`.slice(0, 300);
}

/** Stored occurrences of the same event at another start: what a moved meeting leaves behind. */
async function earlierStarts(store: Store, userId: string, eventId: string, itemId: string, now: number): Promise<string[]> {
  return (await store.context
    .recent(userId, { kind: 'event', limit: 500 }))
    .filter((i) => i.id !== itemId && (i.data as { eventId?: string } | undefined)?.eventId === eventId && Date.parse(i.occurredAt) > now)
    .map((i) => i.id);
}

export function makeCalendar(config: Config, store: Store) {
  /** A moved meeting's old prep is cancelled here, so the poll workflow's commands stay as recorded. */
  async function cancelOldPreps(userId: string, itemIds: string[]): Promise<void> {
    for (const old of itemIds) {
      try {
        await Context.current().client.workflow.getHandle(meetingPrepWorkflowId(userId, old)).cancel();
      } catch (err) {
        // Never scheduled (it was too far ahead), or already over: nothing to cancel.
        Context.current().log.info('no prep to cancel for a moved meeting', { itemId: old, error: (err as Error).message });
      }
    }
  }

  async function listUpcomingEvents(input: { userId: string; withinMinutes: number }): Promise<UpcomingEvent[]> {
    if (!config.composio.apiKey || !config.composio.toolkitVersions.googlecalendar) return [];
    const now = Date.now();
    const res = await executeComposioTool(config, {
      userId: input.userId,
      slug: 'GOOGLECALENDAR_EVENTS_LIST',
      arguments: { calendarId: 'primary', timeMin: new Date(now).toISOString(), timeMax: new Date(now + input.withinMinutes * 60_000).toISOString(), maxResults: 50 },
    });
    if (!res.successful) {
      // Not connected or not allowed: nothing to prepare; the settings page shows the source as unhealthy.
      Context.current().log.warn('calendar not readable', { error: res.error });
      return [];
    }
    const items = Array.isArray(res.data.items) ? (res.data.items as CalendarItem[]) : [];
    const out: UpcomingEvent[] = [];
    for (const e of items.slice(0, 50)) {
      const start = e.start?.dateTime; // all-day events need no preparation half an hour before
      if (!e.id || !start || e.status === 'cancelled' || Number.isNaN(Date.parse(start))) continue;
      const startIso = new Date(start).toISOString();
      const itemId = calendarItemId(e.id, Date.parse(start));
      const moved = await earlierStarts(store, input.userId, e.id, itemId, now);
      if (moved.length) await cancelOldPreps(input.userId, moved);
      const attendees = (e.attendees ?? []).map((a) => a.email).filter((a): a is string => typeof a === 'string');
      await store.context.put(input.userId, {
        id: itemId,
        source: 'calendar',
        kind: 'event',
        title: e.summary ?? '(no title)',
        body: [e.description, e.location && `Location: ${e.location}`, attendees.length && `Attendees: ${attendees.join(', ')}`].filter(Boolean).join('\n'),
        data: { eventId: e.id, start: startIso, end: e.end?.dateTime, attendees, location: e.location },
        occurredAt: startIso,
      });
      out.push({ itemId, title: (e.summary ?? '(no title)').slice(0, 200), start: startIso });
    }
    return out;
  }

  async function prepareMeeting(input: { userId: string; itemId: string }): Promise<Announcement | undefined> {
    const item = await store.context.get(input.userId, input.itemId);
    if (!item) return undefined;
    const data = (item.data ?? {}) as { eventId?: string; attendees?: string[]; start?: string; location?: string };
    // A prep that outlived its cancel (the move was seen while it was announcing) still stays quiet
    // when the same event was stored since at another time.
    const newer = (await store.context
      .recent(input.userId, { kind: 'event', limit: 500 }))
      .some((i) => i.id !== item.id && (i.data as { eventId?: string } | undefined)?.eventId === data.eventId && i.createdAt > item.createdAt);
    if (data.eventId && newer) return undefined;
    const timeZone = (await store.settings.get(input.userId)).timezone;
    const words = item.title.split(/\s+/).filter((w) => w.replace(/\W/g, '').length >= 3 && !STOP.has(w.toLowerCase())).join(' ');
    const related = new Map<string, string>();
    const add = (i: { id: string; title: string; sender: string; occurredAt: string }) => {
      if (!related.has(i.id) && related.size < 6) related.set(i.id, `${i.title || '(no subject)'} — ${i.sender} (${i.occurredAt.slice(0, 10)})`);
    };
    if (words) for (const hit of await store.context.search(input.userId, words, { match: 'any', kind: 'email', limit: 5 })) add(hit);
    for (const a of (data.attendees ?? []).slice(0, 10)) for (const i of await store.context.bySender(input.userId, a, 2)) if (i.kind === 'email') add(i);

    const when = data.start ?? item.occurredAt;
    const body = [
      `Starts ${localTime(when, timeZone)} (${timeZone})${data.location ? `, ${data.location}` : ''}.`,
      data.attendees?.length ? `Attendees: ${data.attendees.join(', ')}` : undefined,
      related.size ? `Related mail:\n${[...related.values()].map((r) => `- ${r}`).join('\n')}` : 'No related mail found.',
    ]
      .filter(Boolean)
      .join('\n');
    const title = prepTitle(item.title, Date.parse(when), Date.now());
    return {
      userId: input.userId,
      notificationId: meetingPrepWorkflowId(input.userId, item.id),
      notification: { title, body: body.slice(0, 5000), priority: 'high', source: 'calendar', ref: item.id },
      event: { id: feedEventId(item.id), kind: 'feed', priority: 'high', source: 'calendar', ref: item.id, text: `${title}\n${body}`.slice(0, 4000), at: new Date().toISOString() },
    };
  }

  return { listUpcomingEvents, prepareMeeting };
}
