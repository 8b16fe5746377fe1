// The scheduler's own tools: what the assistant workflow can do in one step. Each has a zod
// schema; the JSON schema the model sees is derived from it, so the two cannot drift.
import { z } from 'zod';
import { Priority } from '../shared/types';

export const DelegateTaskArgs = z.object({
  instruction: z.string().min(1).max(4000).describe('What the task agent should do, self-contained'),
  title: z.string().min(1).max(120).describe('A short title the user sees in the task list'),
});
export const SetReminderArgs = z
  .object({
    text: z.string().min(1).max(500).describe('What to remind the user of'),
    at: z.string().datetime({ offset: true }).optional().describe('When, as an ISO 8601 date-time'),
    inMinutes: z.number().positive().max(525_600).optional().describe('Or: minutes from now'),
  })
  .refine((a) => a.at !== undefined || a.inMinutes !== undefined, { message: 'either "at" or "inMinutes" is required' });
export const NotifyUserArgs = z.object({
  title: z.string().min(1).max(300),
  body: z.string().max(5000).default(''),
  priority: Priority.default('normal'),
});
export const WaitArgs = z.object({
  reason: z.string().max(500).default('').describe('Why nothing needs doing now'),
});

export const ASSISTANT_TOOLS = {
  delegate_task: {
    schema: DelegateTaskArgs,
    description:
      'Hand a longer job (research, reading, drafting) to a background task agent. Returns at once; the result arrives later as a tool result event.',
  },
  set_reminder: { schema: SetReminderArgs, description: 'Remind the user of something at a time, durably.' },
  notify_user: {
    schema: NotifyUserArgs,
    description: 'Raise a notification the user sees even when not chatting. Use for things that need them.',
  },
  wait: { schema: WaitArgs, description: 'Do nothing now: the events need no action or reply.' },
} as const;

export type AssistantToolName = keyof typeof ASSISTANT_TOOLS;

export function isAssistantTool(name: string): name is AssistantToolName {
  return Object.prototype.hasOwnProperty.call(ASSISTANT_TOOLS, name);
}

/** Tools in the OpenAI chat-completions format. */
export function assistantToolsForModel() {
  return Object.entries(ASSISTANT_TOOLS).map(([name, t]) => ({
    type: 'function' as const,
    function: { name, description: t.description, parameters: z.toJSONSchema(t.schema, { io: 'input' }) as Record<string, unknown> },
  }));
}
