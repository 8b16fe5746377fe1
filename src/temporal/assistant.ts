// The client side of the assistant workflow: starting it on first use, chatting, sending events.
import { type Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Config } from '../config';
import type { ChatAnswer } from '../assistant/state';
import { assistantWorkflowId, chatUpdateId } from '../shared/ids';
import { searchAttributes } from '../shared/search-attributes';
import type { AssistantEventInput } from '../shared/types';
import type { assistantWorkflow } from '../workflows/assistant';
import { answerQuery, chatUpdate, eventSignal, stateQuery, type AssistantSnapshot } from '../shared/assistant-messages';
import { isHoldingAnswer } from '../shared/holding-answer';
import type { WorkflowSettings } from '../shared/workflow-settings';
import { type Failure, fail } from './result';

export type ChatResult = { ok: true; answer: ChatAnswer } | Failure;

export function workflowSettings(config: Config): WorkflowSettings {
  return {
    windowSize: config.limits.windowSize,
    agentMaxSteps: config.limits.agentMaxSteps,
    maxTasksPerUser: config.limits.maxTasksPerUser,
    taskTimeoutMinutes: config.limits.taskTimeoutMinutes,
    heartbeatTimeoutSeconds: config.limits.heartbeatTimeoutSeconds,
    modelTimeoutSeconds: config.model.timeoutSeconds,
    chatDeadlineSeconds: config.limits.chatDeadlineSeconds,
    batchSize: config.limits.batchSize,
    queueMax: config.limits.queueMax,
    activityTimeoutSeconds: config.limits.activityTimeoutSeconds,
    turnReads: config.limits.turnReads,
    turnReadSeconds: config.limits.turnReadSeconds,
    backgroundQuietSeconds: config.limits.backgroundQuietSeconds,
  };
}

function startOptions(config: Config, userId: string) {
  return {
    workflowId: assistantWorkflowId(userId),
    taskQueue: config.temporal.taskQueue,
    args: [{ userId, settings: workflowSettings(config) }] as Parameters<typeof assistantWorkflow>,
    typedSearchAttributes: searchAttributes(userId, 'assistant'),
    staticSummary: `Assistant of ${userId}`,
  };
}

export class AssistantClient {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
  ) {}

  /** Sends a user message and waits for the reply; starts the assistant if it is not running. */
  async chat(userId: string, id: string, message: string): Promise<ChatResult> {
    try {
      const answer = await this.client.workflow.executeUpdateWithStart(chatUpdate, {
        args: [{ id, message }],
        updateId: chatUpdateId(id),
        startWorkflowOperation: new WithStartWorkflowOperation<typeof assistantWorkflow>('assistantWorkflow', {
          ...startOptions(this.config, userId),
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      if (!isHoldingAnswer(answer)) return { ok: true, answer };
      // Past the deadline (or a retry of a request that was): the real answer, once there is one.
      const recorded = await this.client.workflow.getHandle(assistantWorkflowId(userId)).query(answerQuery, id);
      return { ok: true, answer: recorded ?? answer };
    } catch (err) {
      // The update's validator refused the message: nothing was enqueued, the caller can fix it.
      if (err instanceof WorkflowUpdateFailedError) return fail('bad_args', (err.cause as Error | undefined)?.message ?? err.message);
      throw err;
    }
  }

  /** Delivers an event (signal-with-start), so nothing is lost when the assistant is not running yet. */
  async sendEvent(userId: string, event: AssistantEventInput): Promise<void> {
    await this.client.workflow.signalWithStart<typeof assistantWorkflow, [AssistantEventInput]>('assistantWorkflow', {
      ...startOptions(this.config, userId),
      signal: eventSignal,
      signalArgs: [event],
    });
  }

  async snapshot(userId: string): Promise<AssistantSnapshot> {
    return this.client.workflow.getHandle(assistantWorkflowId(userId)).query(stateQuery);
  }
}
