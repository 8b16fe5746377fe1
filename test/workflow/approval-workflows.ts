// A small workflow around the real approval desk, for the workflow-level approval tests: it asks
// once, shows the outcome and the pending list by query, and ends when told, so late answers can
// still reach it. A `cancel` signal cancels the wait the way a named agent's instruction is cancelled.
import { allHandlersFinished, CancellationScope, condition, defineQuery, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';
import { ApprovalDesk, type ApprovalOutcome } from '../../src/workflows/approval';

export const outcomeQuery = defineQuery<ApprovalOutcome | undefined>('outcome');
export const pendingQuery = defineQuery<string[]>('pending');
export const finishSignal = defineSignal('finish');
export const cancelSignal = defineSignal('cancel');

export async function approvalTestWorkflow(input: { userId: string; args: Record<string, unknown> }): Promise<ApprovalOutcome | 'cancelled'> {
  const desk = ApprovalDesk.install(input.userId, workflowInfo().workflowId);
  let outcome: ApprovalOutcome | undefined;
  let finished = false;
  const scope = new CancellationScope();
  setHandler(outcomeQuery, () => outcome);
  setHandler(pendingQuery, () => desk.pending);
  setHandler(finishSignal, () => void (finished = true));
  setHandler(cancelSignal, () => scope.cancel());
  try {
    outcome = await scope.run(() =>
      desk.request({ taskId: `task-${workflowInfo().workflowId}`, tool: 'gmail_send', args: input.args, preview: { kind: 'email', summary: 'Send an email' } }),
    );
  } catch (err) {
    if (!scope.consideredCancelled) throw err;
    // An answer still being recorded finishes, so its caller hears how it ended.
    await condition(allHandlersFinished);
    return 'cancelled';
  }
  await condition(() => finished);
  return outcome;
}
