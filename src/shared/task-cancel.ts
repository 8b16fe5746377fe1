// How a running task is cancelled, whoever asks (the user from the page, or the assistant's
// cancel_task tool). A named agent outlives any one instruction, so only that instruction is
// cancelled by signal; a task agent or a reminder is its own workflow, so the workflow is
// cancelled. Either way the workflow reports the task back as cancelled.

/** The task as both callers know it: its ID (the call ID), the tool that started it, its workflow. */
export interface CancellableTask {
  id: string;
  tool: string;
  workflowId?: string;
}

export type CancelAction =
  /** Send `cancelInstructionSignal` with `{ id: instructionId }` to the named agent's workflow. */
  | { kind: 'cancel_instruction'; workflowId: string; instructionId: string }
  /** Request cancellation of the task's own workflow. */
  | { kind: 'cancel_workflow'; workflowId: string };

/** What to do to cancel the task, or undefined when it has no workflow to reach. */
export function cancelActionFor(task: CancellableTask): CancelAction | undefined {
  if (!task.workflowId) return undefined;
  if (task.tool === 'delegate_to_agent') return { kind: 'cancel_instruction', workflowId: task.workflowId, instructionId: task.id };
  return { kind: 'cancel_workflow', workflowId: task.workflowId };
}
