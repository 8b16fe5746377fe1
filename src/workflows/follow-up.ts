// A follow-up of one mail thread: waits durably for the people asked to answer, tells the user when
// all have, offers a nudge (an approval) after the deadline, and ends when complete, resolved,
// cancelled (like any task) or when a second wait after the nudge passes. What a reply means and
// what the nudge says is src/agents/follow-up.ts; this file wires signals, timers and activities.
import { CancellationScope, condition, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { FollowUp, type FollowUpReply } from '../agents/follow-up';
import { previewOf } from '../agents/approval';
import { type FollowUpInput, followUpReplySignal, followUpResolveSignal, followUpStateQuery } from '../shared/follow-up-messages';
import { DEFAULT_WORKFLOW_SETTINGS } from '../shared/workflow-settings';
import { sideEffect, storeWrite } from './activity-options';
import { endFromError, reportTaskEnd, type TaskEnd } from './agent-turn';
import { ApprovalDesk } from './approval';

const { beginFollowUp, followUpProgress, followUpEnded, finishTask } = proxyActivities<Activities>(storeWrite);
const { executeSideEffect } = proxyActivities<Activities>(sideEffect(DEFAULT_WORKFLOW_SETTINGS));

export async function followUpWorkflow(input: FollowUpInput): Promise<string> {
  const { workflowId } = workflowInfo();
  const { userId, taskId } = input;
  const desk = ApprovalDesk.install(userId, workflowId);
  let followUp: FollowUp | undefined;
  // Signals can arrive before the follow-up knows whom it waits for; they are applied once it does.
  const early: FollowUpReply[] = [];
  let resolved = false;
  let changed = false;
  setHandler(followUpReplySignal, (r) => {
    if (!followUp) early.push(r);
    else if (followUp.reply(r)) changed = true;
  });
  let resolvedBy: { from: string } | undefined;
  setHandler(followUpResolveSignal, (by) => {
    resolved = true;
    resolvedBy = by;
    followUp?.resolve(by);
  });
  setHandler(followUpStateQuery, () => followUp?.data);

  const showProgress = async (f: FollowUp) => {
    setCurrentDetails(f.progress());
    await followUpProgress({ taskId, progress: f.progress() });
  };

  /** Asks the user to approve the nudge; withdrawn if everyone answers (or the thread resolves) meanwhile. */
  async function nudge(f: FollowUp): Promise<void> {
    f.data.nudged = true;
    const draft = f.nudgeDraft();
    const scope = new CancellationScope();
    const asked = scope.run(() => desk.request({ taskId, tool: draft.tool, args: draft.args, preview: previewOf(draft.tool, draft.args) }));
    await Promise.race([asked.then(() => undefined, () => undefined), condition(() => f.done)]);
    if (f.done) {
      scope.cancel();
      await asked.catch(() => undefined);
      return;
    }
    const outcome = await asked;
    if (outcome.decision !== 'approve' && outcome.decision !== 'edit') return;
    // The ledger key makes the approved nudge go out once, whatever retries or replays.
    await CancellationScope.nonCancellable(() =>
      executeSideEffect({ key: `${workflowId}:nudge`, userId, taskId, callId: 'nudge', tool: draft.tool, args: outcome.args }),
    );
  }

  async function watch(f: FollowUp, periodMs: number): Promise<TaskEnd> {
    let lastCall = 0;
    for (;;) {
      const until = f.data.nudged ? lastCall : Date.parse(f.data.deadline);
      await condition(() => changed || f.done, Math.max(1, until - Date.now()));
      if (changed) {
        changed = false;
        await showProgress(f);
      }
      if (f.done) return { status: 'completed', result: f.outcome() };
      if (f.nudgeDue(Date.now())) {
        await nudge(f);
        lastCall = Date.now() + periodMs;
        continue;
      }
      if (f.data.nudged && Date.now() >= lastCall) return { status: 'completed', result: f.outcome() };
    }
  }

  let end: TaskEnd;
  let title = 'Follow-up';
  try {
    const begun = await beginFollowUp({ ...input, workflowId });
    if (!begun.ok) end = { status: 'failed', result: `Cannot follow up: ${begun.problem}` };
    else {
      const f = (followUp = new FollowUp(begun.followUp));
      title = begun.title;
      for (const r of early) f.reply(r);
      if (resolved) f.resolve(resolvedBy);
      await showProgress(f);
      end = await watch(f, begun.periodMs);
    }
  } catch (err) {
    end = endFromError(err, CancellationScope.current());
  }
  await CancellationScope.nonCancellable(() => followUpEnded({ workflowId }));
  await reportTaskEnd(finishTask, { userId, taskId, title, status: end.status, result: end.result, text: `${title}: ${end.result}`, source: 'follow-up' });
  return end.result;
}
