// A reminder is a durable timer: it survives worker restarts and fires once.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { signalAssistant } from './notify-assistant';

const { fireReminder } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });

export interface ReminderInput {
  userId: string;
  reminderId: string;
  text: string;
  fireAt: string;
}

export async function reminderWorkflow(input: ReminderInput): Promise<void> {
  const delay = Date.parse(input.fireAt) - Date.now();
  if (delay > 0) await sleep(delay);
  await fireReminder({ userId: input.userId, reminderId: input.reminderId, text: input.text });
  await signalAssistant(input.userId, {
    id: `reminder:${input.reminderId}`,
    kind: 'reminder',
    priority: 'high',
    callId: input.reminderId,
    status: 'completed',
    text: `Reminder due: ${input.text}`,
    at: new Date().toISOString(),
  });
}
