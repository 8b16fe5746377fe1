// The fake calendar: the Google Calendar tools (list, free slots, create, update).
import { randomBytes } from 'node:crypto';
import type { FakeCalendarEvent, ToolHandler } from './state';
import { list, now, str } from './state';

function eventView(e: FakeCalendarEvent) {
  return {
    kind: 'calendar#event',
    id: e.id,
    status: 'confirmed',
    htmlLink: `https://calendar.google.com/event?eid=${e.id}`,
    summary: e.summary,
    description: e.description,
    location: e.location,
    start: { dateTime: e.start, timeZone: e.timeZone },
    end: { dateTime: e.end, timeZone: e.timeZone },
    attendees: e.attendees.map((email) => ({ email, responseStatus: 'needsAction' })),
  };
}

function eventTimes(args: Record<string, unknown>, fallback?: FakeCalendarEvent): { start: string; end: string } {
  const startRaw = str(args.start_datetime) ?? fallback?.start;
  if (!startRaw) throw new Error('start_datetime is required');
  const start = new Date(startRaw);
  if (Number.isNaN(start.getTime())) throw new Error(`start_datetime is not a date: ${startRaw}`);
  const endRaw = str(args.end_datetime);
  let end: Date;
  if (endRaw) end = new Date(endRaw);
  else if (args.event_duration_hour !== undefined || args.event_duration_minutes !== undefined) {
    const minutes = Number(args.event_duration_hour ?? 0) * 60 + Number(args.event_duration_minutes ?? 0);
    end = new Date(start.getTime() + minutes * 60_000);
  } else if (fallback) end = new Date(start.getTime() + (Date.parse(fallback.end) - Date.parse(fallback.start)));
  else end = new Date(start.getTime() + 30 * 60_000);
  if (Number.isNaN(end.getTime()) || end <= start) throw new Error('the event must end after it starts');
  return { start: start.toISOString(), end: end.toISOString() };
}

export function addCalendarHandlers(h: Map<string, ToolHandler>): void {
  h.set('GOOGLECALENDAR_EVENTS_LIST', (args, { state }) => {
    const min = str(args.timeMin) ? Date.parse(String(args.timeMin)) : -Infinity;
    const max = str(args.timeMax) ? Date.parse(String(args.timeMax)) : Infinity;
    const q = (str(args.q) ?? '').toLowerCase();
    const items = state.calendar
      .filter((e) => Date.parse(e.end) > min && Date.parse(e.start) < max)
      .filter((e) => !q || `${e.summary} ${e.description ?? ''}`.toLowerCase().includes(q))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
      .slice(0, Number(args.maxResults ?? 250) || 250);
    return { kind: 'calendar#events', items: items.map(eventView) };
  });
  h.set('GOOGLECALENDAR_FIND_FREE_SLOTS', (args, { state }) => {
    const from = Date.parse(str(args.time_min) ?? now());
    const to = Date.parse(str(args.time_max) ?? new Date(from + 24 * 3600_000).toISOString());
    if (Number.isNaN(from) || Number.isNaN(to) || to <= from) throw new Error('time_min must be before time_max');
    const busy = state.calendar
      .map((e) => ({ start: Math.max(from, Date.parse(e.start)), end: Math.min(to, Date.parse(e.end)) }))
      .filter((b) => b.end > b.start)
      .sort((a, b) => a.start - b.start);
    const free: { start: string; end: string }[] = [];
    let cursor = from;
    for (const b of busy) {
      if (b.start > cursor) free.push({ start: new Date(cursor).toISOString(), end: new Date(b.start).toISOString() });
      cursor = Math.max(cursor, b.end);
    }
    if (cursor < to) free.push({ start: new Date(cursor).toISOString(), end: new Date(to).toISOString() });
    const iso = (b: { start: number; end: number }) => ({ start: new Date(b.start).toISOString(), end: new Date(b.end).toISOString() });
    return { timeMin: new Date(from).toISOString(), timeMax: new Date(to).toISOString(), calendars: { primary: { busy: busy.map(iso), free } } };
  });
  h.set('GOOGLECALENDAR_CREATE_EVENT', (args, { state }) => {
    const { start, end } = eventTimes(args);
    const event: FakeCalendarEvent = {
      id: randomBytes(10).toString('hex'),
      summary: str(args.summary) ?? '(no title)',
      description: str(args.description),
      location: str(args.location),
      start,
      end,
      attendees: list(args.attendees),
      timeZone: str(args.timezone) ?? 'UTC',
    };
    state.calendar.push(event);
    return eventView(event);
  });
  h.set('GOOGLECALENDAR_UPDATE_EVENT', (args, { state }) => {
    const event = state.calendar.find((e) => e.id === args.event_id);
    if (!event) throw new Error(`Requested entity was not found: event ${String(args.event_id)}`);
    const hasTime = args.start_datetime !== undefined || args.end_datetime !== undefined || args.event_duration_hour !== undefined || args.event_duration_minutes !== undefined;
    if (hasTime) Object.assign(event, eventTimes(args, event));
    if (str(args.summary)) event.summary = String(args.summary);
    if (args.description !== undefined) event.description = str(args.description);
    if (args.location !== undefined) event.location = str(args.location);
    if (args.attendees !== undefined) event.attendees = list(args.attendees);
    return eventView(event);
  });
}
