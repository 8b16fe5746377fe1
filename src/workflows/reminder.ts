// A reminder is a durable timer: it survives worker restarts and fires once.
import { CancellationScope, isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { reminderWrite } from './activity-options';
import { reportTaskEnd } from './agent-turn';
import { signalAssistant } from './notify-assistant';
import { type Provenance, reported } from '../shared/provenance';

const { fireReminder, finishTask } = proxyActivities<Activities>(reminderWrite);

export interface ReminderInput {
  userId: string;
  reminderId: string;
  text: string;
  fireAt: string;
  /** Who set it; a reminder set because of a mail fires as untrusted. Absent on older reminders. */
  provenance?: Provenance;
}

export async function reminderWorkflow(input: ReminderInput): Promise<void> {
  const delay = Date.parse(input.fireAt) - Date.now();
  try {
    if (delay > 0) await sleep(delay);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled (by cancel_task, the API or the Temporal UI) while waiting: the assistant's call and
    // the task row stay open until someone says how the reminder ended.
    const title = `Reminder: ${input.text}`;
    await reportTaskEnd(finishTask, {
      userId: input.userId,
      taskId: input.reminderId,
      title,
      status: 'cancelled',
      result: 'Cancelled.',
      text: `${title}: Cancelled.`,
      source: 'reminder',
      ...(input.provenance ? { provenance: input.provenance } : {}),
    });
    return;
  }
  // Once due, a late cancellation is too late to matter and must not stop the reminder half-way
  // (notified, but never reported back).
  await CancellationScope.nonCancellable(async () => {
    await fireReminder({ userId: input.userId, reminderId: input.reminderId, text: input.text });
    await signalAssistant(input.userId, {
      id: `reminder:${input.reminderId}`,
      kind: 'reminder',
      priority: 'high',
      callId: input.reminderId,
      status: 'completed',
      text: `Reminder due: ${input.text}`,
      at: new Date().toISOString(),
      ...(input.provenance ? { provenance: reported(input.provenance) } : {}),
    });
  });
}
