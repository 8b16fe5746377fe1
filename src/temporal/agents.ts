// Named agents, `agent:<userId>:<name>`: giving one an instruction (signal-with-start, which a
// workflow cannot do itself), listing them (Temporal visibility, filtered by the Paprika search
// attributes), inspecting one (its query: current instruction, queue, memory) and stopping one
// (cancel: queued instructions are reported as cancelled, the agent ends; the next instruction
// starts it afresh with no memory).
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Config } from '../config';
import { AGENT_NAME_PATTERN } from '../agents/named-agent-state';
import { type AgentInstruction, agentStateQuery, instructSignal, type NamedAgentSnapshot } from '../shared/agent-messages';
import { agentWorkflowId, agentWorkflowIdPrefix } from '../shared/ids';
import { searchAttributes } from '../shared/search-attributes';
import type { WorkflowSettings } from '../shared/workflow-settings';
import type { namedAgentWorkflow } from '../workflows/named-agent';
import { type Failure, fail } from './result';

export interface AgentSummary {
  name: string;
  workflowId: string;
  /** 'running', or how the agent's last run ended ('cancelled', 'failed', …). */
  status: string;
  startedAt?: string;
}

export type AgentResult = { ok: true; agent: AgentSummary & { state?: NamedAgentSnapshot } } | Failure;
export type StopResult = { ok: true } | Failure;

const statusOf = (name: string) => (name === 'RUNNING' ? 'running' : name.toLowerCase());

export class AgentsClient {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
  ) {}

  /** Starts the agent if needed; the instruction's ID makes a retried delivery one instruction. */
  async instruct(input: { userId: string; name: string; settings: WorkflowSettings; instruction: AgentInstruction }): Promise<{ workflowId: string }> {
    const workflowId = agentWorkflowId(input.userId, input.name);
    await this.client.workflow.signalWithStart<typeof namedAgentWorkflow, [AgentInstruction]>('namedAgentWorkflow', {
      workflowId,
      taskQueue: this.config.temporal.taskQueue,
      args: [{ userId: input.userId, name: input.name, settings: input.settings }],
      signal: instructSignal,
      signalArgs: [input.instruction],
      staticSummary: `Agent "${input.name}" of ${input.userId}`,
      typedSearchAttributes: searchAttributes(input.userId, 'agent'),
    });
    return { workflowId };
  }

  async list(userId: string): Promise<AgentSummary[]> {
    const prefix = agentWorkflowIdPrefix(userId);
    const byName = new Map<string, AgentSummary>();
    for await (const wf of this.client.workflow.list({ query: `PaprikaUser = "${userId}" AND PaprikaKind = "agent"` })) {
      if (!wf.workflowId.startsWith(prefix)) continue;
      const name = wf.workflowId.slice(prefix.length);
      // Newest run first; continue-as-new leaves older closed runs behind.
      if (byName.has(name)) continue;
      byName.set(name, { name, workflowId: wf.workflowId, status: statusOf(wf.status.name), startedAt: wf.startTime.toISOString() });
    }
    return [...byName.values()];
  }

  /** The agent and, while it runs, its state. */
  async get(userId: string, name: string): Promise<AgentResult> {
    if (!AGENT_NAME_PATTERN.test(name)) return fail('not_found', `no agent "${name}"`);
    const handle = this.client.workflow.getHandle(agentWorkflowId(userId, name));
    try {
      const description = await handle.describe();
      const status = statusOf(description.status.name);
      const agent = { name, workflowId: handle.workflowId, status, startedAt: description.startTime.toISOString() };
      return { ok: true, agent: status === 'running' ? { ...agent, state: await handle.query(agentStateQuery) } : agent };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return fail('not_found', `no agent "${name}"`);
      throw err;
    }
  }

  async stop(userId: string, name: string): Promise<StopResult> {
    if (!AGENT_NAME_PATTERN.test(name)) return fail('not_found', `no agent "${name}"`);
    const handle = this.client.workflow.getHandle(agentWorkflowId(userId, name));
    try {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') return fail('conflict', `agent "${name}" is ${statusOf(description.status.name)}`);
      await handle.cancel();
      return { ok: true };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return fail('not_found', `no agent "${name}"`);
      throw err;
    }
  }
}
