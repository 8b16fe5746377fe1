// A stateless task agent: a model/tool loop where every model step and every tool run is an
// activity, so a crash resumes at the last finished step and no finished tool runs twice.
// Side effects wait for the user's approval (a durable wait, see approval.ts).
import { CancellationScope, isCancellation, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { startAgent } from '../assistant/agent-loop';
import type { TaskStatus } from '../shared/types';
import { runAgentTurn } from './agent-turn';
import { ApprovalDesk } from './approval';
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
  const { finishTask } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });
  const desk = new ApprovalDesk(input.userId, workflowInfo().workflowId);

  let status: Exclude<TaskStatus, 'running'> = 'completed';
  let result = '';
  try {
    const out = await runAgentTurn(startAgent(input.instruction), {
      userId: input.userId,
      taskId: input.taskId,
      workflowId: workflowInfo().workflowId,
      turnKey: 'task',
      settings: input.settings,
      desk,
      deadline: Date.now() + input.settings.taskTimeoutMinutes * 60_000,
    });
    status = out.status;
    result = out.result;
  } catch (err) {
    status = isCancellation(err) || CancellationScope.current().consideredCancelled ? 'cancelled' : 'failed';
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
