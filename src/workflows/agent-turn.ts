// One agent run to a final answer, shared by the task agent and the named agent: each model step is
// an activity, each tool call a local activity (planned, and run when it only reads); a side effect
// waits for approval (unless the user opted in) and then runs as an activity through the
// exactly-once ledger under a key derived from workflow and call IDs.
// Also how a task reports its end, so every kind of task resolves the assistant's call the same way.
import { CancellationScope, isCancellation, patched, proxyActivities, proxyLocalActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { cancellableAgentStep, localToolPlan, sideEffect } from './activity-options';
import { type AgentConversation, type AgentMessage, finalAnswer, InlineConversation, isFinal, StoredConversation } from '../agents/agent-loop';
import { outcomeForAgent } from '../agents/approval';
import { afterRead } from '../agents/egress';
import { type Provenance, reported } from '../shared/provenance';
import type { TaskStatus } from '../shared/types';
import type { ApprovalDesk } from './approval';
import { signalAssistant } from './notify-assistant';
import type { WorkflowSettings } from '../shared/workflow-settings';

export interface TurnOptions {
  userId: string;
  /** The task the user sees (progress, approvals). */
  taskId: string;
  workflowId: string;
  /** Makes idempotency keys unique within the workflow (a named agent runs many turns). */
  turnKey: string;
  settings: WorkflowSettings;
  desk: ApprovalDesk;
  /** Working-time deadline (ms since epoch, workflow time); time waiting for approvals is added back. */
  deadline: number;
  /** Who the work is for; reading untrusted results taints it as the turn goes on. */
  provenance: Provenance;
}

/** `provenance`: the turn's at the end, including everything it read. */
export type TurnResult = { status: 'completed' | 'failed'; result: string; provenance: Provenance };

export async function runAgentTurn(messages: AgentMessage[], opts: TurnOptions): Promise<TurnResult> {
  const { agentStep, prepareTool: prepareToolTask } = proxyActivities<Activities>(cancellableAgentStep(opts.settings));
  // Turns started before this ran each tool call as an activity task of its own; a new turn plans
  // (and runs, when it only reads) in the worker, within the workflow task that got the model's step.
  const prepareTool = patched('agent-tool-in-worker') ? proxyLocalActivities<Activities>(localToolPlan(opts.settings)).prepareTool : prepareToolTask;
  const { executeSideEffect } = proxyActivities<Activities>(sideEffect(opts.settings));
  const max = opts.settings.agentMaxSteps;
  const waitedBefore = opts.desk.waitedMs;
  let provenance = opts.provenance;
  // Runs started before transcripts were kept in the store carry the whole conversation in every
  // step's input; new turns keep it in the store under this key and send only what is new.
  const conversation: AgentConversation = patched('agent-transcript-in-store')
    ? new StoredConversation(`${opts.workflowId}:${opts.turnKey}`, messages)
    : new InlineConversation(messages);

  for (let step = 1; ; step++) {
    if (step > max) return { status: 'failed', result: `Stopped after ${max} steps without an answer.`, provenance };
    if (Date.now() > opts.deadline + (opts.desk.waitedMs - waitedBefore)) {
      return { status: 'failed', result: `Stopped: the deadline of ${opts.settings.taskTimeoutMinutes} minutes of work passed.`, provenance };
    }
    setCurrentDetails(`Step ${step} of at most ${max}: thinking`);
    const res = await agentStep.executeWithOptions({ summary: `agent step ${step}` }, [
      { userId: opts.userId, taskId: opts.taskId, ...conversation.stepInput(step) },
    ]);
    conversation.recordStep(step, res);
    if (isFinal(res)) return { status: 'completed', result: finalAnswer(res), provenance };

    for (const [index, call] of res.toolCalls.entries()) {
      setCurrentDetails(`Step ${step} of at most ${max}: ${call.name}`);
      const place = conversation.toolResultPlace(step, index);
      const plan = await prepareTool.executeWithOptions({ summary: `tool ${call.name}` }, [
        { userId: opts.userId, taskId: opts.taskId, callId: call.id, name: call.name, arguments: call.arguments, provenance, ...(place ? { transcript: place } : {}) },
      ]);
      // Whatever this call returns is in the conversation from now on: the next calls are judged with it.
      const readBy = afterRead(provenance, call.name, call.arguments);
      if (plan.kind === 'recorded' || plan.kind === 'result') {
        if (plan.kind === 'result') conversation.recordToolResult(step, index, call.id, plan.text);
        provenance = readBy;
        continue;
      }
      const execute = async (args: Record<string, unknown>) => {
        setCurrentDetails(`Step ${step} of at most ${max}: running ${plan.tool} (${plan.preview.summary})`);
        // An approved send is not interrupted half-way; a cancellation stops the agent right after it.
        return CancellationScope.nonCancellable(() => executeSideEffect.executeWithOptions({ summary: `side effect ${plan.tool}` }, [
          { key: `${opts.workflowId}:${opts.turnKey}:${step}:${call.id}`, userId: opts.userId, taskId: opts.taskId, callId: call.id, tool: plan.tool, args },
        ]));
      };
      if (plan.approval !== 'required') {
        const out = await execute(plan.args);
        conversation.recordToolResult(step, index, call.id, out.text);
        provenance = readBy;
        continue;
      }
      setCurrentDetails(`Step ${step}: waiting for the user's approval: ${plan.preview.summary}`);
      const outcome = await opts.desk.request({ taskId: opts.taskId, tool: plan.tool, args: plan.args, preview: plan.preview, provenance });
      if (outcome.decision === 'reject' || outcome.decision === 'expired') {
        conversation.recordToolResult(step, index, call.id, outcomeForAgent(plan.tool, outcome));
      } else {
        const out = await execute(outcome.args);
        conversation.recordToolResult(step, index, call.id, outcomeForAgent(plan.tool, { decision: outcome.decision, result: out.text }));
        provenance = readBy;
      }
    }
  }
}

export type TaskEnd = { status: Exclude<TaskStatus, 'running'>; result: string };

/** How a turn that threw ends: cancelled if it was asked to stop, otherwise failed. */
export function endFromError(err: unknown, scope: CancellationScope): TaskEnd {
  if (isCancellation(err) || scope.consideredCancelled) return { status: 'cancelled', result: 'Cancelled.' };
  // An activity failure says only that the activity failed; its cause says why (a 400 from the model, say).
  const e = err as Error & { cause?: Error };
  return { status: 'failed', result: `Failed: ${e.cause?.message ?? e.message}` };
}

export interface TaskReport extends TaskEnd {
  /** The task's provenance at its end; its result is untrusted if the task read untrusted content. */
  provenance?: Provenance;
  userId: string;
  taskId: string;
  /** The task's title in the store and in the notification. */
  title: string;
  /** What the assistant reads. */
  text: string;
  source: string;
}

/**
 * Records how a task ended and tells the assistant, whose call stays pending (holding one of the
 * user's task slots) until it hears. Runs even when cancelled: the user must hear how it ended.
 * The caller passes its own finishTask so each workflow keeps the activity options it recorded.
 */
export async function reportTaskEnd(finishTask: Activities['finishTask'], r: TaskReport): Promise<void> {
  await CancellationScope.nonCancellable(async () => {
    await finishTask({ userId: r.userId, taskId: r.taskId, title: r.title, status: r.status, result: r.result });
    await signalAssistant(r.userId, {
      id: `result:${r.taskId}`,
      kind: 'tool_result',
      priority: r.status === 'completed' ? 'normal' : 'high',
      callId: r.taskId,
      status: r.status,
      text: r.text,
      source: r.source,
      ref: `task:${r.taskId}`,
      at: new Date().toISOString(),
      ...(r.provenance ? { provenance: reported(r.provenance) } : {}),
    });
  });
}
