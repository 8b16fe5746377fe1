// Activities of the agents (task and named): one model step, preparing or running one tool call,
// checking edited arguments, and recording how a task ended.
import type { Config } from '../config';
import type { AgentMessage, AgentStepResult } from '../agents/agent-loop';
import { type ApprovalPreview, previewOf } from '../agents/approval';
import { toOpenAiTools } from '../agents/tool-registry';
import type { TaskStatus } from '../shared/types';
import type { Store } from '../store';
import { rethrowIfCancelled, withHeartbeat } from './heartbeat';
import { complete, type ModelClient, type ModelMessage } from '../integrations/model';
import type { Toolbox } from './tools';

export function toModelMessages(messages: AgentMessage[]): ModelMessage[] {
  return messages.map((m): ModelMessage => {
    if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    if (m.role === 'assistant')
      return {
        role: 'assistant',
        content: m.content,
        ...(m.toolCalls?.length
          ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }
          : {}),
      };
    return { role: m.role, content: m.content };
  });
}

/** What to do with one tool call: its result (a read ran, or the call was invalid), or a side effect to execute. */
export type ToolPlan =
  | { kind: 'result'; text: string }
  | {
      kind: 'side_effect';
      tool: string;
      args: Record<string, unknown>;
      /** required: wait for the user; auto: the user opted in for this tool; none: nothing leaves (a draft). */
      approval: 'required' | 'auto' | 'none';
      preview: ApprovalPreview;
    };

/**
 * 'read' tools that still change something outside Paprika (a draft in the mailbox): no approval,
 * but they go through the exactly-once ledger so a retry does not create a second draft.
 */
const LEDGERED_READS = new Set(['gmail_create_draft']);

export function makeAgentActivities(config: Config, store: Store, client: ModelClient | undefined, toolbox: Toolbox) {
  return {
    async agentStep(input: { userId: string; taskId: string; messages: AgentMessage[] }): Promise<AgentStepResult> {
      if (!client) {
        return { content: 'No language model is configured (set OPENAI_API_KEY), so a task agent cannot work on this.', toolCalls: [] };
      }
      store.tasks.progress(input.taskId, 'thinking');
      const specs = await toolbox.specs(input.userId);
      try {
        return await complete(client, config, { messages: toModelMessages(input.messages), tools: toOpenAiTools(specs) });
      } catch (err) {
        // The aborted request must end the activity as cancelled, so the workflow sees a cancellation.
        rethrowIfCancelled(err);
        throw err;
      }
    },

    /** Validates a call; runs it when it only reads; otherwise says what the side effect will be. */
    async prepareTool(input: { userId: string; taskId: string; callId: string; name: string; arguments: string }): Promise<ToolPlan> {
      const checked = await toolbox.validate(input.userId, input.name, input.arguments);
      if (!checked.ok) return { kind: 'result', text: `error: ${checked.error}` };
      let args = checked.args as Record<string, unknown>;
      if (checked.spec.effect === 'side_effect' || LEDGERED_READS.has(input.name)) {
        let context: { to?: string; subject?: string } = {};
        if (input.name === 'gmail_reply') {
          // The recipient is looked up once, here, and becomes an argument: the user approves it,
          // and a message arriving in the thread while they decide cannot redirect the reply.
          context = await toolbox.replyContext(input.userId, String(args.threadId));
          if (!context.to) return { kind: 'result', text: `error: thread ${String(args.threadId)} not found or has no sender to reply to` };
          args = { ...args, to: context.to };
        }
        return {
          kind: 'side_effect',
          tool: input.name,
          args,
          approval: checked.spec.effect !== 'side_effect' ? 'none' : store.approvals.isAutoApproved(input.userId, input.name) ? 'auto' : 'required',
          preview: previewOf(input.name, args, context),
        };
      }
      store.tasks.progress(input.taskId, `running ${input.name}`);
      try {
        const out = await withHeartbeat({ tool: input.name, callId: input.callId }, (signal) =>
          toolbox.run(input.name, args, { userId: input.userId, taskId: input.taskId, callId: input.callId, signal }),
        );
        return { kind: 'result', text: out.text };
      } catch (err) {
        // A cancelled activity must end as cancelled, not as a tool error the agent reads.
        rethrowIfCancelled(err);
        return { kind: 'result', text: `error: ${(err as Error).message}` };
      }
    },

    /** Checks arguments an edit produced; the approval update answers 400 with the error. */
    async checkToolArgs(input: { userId: string; tool: string; args: Record<string, unknown> }): Promise<
      { ok: true; args: Record<string, unknown> } | { ok: false; error: string }
    > {
      const checked = await toolbox.validate(input.userId, input.tool, input.args);
      return checked.ok ? { ok: true, args: checked.args as Record<string, unknown> } : { ok: false, error: checked.error };
    },

    /** Records the outcome and always tells the user, whatever the model later says about it. */
    async finishTask(input: { userId: string; taskId: string; title: string; status: Exclude<TaskStatus, 'running'>; result: string }): Promise<void> {
      store.db.transaction(() => {
        store.tasks.finish(input.taskId, input.status, input.result);
        store.notifications.add(`task-done:${input.taskId}`, input.userId, {
          title: `${input.title}: ${input.status}`,
          body: input.result,
          priority: input.status === 'completed' ? 'normal' : 'high',
          source: 'task',
          ref: `task:${input.taskId}`,
        });
      })();
    },
  };
}
