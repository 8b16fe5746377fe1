// `gatherBriefing`: the morning briefing, from the store alone: important mail still unread,
// deadlines in the coming week, today's meetings and the tasks still running.
import { log } from '@temporalio/activity';
import { localTime } from '../../shared/time-zone';
import type { Store } from '../../store';
import type { Announcement } from './announce';

export interface BriefingInput {
  userId: string;
  /** Unique per briefing run (the scheduled workflow's ID), so retries notify once. */
  runKey: string;
}

const DAY = 24 * 3_600_000;
const MAX_LINES = 8;
const EMAIL_SOURCES = new Set(['gmail', 'imap', 'mbox', 'maildir', 'eml']);

function section(title: string, lines: string[]): string[] {
  if (!lines.length) return [];
  const shown = lines.slice(0, MAX_LINES);
  return [`${title}:`, ...shown.map((l) => `- ${l}`), ...(lines.length > shown.length ? [`- …and ${lines.length - shown.length} more`] : []), ''];
}

/**
 * `refreshCalendar` stores the next 24 hours of meetings in the context store first (the calendar
 * poll only looks as far as the next prep), so the briefing lists the whole day.
 */
export function makeBriefing(store: Store, refreshCalendar: (userId: string, withinMinutes: number) => Promise<unknown> = async () => undefined) {
  return async function gatherBriefing(input: BriefingInput): Promise<Announcement> {
    const { userId } = input;
    const settings = await store.settings.get(userId);
    // The calendar is a nice-to-have here: without a connected account (or with Composio down) the
    // briefing still goes out, with the meetings already stored.
    const calendarProblem = await refreshCalendar(userId, DAY / 60_000).then(
      () => undefined,
      (err: Error) => err.message,
    );
    if (calendarProblem) log.warn('briefing without a fresh calendar', { error: calendarProblem.slice(0, 300) });
    const now = Date.now();

    const important = (await store.notifications
      .list(userId, { unreadOnly: true, limit: 200 }))
      .filter((n) => (n.priority === 'urgent' || n.priority === 'high') && EMAIL_SOURCES.has(n.source ?? ''))
      .map((n) => `[${n.priority}] ${n.title}`);

    const deadlines = (await store.context
      .recent(userId, { limit: 200 }))
      .filter((i) => i.distillation?.deadline && Date.parse(i.distillation.deadline) >= now && Date.parse(i.distillation.deadline) <= now + 7 * DAY)
      .sort((a, b) => Date.parse(a.distillation!.deadline!) - Date.parse(b.distillation!.deadline!))
      .map((i) => `${localTime(i.distillation!.deadline!, settings.timezone)}: ${i.title || '(no subject)'}`);

    const meetings = (await store.context
      .recent(userId, { kind: 'event', limit: 100 }))
      .filter((e) => Date.parse(e.occurredAt) >= now && Date.parse(e.occurredAt) <= now + DAY)
      .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt))
      .map((e) => `${localTime(e.occurredAt, settings.timezone)}: ${e.title}`);

    const tasks = (await store.tasks.list(userId, { status: 'running' })).map((t) => `${t.title} (since ${localTime(t.startedAt, settings.timezone)})`);

    const body = [
      ...section('Important mail not yet read', important),
      ...section('Deadlines this week', deadlines),
      ...section('Meetings in the next 24 hours', meetings),
      ...section('Tasks still running', tasks),
    ];
    const open = important.length + deadlines.length + meetings.length + tasks.length;
    const text = open ? body.join('\n').trim() : 'Nothing is open: no unread important mail, no deadlines this week, no meetings soon and no running tasks.';
    const title = open ? `Morning briefing: ${open} open item${open === 1 ? '' : 's'}` : 'Morning briefing: nothing open';
    return {
      userId,
      notificationId: `briefing:${input.runKey}`,
      notification: { title, body: text.slice(0, 5000), priority: 'normal', source: 'briefing' },
      // `feed:` marks it as already notified, so neither the model nor the offline rules repeat it.
      event: { id: `feed:briefing:${input.runKey}`.slice(0, 200), kind: 'feed', priority: 'normal', source: 'briefing', text: `${title}\n${text}`.slice(0, 4000), at: new Date(now).toISOString() },
    };
  };
}
