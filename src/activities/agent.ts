// Activities of the task agent: one model step, one tool run, and recording the outcome.
import type OpenAI from 'openai';
import type { Config } from '../config';
import type { AgentMessage, AgentStepResult } from '../assistant/agent-loop';
import type { TaskStatus } from '../shared/types';
import type { Store } from '../store';
import { complete, type ModelMessage } from './model';
import type { AgentToolbox } from './agent-tools';

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

export function makeAgentActivities(config: Config, store: Store, client: OpenAI | undefined, toolbox: AgentToolbox) {
  return {
    async agentStep(input: { userId: string; taskId: string; messages: AgentMessage[] }): Promise<AgentStepResult> {
      if (!client) {
        return { content: 'No language model is configured (set OPENAI_API_KEY), so a task agent cannot work on this.', toolCalls: [] };
      }
      return complete(client, config, { messages: toModelMessages(input.messages), tools: toolbox.forModel() });
    },

    async executeTool(input: { userId: string; taskId: string; callId: string; name: string; arguments: string }): Promise<string> {
      store.tasks.progress(input.taskId, `running ${input.name}`);
      return toolbox.execute(input);
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
