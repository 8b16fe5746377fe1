// How a reminder workflow is started, defined once for the two places that start one: the
// assistant workflow (as a child) and an agent's set_reminder tool (from an activity). Both must
// agree on ID, title, arguments and search attributes, or the task list and the UI drift apart.
import { toolWorkflowId } from './ids';
import type { Provenance } from './provenance';
import { searchAttributes } from './search-attributes';

export interface ReminderWhen {
  at?: string;
  inMinutes?: number;
}

/** The instant a reminder fires: the given time, else `inMinutes` after `now`. */
export function reminderFireAt(when: ReminderWhen, now: Date): string {
  return when.at ?? new Date(now.getTime() + (when.inMinutes ?? 0) * 60_000).toISOString();
}

export const reminderTitle = (text: string) => `Reminder: ${text}`;

export interface ReminderStartInput {
  userId: string;
  reminderId: string;
  text: string;
  fireAt: string;
  /** Who asked for it; a reminder set from a mail reports back as untrusted. */
  provenance?: Provenance;
}

/** The workflow type and start options; the caller adds its own (task queue or parent close policy). */
export function reminderStart(input: ReminderStartInput) {
  return {
    workflowType: 'reminderWorkflow' as const,
    options: {
      workflowId: toolWorkflowId(input.userId, input.reminderId),
      args: [
        {
          userId: input.userId,
          reminderId: input.reminderId,
          text: input.text,
          fireAt: input.fireAt,
          ...(input.provenance ? { provenance: input.provenance } : {}),
        },
      ] as [ReminderStartInput],
      staticSummary: `Reminder at ${input.fireAt}: ${input.text}`,
      typedSearchAttributes: searchAttributes(input.userId, 'reminder'),
    },
  };
}
export type ReminderStart = ReturnType<typeof reminderStart>;
