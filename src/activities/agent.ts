// Activities of the agents (task and named): one model step, preparing or running one tool call,
// checking edited arguments, and recording how a task ended.
import type { Config } from '../config';
import {
  type AgentMessage,
  type AgentStepResult,
  MODEL_POSITION,
  modelMessage,
  type StepMessages,
  stepResultOf,
  type ToolResultPlace,
  toolMessage,
} from '../agents/agent-loop';
import { previewOf } from '../agents/approval';
import { approvalFor } from '../agents/egress';
import type { Provenance } from '../shared/provenance';
import type { ApprovalPreview } from '../shared/approval';
import { toOpenAiTools } from '../agents/tool-registry';
import type { TaskStatus } from '../shared/types';
import type { Store } from '../store';
import { rethrowIfCancelled, withHeartbeat } from './heartbeat';
import { complete, type ModelClient, type ModelMessage } from '../integrations/model';
import type { Toolbox } from './tools';
import { renderUserContext } from '../triage/user-context';
import { loadUserContext } from './user-context';

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

export interface PrepareToolInput {
  userId: string;
  taskId: string;
  callId: string;
  name: string;
  arguments: string;
  /** Where the result goes in the stored transcript; absent for runs that keep it in the workflow. */
  transcript?: ToolResultPlace;
  /** The agent's provenance so far; absent in runs recorded before it was kept (treated as tainted). */
  provenance?: Provenance;
}

/**
 * What to do with one tool call: its result (a read ran, or the call was invalid), the note that the
 * result is in the transcript, or a side effect to execute.
 */
export type ToolPlan =
  | { kind: 'result'; text: string }
  | { kind: 'recorded'; chars: number }
  | {
      kind: 'side_effect';
      tool: string;
      args: Record<string, unknown>;
      /** required: wait for the user; auto: the user opted in for this tool; none: nothing leaves (a draft). */
      approval: 'required' | 'auto' | 'none';
      preview: ApprovalPreview;
    };

export function makeAgentActivities(config: Config, store: Store, client: ModelClient | undefined, toolbox: Toolbox) {
  /**
   * The user's local time, profile and facts, as a system message after the agent's rules. Added
   * at each step and never stored: the clock moves and facts change while a task runs.
   */
  async function withUserContext(userId: string, messages: AgentMessage[]): Promise<AgentMessage[]> {
    const instruction = messages.find((m) => m.role === 'user')?.content ?? '';
    const context: AgentMessage = { role: 'system', content: renderUserContext(await loadUserContext(store, userId, new Date(), instruction)) };
    const at = messages.findIndex((m) => m.role !== 'system');
    return at < 0 ? [...messages, context] : [...messages.slice(0, at), context, ...messages.slice(at)];
  }

  async function planTool(input: PrepareToolInput): Promise<Exclude<ToolPlan, { kind: 'recorded' }>> {
    const checked = await toolbox.validate(input.userId, input.name, input.arguments);
    if (!checked.ok) return { kind: 'result', text: `error: ${checked.error}` };
    let args = checked.args as Record<string, unknown>;
    const approval = approvalFor({
      tool: input.name,
      effect: checked.spec.effect,
      args,
      // Runs started before provenance was kept cannot show where they came from: ask.
      provenance: input.provenance ?? { origin: 'untrusted', sources: [] },
      autoApproved: await store.approvals.isAutoApproved(input.userId, input.name),
      webFetchAllowlist: (await store.settings.get(input.userId)).webFetchAllowlist,
    });
    if (approval !== 'run') {
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
        approval,
        preview: previewOf(input.name, args, context),
      };
    }
    await store.tasks.progress(input.taskId, `running ${input.name}`);
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
  }

  return {
    /**
     * One model step. Given a transcript key, it writes what the workflow sent, reads the whole
     * conversation from the store and records the model's message there; a retry of a step whose
     * message is already recorded returns that message without asking the model again.
     */
    async agentStep(input: { userId: string; taskId: string } & StepMessages): Promise<AgentStepResult> {
      if (!client) {
        return { content: 'No language model is configured (set OPENAI_API_KEY), so a task agent cannot work on this.', toolCalls: [] };
      }
      let messages: AgentMessage[];
      if ('transcript' in input) {
        const owner = { userId: input.userId, taskId: input.taskId };
        await store.agentTranscripts.append(input.transcript, owner, input.entries);
        const recorded = await store.agentTranscripts.at<AgentMessage>(input.transcript, input.step, MODEL_POSITION);
        if (recorded) return stepResultOf(recorded);
        messages = await store.agentTranscripts.load<AgentMessage>(input.transcript);
      } else {
        messages = input.messages;
      }
      await store.tasks.progress(input.taskId, 'thinking');
      const specs = await toolbox.specs(input.userId);
      let result: AgentStepResult;
      try {
        result = await complete(client, config, { messages: toModelMessages(await withUserContext(input.userId, messages)), tools: toOpenAiTools(specs) });
      } catch (err) {
        // The aborted request must end the activity as cancelled, so the workflow sees a cancellation.
        rethrowIfCancelled(err);
        throw err;
      }
      if (!('transcript' in input)) return result;
      const entry = { step: input.step, position: MODEL_POSITION, message: modelMessage(result) };
      if (await store.agentTranscripts.append(input.transcript, { userId: input.userId, taskId: input.taskId }, [entry])) return result;
      // An earlier attempt of this step, still running when this one started, recorded first: its
      // answer is the one the conversation goes on from.
      return stepResultOf((await store.agentTranscripts.at<AgentMessage>(input.transcript, input.step, MODEL_POSITION))!);
    },

    /**
     * Validates a call; runs it when it only reads; otherwise says what the side effect will be.
     * Given a place in the transcript, a result goes there and only its size comes back.
     */
    async prepareTool(input: PrepareToolInput): Promise<ToolPlan> {
      const plan = await planTool(input);
      if (plan.kind !== 'result' || !input.transcript) return plan;
      const { transcript, step, position } = input.transcript;
      await store.agentTranscripts.append(transcript, { userId: input.userId, taskId: input.taskId }, [
        { step, position, message: toolMessage(input.callId, plan.text) },
      ]);
      return { kind: 'recorded', chars: plan.text.length };
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
      await store.sql.transaction(async () => {
        await store.tasks.finish(input.taskId, input.status, input.result);
        await store.notifications.add(`task-done:${input.taskId}`, input.userId, {
          title: `${input.title}: ${input.status}`,
          body: input.result,
          priority: input.status === 'completed' ? 'normal' : 'high',
          source: 'task',
          ref: `task:${input.taskId}`,
        });
      });
    },
  };
}
