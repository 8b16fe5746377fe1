// A stateless task agent: a model/tool loop where every model step and every tool run is an
// activity, so a crash resumes at the last finished step and no finished tool runs twice.
// Side effects wait for the user's approval (a durable wait, see approval.ts).
import { CancellationScope, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { storeWrite } from './activity-options';
import { startAgent } from '../agents/agent-loop';
import { endFromError, reportTaskEnd, runAgentTurn, type TaskEnd } from './agent-turn';
import { ApprovalDesk } from './approval';
import type { WorkflowSettings } from '../shared/workflow-settings';

export interface TaskAgentInput {
  userId: string;
  taskId: string;
  title: string;
  instruction: string;
  settings: WorkflowSettings;
}

export async function taskAgentWorkflow(input: TaskAgentInput): Promise<string> {
  const { finishTask } = proxyActivities<Activities>(storeWrite);
  const desk = ApprovalDesk.install(input.userId, workflowInfo().workflowId);

  let end: TaskEnd;
  try {
    end = await runAgentTurn(startAgent(input.instruction), {
      userId: input.userId,
      taskId: input.taskId,
      workflowId: workflowInfo().workflowId,
      turnKey: 'task',
      settings: input.settings,
      desk,
      deadline: Date.now() + input.settings.taskTimeoutMinutes * 60_000,
    });
  } catch (err) {
    end = endFromError(err, CancellationScope.current());
  }
  const { status, result } = end;
  setCurrentDetails(`${status}: ${result.slice(0, 200)}`);
  await reportTaskEnd(finishTask, {
    userId: input.userId,
    taskId: input.taskId,
    title: input.title,
    status,
    result,
    text: `${input.title}: ${result}`,
    source: 'task',
  });
  return result;
}
