// The scheduler's own tools: what the assistant workflow can do in one step. Each has a zod
// schema; the JSON schema the model sees is derived from it, so the two cannot drift.
import { z } from 'zod';
import { Priority } from '../shared/types';
import { AGENT_NAME_PATTERN } from '../agents/named-agent-state';
import { BUILTIN_TOOLS } from '../agents/tool-registry';
import type { TurnReadTool } from './turn-reads';

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
export const DelegateToAgentArgs = z.object({
  name: z
    .string()
    .regex(AGENT_NAME_PATTERN, 'lower-case letters, digits, _ and - only, at most 40')
    .describe('The agent\'s name, e.g. "inbox" or "travel"; the same name reaches the same agent and its memory'),
  instruction: z.string().min(1).max(4000).describe('What the agent should do now, self-contained'),
});
export const CancelTaskArgs = z.object({
  taskId: z.string().min(1).max(200).describe('The ID of a running task (its call ID, as listed under "Tasks still running")'),
});
export const AnswerApprovalArgs = z
  .object({
    approvalId: z.string().min(1).max(200).describe('The approvalId from the "Approval needed" event'),
    decision: z.enum(['approve', 'edit', 'reject']),
    args: z.record(z.string(), z.unknown()).optional().describe('For edit: only the fields to change, e.g. {"body": "…"}'),
    reason: z.string().max(2000).optional().describe('For reject: why, in the user\'s words; the agent is told'),
  })
  .refine((a) => a.decision !== 'edit' || (a.args !== undefined && Object.keys(a.args).length > 0), {
    message: 'edit needs the changed fields in "args"',
    path: ['args'],
  });
export const TrackFollowUpArgs = z.object({
  threadId: z.string().min(1).max(300).optional().describe('The mail thread to watch'),
  contextId: z.string().min(1).max(300).optional().describe('Or: a stored mail (its ref) whose thread to watch; with neither, the latest thread the user sent'),
  people: z.array(z.string().min(3).max(320)).max(50).optional().describe('Addresses expected to answer; default: the recipients of the user\'s mail'),
  deadline: z.string().datetime({ offset: true }).optional().describe('When to offer a nudge, ISO 8601; default: in PAPRIKA_FOLLOW_UP_DAYS days'),
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
  delegate_to_agent: {
    schema: DelegateToAgentArgs,
    description:
      'Send an instruction to a long-lived named agent (started on first use). It remembers earlier instructions; several instructions to one agent run one after another. The answer arrives later as a tool result event.',
  },
  cancel_task: {
    schema: CancelTaskArgs,
    description: 'Stop a running task or agent instruction the user wants stopped. The task reports back as cancelled.',
  },
  answer_approval: {
    schema: AnswerApprovalArgs,
    description:
      'Answer a pending approval for the user, only when they have clearly decided in chat ("yes, send it" = approve; a change = edit; "no" = reject).',
  },
  track_follow_up: {
    schema: TrackFollowUpArgs,
    description:
      'Watch a mail thread until everyone asked has answered ("tell me when everyone has answered"): the user is told when all have, and offered a nudge draft after the deadline.',
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

/**
 * Tools in the OpenAI chat-completions format. `reads`: the read-only agent tools offered in this
 * think (only in a chat turn with budget left, and only those configured); their specs are the agents'.
 */
// Converted once: the schemas never change, and converting them took ~0.5 ms of every think.
let ownTools: { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }[] | undefined;

export function assistantToolsForModel(reads: readonly TurnReadTool[] = []) {
  ownTools ??= Object.entries(ASSISTANT_TOOLS).map(([name, t]) => ({
    type: 'function' as const,
    function: { name, description: t.description, parameters: z.toJSONSchema(t.schema, { io: 'input' }) as Record<string, unknown> },
  }));
  return [
    ...ownTools,
    ...reads.map((name) => ({
      type: 'function' as const,
      function: {
        name,
        description: `${BUILTIN_TOOLS[name].description} Runs now, within this turn; the result comes back before you answer.`,
        parameters: BUILTIN_TOOLS[name].parameters,
      },
    })),
  ];
}
