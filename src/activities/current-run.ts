// The workflow run an activity works for, for the audit log's link to the Temporal UI.
import { Context } from '@temporalio/activity';

export function currentRun(): { workflowId?: string; runId?: string } {
  try {
    const run = Context.current().info.workflowExecution;
    return run ? { workflowId: run.workflowId, runId: run.runId } : {};
  } catch {
    return {}; // outside an activity (unit tests, scripts)
  }
}
