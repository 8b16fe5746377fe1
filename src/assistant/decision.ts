// What one `think` step decides. Whatever produced it (model or offline rules), it is validated
// here before the workflow acts on it; a tool call with bad arguments becomes an error the model
// sees on its next step rather than a crash. The calls that come out are typed, so the workflow
// and the step planner never parse or cast arguments again.
import { z } from 'zod';
import { NotificationInput } from '../shared/types';
import { ASSISTANT_TOOLS, type AssistantToolName, isAssistantTool } from './assistant-tools';
import { TOOL_SCHEMAS } from '../agents/tool-registry';
import { isTurnReadTool, type ReadCall, TURN_READ_TOOLS } from './turn-reads';

/** A call as the model or the offline rules proposed it, before validation. */
export const ProposedCall = z.object({ name: z.string().min(1), args: z.record(z.string(), z.unknown()) });
export type ProposedCall = z.infer<typeof ProposedCall>;

const callOf = <N extends AssistantToolName, S extends (typeof ASSISTANT_TOOLS)[N]['schema']>(name: N, schema: S) =>
  z.object({ name: z.literal(name), args: schema });
const T = ASSISTANT_TOOLS;

/** The calls a step acts on: started, run at once, or refused. */
const ACTING_CALLS = [
  callOf('delegate_task', T.delegate_task.schema),
  callOf('delegate_to_agent', T.delegate_to_agent.schema),
  callOf('cancel_task', T.cancel_task.schema),
  callOf('answer_approval', T.answer_approval.schema),
  callOf('set_reminder', T.set_reminder.schema),
  callOf('track_follow_up', T.track_follow_up.schema),
] as const;

/** Every assistant tool, validated by its own schema. */
const AnyToolCall = z.discriminatedUnion('name', [...ACTING_CALLS, callOf('notify_user', T.notify_user.schema), callOf('wait', T.wait.schema)]);

/** The calls a step acts on (notify_user and wait are folded away by `normaliseCalls`). */
export const AssistantToolCall = z.discriminatedUnion('name', [...ACTING_CALLS]);
export type AssistantToolCall = z.infer<typeof AssistantToolCall>;
export type AssistantToolCallOf<N extends AssistantToolCall['name']> = Extract<AssistantToolCall, { name: N }>;

export const Decision = z.object({
  reply: z.string().max(20_000).nullable(),
  notifications: z.array(NotificationInput).max(20),
  toolCalls: z.array(AssistantToolCall).max(10),
  /** Problems with what the model proposed, fed back to it as events. */
  rejected: z.array(z.string()).default([]),
  /** Reads to run within the turn before acting (absent in decisions recorded before reading in the turn). */
  reads: z.array(z.object({ tool: z.enum(TURN_READ_TOOLS), args: z.record(z.string(), z.unknown()) })).max(10).optional(),
});
export type Decision = z.infer<typeof Decision>;

/**
 * Splits raw tool calls into valid ones and error messages. `notify_user` becomes a notification
 * and `wait` disappears: neither needs a durable call.
 */
export function normaliseCalls(raw: ProposedCall[]): Pick<Decision, 'notifications' | 'toolCalls' | 'rejected'> & { reads: ReadCall[] } {
  const out: Pick<Decision, 'notifications' | 'toolCalls' | 'rejected'> & { reads: ReadCall[] } = { notifications: [], toolCalls: [], rejected: [], reads: [] };
  for (const call of raw) {
    if (isTurnReadTool(call.name)) {
      // Checked by the agent tool's own schema, so the read activity gets what an agent's would.
      const args = TOOL_SCHEMAS[call.name].safeParse(call.args);
      if (args.success) out.reads.push({ tool: call.name, args: args.data as Record<string, unknown> });
      else out.rejected.push(`${call.name}: ${args.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}`);
      continue;
    }
    if (!isAssistantTool(call.name)) {
      out.rejected.push(`unknown tool "${call.name}"`);
      continue;
    }
    const parsed = AnyToolCall.safeParse(call);
    if (!parsed.success) {
      // Paths are reported relative to the arguments, as the model wrote them.
      out.rejected.push(`${call.name}: ${parsed.error.issues.map((i) => `${i.path.slice(1).join('.') || 'args'}: ${i.message}`).join('; ')}`);
      continue;
    }
    const valid = parsed.data;
    if (valid.name === 'notify_user') out.notifications.push(valid.args);
    else if (valid.name !== 'wait') out.toolCalls.push(valid);
  }
  return out;
}
