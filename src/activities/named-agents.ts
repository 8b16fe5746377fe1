// Starting or reusing a named agent: signal-with-start on `agent:<userId>:<name>`, which a workflow
// cannot do itself. The instruction's ID is the assistant's call ID, so a retried activity delivers a
// signal the agent drops as already seen.
import type { Config } from '../config';
import type { AgentInstruction } from '../shared/agent-messages';
import type { WorkflowSettings } from '../shared/workflow-settings';
import type { Store } from '../store';
import { paprikaClient } from './paprika';

export function makeNamedAgentActivities(config: Config, store: Store) {
  return {
    async instructAgent(input: { userId: string; name: string; settings: WorkflowSettings; instruction: AgentInstruction }): Promise<{ workflowId: string }> {
      return paprikaClient(config, store).agents.instruct(input);
    },
  };
}
