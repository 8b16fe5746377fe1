// A stateless task agent: a model/tool loop where every model step and every tool run is an
// activity, so a crash resumes at the last finished step and no finished tool runs twice.
import {
  CancellationScope,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { finalAnswer, isFinal, recordStep, recordToolResult, startAgent } from '../assistant/agent-loop';
import type { TaskStatus } from '../shared/types';
import { signalAssistant } from './notify-assistant';
import type { WorkflowSettings } from './settings';

export interface TaskAgentInput {
  userId: string;
  taskId: string;
  title: string;
  instruction: string;
  settings: WorkflowSettings;
}

export async function taskAgentWorkflow(input: TaskAgentInput): Promise<string> {
  const { agentStep, executeTool } = proxyActivities<Activities>({
    startToCloseTimeout: `${input.settings.modelTimeoutSeconds + 30} seconds`,
    heartbeatTimeout: `${input.settings.heartbeatTimeoutSeconds} seconds`,
    retry: { maximumAttempts: 6, initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  const { finishTask } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

  const messages = startAgent(input.instruction);
  let status: Exclude<TaskStatus, 'running'> = 'completed';
  let result = '';
  try {
    for (let step = 1; ; step++) {
      if (step > input.settings.agentMaxSteps) {
        status = 'failed';
        result = `Stopped after ${input.settings.agentMaxSteps} steps without an answer.`;
        break;
      }
      setCurrentDetails(`Step ${step} of at most ${input.settings.agentMaxSteps}: thinking`);
      const res = await agentStep.executeWithOptions({ summary: `agent step ${step}` }, [
        { userId: input.userId, taskId: input.taskId, messages },
      ]);
      recordStep(messages, res);
      if (isFinal(res)) {
        result = finalAnswer(res);
        break;
      }
      for (const call of res.toolCalls) {
        setCurrentDetails(`Step ${step}: running ${call.name}`);
        const out = await executeTool.executeWithOptions({ summary: `tool ${call.name}` }, [
          { userId: input.userId, taskId: input.taskId, callId: call.id, name: call.name, arguments: call.arguments },
        ]);
        recordToolResult(messages, call.id, out);
      }
    }
  } catch (err) {
    status = isCancellation(err) ? 'cancelled' : 'failed';
    result = status === 'cancelled' ? 'Cancelled.' : `Failed: ${(err as Error).message}`;
  }
  setCurrentDetails(`${status}: ${result.slice(0, 200)}`);
  // Report even when cancelled: the user must hear how the task ended.
  await CancellationScope.nonCancellable(async () => {
    await finishTask({ userId: input.userId, taskId: input.taskId, title: input.title, status, result });
    await signalAssistant(input.userId, {
      id: `result:${input.taskId}`,
      kind: 'tool_result',
      priority: status === 'completed' ? 'normal' : 'high',
      callId: input.taskId,
      status,
      text: `${input.title}: ${result}`,
      source: 'task',
      ref: `task:${input.taskId}`,
      at: new Date().toISOString(),
    });
  });
  return result;
}
