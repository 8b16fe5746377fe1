// The calendar feed. A Schedule polls upcoming events; each meeting gets a prep workflow
// (`meeting-prep:<item>`, one per event and start time) that sleeps until 30 minutes before it
// and then sends the user and the assistant the related mail. When a meeting moves, the listing
// activity cancels the prep of its old start (src/activities/feeds/calendar.ts), so this file's
// commands, and the recorded histories, stay as they were.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, sleep, startChild } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { scheduledJob } from './activity-options';
import { searchAttributes } from '../shared/search-attributes';
import { meetingPrepWorkflowId } from '../shared/ids';

export const PREP_MINUTES_BEFORE = 30;

const { listUpcomingEvents, prepareMeeting, announce } = proxyActivities<Activities>(scheduledJob);

export interface CalendarPollInput {
  userId: string;
  /** How often the poll runs; events whose prep time falls before the next poll are scheduled now. */
  pollMinutes: number;
}


export async function calendarPollWorkflow(input: CalendarPollInput): Promise<{ events: number; scheduled: number }> {
  const events = await listUpcomingEvents({ userId: input.userId, withinMinutes: PREP_MINUTES_BEFORE + 2 * input.pollMinutes });
  let scheduled = 0;
  for (const e of events) {
    try {
      await startChild(meetingPrepWorkflow, {
        workflowId: meetingPrepWorkflowId(input.userId, e.itemId),
        args: [{ userId: input.userId, itemId: e.itemId, start: e.start }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `Meeting prep: ${e.title}`,
        typedSearchAttributes: searchAttributes(input.userId, 'feed'),
      });
      scheduled++;
    } catch (err) {
      // An earlier poll already scheduled this meeting's prep.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return { events: events.length, scheduled };
}

export async function meetingPrepWorkflow(input: { userId: string; itemId: string; start: string }): Promise<{ sent: boolean }> {
  const prepAt = Date.parse(input.start) - PREP_MINUTES_BEFORE * 60_000;
  if (prepAt > Date.now()) await sleep(prepAt - Date.now());
  if (Date.now() >= Date.parse(input.start)) return { sent: false }; // too late to prepare
  const a = await prepareMeeting({ userId: input.userId, itemId: input.itemId });
  if (!a) return { sent: false };
  await announce(a);
  return { sent: true };
}
