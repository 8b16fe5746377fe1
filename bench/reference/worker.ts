// Starts the reference worker and the two reference measurements.
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { type NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './activities';
import { askUpdate, type bareOneActivityWorkflow, type bareUpdateWorkflow } from './workflows';

export const REFERENCE_QUEUE = 'bench-reference';

export async function startReferenceWorker(connection: NativeConnection): Promise<{ stop: () => Promise<void> }> {
  const worker = await Worker.create({ connection, taskQueue: REFERENCE_QUEUE, workflowsPath: require.resolve('./workflows'), activities });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}

/** One update-with-start round trip, as Paprika's chat does it. */
export function referenceChat(client: Client, workflowId: string, text: string): Promise<string> {
  return client.workflow.executeUpdateWithStart(askUpdate, {
    args: [text],
    startWorkflowOperation: new WithStartWorkflowOperation<typeof bareUpdateWorkflow>('bareUpdateWorkflow', {
      workflowId,
      taskQueue: REFERENCE_QUEUE,
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

export function referenceOneActivity(client: Client, workflowId: string): Promise<string> {
  return client.workflow.execute<typeof bareOneActivityWorkflow>('bareOneActivityWorkflow', { workflowId, taskQueue: REFERENCE_QUEUE, args: [workflowId] });
}
