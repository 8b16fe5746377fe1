// A stateless task agent: a model/tool loop where every model step and every tool run is an
// activity, so a crash resumes at the last finished step and no finished tool runs twice.
// Side effects wait for the user's approval (a durable wait, see approval.ts).
import { CancellationScope, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { storeWriteFor } from './activity-options';
import { startAgent } from '../agents/agent-loop';
import { endFromError, reportTaskEnd, runAgentTurn, type TaskEnd } from './agent-turn';
import { ApprovalDesk } from './approval';
import type { WorkflowSettings } from '../shared/workflow-settings';
import { combine, type Provenance } from '../shared/provenance';

/** Tasks started before provenance was kept cannot say who asked: they are treated as untrusted. */
const UNKNOWN: Provenance = { origin: 'untrusted', sources: [] };

export interface TaskAgentInput {
  userId: string;
  taskId: string;
  title: string;
  instruction: string;
  settings: WorkflowSettings;
  /** Who asked; absent in runs started before provenance was kept. */
  provenance?: Provenance;
}

export async function taskAgentWorkflow(input: TaskAgentInput): Promise<string> {
  const { finishTask } = proxyActivities<Activities>(storeWriteFor(input.settings));
  const desk = ApprovalDesk.install(input.userId, workflowInfo().workflowId);

  const provenance = input.provenance ?? UNKNOWN;
  let end: TaskEnd & { provenance?: Provenance };
  try {
    end = await runAgentTurn(startAgent(input.instruction), {
      userId: input.userId,
      taskId: input.taskId,
      workflowId: workflowInfo().workflowId,
      turnKey: 'task',
      settings: input.settings,
      desk,
      deadline: Date.now() + input.settings.taskTimeoutMinutes * 60_000,
      provenance,
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
    // A turn that failed half-way may have read something first: its report counts as tainted then.
    provenance: end.provenance ?? combine(provenance, UNKNOWN),
  });
  return result;
}
