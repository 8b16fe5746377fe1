// Google Calendar through Composio: the poll Schedule finds an upcoming meeting, and 30 minutes
// before it the user and the assistant get a meeting-prep note with the related mail.
import { calendarScheduleId, mailItemId } from '../../src/shared/ids';
import { ensureSchedules } from '../../src/temporal/schedules';
import { type FeedStack, startFeedStack } from '../helpers/feeds';
import { eventually } from '../helpers/stack';

let f: FeedStack;
beforeAll(async () => {
  f = await startFeedStack({ offline: true, linkCalendar: true });
});
afterAll(() => f.stop());

test('a meeting gets a prep note with related mail 30 minutes before it starts', async () => {
  await f.deliver({ id: 'kickoff-agenda', from: 'Dana Whitfield <dana@acme.example>', to: ['sam@acme.example'], subject: 'Agenda for the Q4 kickoff', text: 'Attached is the agenda; please review the budget slide.' });
  await eventually(() => f.stack.store.context.get(f.stack.userId, mailItemId('kickoff-agenda@mail.example.com'))?.distillation, 20_000, 'the mail to be filed');

  const start = new Date(Date.now() + 30 * 60_000 + 6_000);
  f.composio.state.calendar.push({ id: 'ev-kickoff', summary: 'Q4 kickoff', start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), attendees: ['dana@acme.example', 'sam@acme.example'], timeZone: 'UTC' });
  const ensured = await ensureSchedules(f.stack.client, f.stack.config, f.stack.store.settings.get(f.stack.userId), f.stack.userId);
  expect(ensured.calendar).toBe(calendarScheduleId(f.stack.userId));
  await f.stack.client.schedule.getHandle(calendarScheduleId(f.stack.userId)).trigger();

  const prep = await eventually(
    async () => ((await f.stack.api('/api/notifications')).body.notifications as { id: string; title: string; source: string }[]).find((n) => n.source === 'calendar'),
    40_000,
    'the meeting-prep notification',
  );
  expect(prep.title).toBe('In 30 minutes: Q4 kickoff');
  const body = f.stack.store.notifications.get(prep.id)!.body;
  expect(body).toContain('Agenda for the Q4 kickoff');
  expect(body).toContain('dana@acme.example');
  expect(f.composio.executed.map((e) => e.slug)).toContain('GOOGLECALENDAR_EVENTS_LIST');

  // A second poll schedules nothing new.
  const again = await f.stack.client.workflow.execute('calendarPollWorkflow', { workflowId: `calendar-poll-again:${f.stack.userId}`, taskQueue: f.stack.config.temporal.taskQueue, args: [{ userId: f.stack.userId, pollMinutes: 10 }] });
  expect(again).toMatchObject({ scheduled: 0 });
}, 90_000);
