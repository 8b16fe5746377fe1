// What one `think` step decides. Whatever produced it (model or offline rules), it is validated
// here before the workflow acts on it; a tool call with bad arguments becomes an error the model
// sees on its next step rather than a crash.
import { z } from 'zod';
import { NotificationInput } from '../shared/types';
import { ASSISTANT_TOOLS, isAssistantTool } from './assistant-tools';

export const ProposedCall = z.object({ name: z.string().min(1), args: z.record(z.string(), z.unknown()) });
export type ProposedCall = z.infer<typeof ProposedCall>;

export const Decision = z.object({
  reply: z.string().max(20_000).nullable(),
  notifications: z.array(NotificationInput).max(20),
  toolCalls: z.array(ProposedCall).max(10),
  /** Problems with what the model proposed, fed back to it as events. */
  rejected: z.array(z.string()).default([]),
});
export type Decision = z.infer<typeof Decision>;

/**
 * Splits raw tool calls into valid ones and error messages. `notify_user` becomes a notification
 * and `wait` disappears: neither needs a durable call.
 */
export function normaliseCalls(raw: ProposedCall[]): Pick<Decision, 'notifications' | 'toolCalls' | 'rejected'> {
  const out: Pick<Decision, 'notifications' | 'toolCalls' | 'rejected'> = { notifications: [], toolCalls: [], rejected: [] };
  for (const call of raw) {
    if (!isAssistantTool(call.name)) {
      out.rejected.push(`unknown tool "${call.name}"`);
      continue;
    }
    const parsed = ASSISTANT_TOOLS[call.name].schema.safeParse(call.args);
    if (!parsed.success) {
      out.rejected.push(`${call.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}`);
      continue;
    }
    if (call.name === 'notify_user') out.notifications.push(parsed.data as z.infer<typeof ASSISTANT_TOOLS.notify_user.schema>);
    else if (call.name !== 'wait') out.toolCalls.push({ name: call.name, args: parsed.data as Record<string, unknown> });
  }
  return out;
}
