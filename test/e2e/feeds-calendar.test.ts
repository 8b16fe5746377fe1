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
  await eventually(async () => (await f.stack.store.context.get(f.stack.userId, mailItemId('kickoff-agenda@mail.example.com')))?.distillation, 20_000, 'the mail to be filed');

  const start = new Date(Date.now() + 30 * 60_000 + 6_000);
  f.composio.state.calendar.push({ id: 'ev-kickoff', summary: 'Q4 kickoff', start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), attendees: ['dana@acme.example', 'sam@acme.example'], timeZone: 'UTC' });
  const ensured = await ensureSchedules(f.stack.client, f.stack.config, await f.stack.store.settings.get(f.stack.userId), f.stack.userId);
  expect(ensured.calendar).toBe(calendarScheduleId(f.stack.userId));
  await f.stack.client.schedule.getHandle(calendarScheduleId(f.stack.userId)).trigger();

  const prep = await eventually(
    async () => ((await f.stack.api('/api/notifications')).body.notifications as { id: string; title: string; source: string }[]).find((n) => n.source === 'calendar'),
    40_000,
    'the meeting-prep notification',
  );
  expect(prep.title).toBe('In 30 minutes: Q4 kickoff');
  const body = (await f.stack.store.notifications.get(prep.id))!.body;
  expect(body).toContain('Agenda for the Q4 kickoff');
  expect(body).toContain('dana@acme.example');
  expect(f.composio.executed.map((e) => e.slug)).toContain('GOOGLECALENDAR_EVENTS_LIST');

  // A second poll schedules nothing new.
  const again = await f.stack.client.workflow.execute('calendarPollWorkflow', { workflowId: `calendar-poll-again:${f.stack.userId}`, taskQueue: f.stack.config.temporal.taskQueue, args: [{ userId: f.stack.userId, pollMinutes: 10 }] });
  expect(again).toMatchObject({ scheduled: 0 });
}, 90_000);

const calendarNotes = async (title: string) =>
  ((await f.stack.api('/api/notifications')).body.notifications as { id: string; title: string; source: string }[]).filter((n) => n.source === 'calendar' && n.title.endsWith(title));
const poll = (key: string, pollMinutes: number) =>
  f.stack.client.workflow.execute('calendarPollWorkflow', { workflowId: `calendar-poll-${key}:${f.stack.userId}`, taskQueue: f.stack.config.temporal.taskQueue, args: [{ userId: f.stack.userId, pollMinutes }] });

test('the morning briefing lists a meeting 20 hours ahead, at the user’s local time', async () => {
  await f.stack.api('/api/settings', { method: 'PUT', body: { timezone: 'Europe/Paris' } });
  const start = new Date(Date.now() + 20 * 3_600_000);
  f.composio.state.calendar.push({ id: 'ev-board', summary: 'Board review', start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), attendees: [], timeZone: 'UTC' });
  const workflowId = `briefing:${f.stack.userId}:listing-test`;
  await f.stack.client.workflow.execute('briefingWorkflow', { workflowId, taskQueue: f.stack.config.temporal.taskQueue, args: [{ userId: f.stack.userId }] });
  const note = (await f.stack.store.notifications.get(`briefing:${workflowId}`))!;
  const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(start);
  expect(note.body).toContain('Meetings in the next 24 hours:');
  expect(note.body).toMatch(new RegExp(`\\n- [^\\n]*${paris}: Board review`));
}, 60_000);

test('a moved meeting cancels its old prep: one note, said truthfully and in the user’s zone', async () => {
  await f.stack.api('/api/settings', { method: 'PUT', body: { timezone: 'Europe/Paris' } });
  const first = new Date(Date.now() + 2 * 3_600_000);
  const event = { id: 'ev-moved', summary: 'Vendor sync', start: first.toISOString(), end: new Date(first.getTime() + 1_800_000).toISOString(), attendees: [], timeZone: 'UTC' };
  f.composio.state.calendar.push(event);
  expect(await poll('before-move', 60)).toMatchObject({ scheduled: 1 });

  // Moved to start in 31 minutes: its prep is due in about a minute; the old one would have come 90 minutes later.
  const moved = new Date(Date.now() + 31 * 60_000);
  event.start = moved.toISOString();
  event.end = new Date(moved.getTime() + 1_800_000).toISOString();
  expect(await poll('after-move', 60)).toMatchObject({ scheduled: 1 });

  const oldPrep = f.stack.client.workflow.getHandle(`meeting-prep:${f.stack.userId}:calendar:ev-moved:${first.getTime()}`);
  await eventually(async () => (await oldPrep.describe()).status.name === 'CANCELLED', 20_000, 'the old prep to be cancelled');
  const [note] = await eventually(async () => {
    const notes = await calendarNotes('Vendor sync');
    return notes.length ? notes : undefined;
  }, 90_000, 'the prep note of the moved meeting');
  expect(note!.title).toMatch(/^In (30|31) minutes: Vendor sync$/);
  const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(moved);
  expect((await f.stack.store.notifications.get(note!.id))!.body).toContain(`${paris} (Europe/Paris)`);
  expect(await calendarNotes('Vendor sync')).toHaveLength(1);
}, 150_000);
