// Cancelling a task from the API. A task agent's or a reminder's workflow is cancelled (the
// cancellation reaches a running activity through the next heartbeat); a named agent's instruction
// is cancelled by signal and the agent itself keeps running. Either way the workflow reports the
// task back as cancelled, to the store and to the assistant.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Hono } from 'hono';
import { cancelInstructionSignal } from '../../shared/agent-messages';
import type { ServerDeps } from '../deps';

export function taskCancelRoutes(app: Hono, { config, store, client }: ServerDeps): void {
  app.post('/api/tasks/:id/cancel', async (c) => {
    const task = store.tasks.get(c.req.param('id'));
    if (!task || task.userId !== config.userId) return c.json({ error: 'no such task' }, 404);
    if (task.status !== 'running' || !task.workflowId) return c.json({ error: `task is already ${task.status}` }, 409);
    const handle = client.workflow.getHandle(task.workflowId);
    try {
      if (task.tool === 'delegate_to_agent') await handle.signal(cancelInstructionSignal, { id: task.id });
      else await handle.cancel();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return c.json({ error: 'the task has already ended' }, 409);
      throw err;
    }
    return c.json({ ok: true });
  });
}
