// Starting or reusing a named agent: signal-with-start on `agent:<userId>:<name>`, which a workflow
// cannot do itself. The instruction's ID is the assistant's call ID, so a retried activity delivers a
// signal the agent drops as already seen.
import { Context } from '@temporalio/activity';
import type { Config } from '../config';
import { agentWorkflowId } from '../shared/ids';
import { searchAttributes } from '../shared/search-attributes';
import type { AgentInstruction } from '../shared/agent-messages';
import { instructSignal } from '../shared/agent-messages';
import type { namedAgentWorkflow } from '../workflows/named-agent';
import type { WorkflowSettings } from '../shared/workflow-settings';

export function makeNamedAgentActivities(config: Config) {
  return {
    async instructAgent(input: { userId: string; name: string; settings: WorkflowSettings; instruction: AgentInstruction }): Promise<{ workflowId: string }> {
      const workflowId = agentWorkflowId(input.userId, input.name);
      await Context.current().client.workflow.signalWithStart<typeof namedAgentWorkflow, [AgentInstruction]>('namedAgentWorkflow', {
        workflowId,
        taskQueue: config.temporal.taskQueue,
        args: [{ userId: input.userId, name: input.name, settings: input.settings }],
        signal: instructSignal,
        signalArgs: [input.instruction],
        staticSummary: `Agent "${input.name}" of ${input.userId}`,
        typedSearchAttributes: searchAttributes(input.userId, 'agent'),
      });
      return { workflowId };
    },
  };
}
