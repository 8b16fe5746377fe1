// Activity options of every workflow, named by the kind of work, so one kind of activity is
// timed and retried the same way wherever it runs. Every activity heartbeats while it runs
// (activities/heartbeat.ts heartbeatingAll), so every set carries a heartbeat timeout: a killed
// worker delays an activity by that timeout (~30 s), never by its start-to-close timeout.
import { ActivityCancellationType, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { WorkflowSettings } from '../shared/workflow-settings';

/** For option sets built without the user's settings (feeds, schedules, approvals). */
const HEARTBEAT = '30 seconds';

/** A model call (think, summarize, an agent's step): bounded by the model's own timeout. */
export function modelCall(settings: WorkflowSettings): ActivityOptions {
  return {
    startToCloseTimeout: `${settings.modelTimeoutSeconds + 30} seconds`,
    heartbeatTimeout: `${settings.heartbeatTimeoutSeconds} seconds`,
    retry: { maximumAttempts: 6, initialInterval: '1 second', maximumInterval: '30 seconds' },
  };
}

/** Kept as a name for the call sites that say they rely on the heartbeat; modelCall heartbeats too. */
export const heartbeatingModelCall = modelCall;

/**
 * An agent's step or tool run: a cancelled task ends only once its running step has stopped (the
 * cancellation reaches the activity on its next heartbeat and aborts its model request or tool call).
 */
export function cancellableAgentStep(settings: WorkflowSettings): ActivityOptions {
  return { ...modelCall(settings), cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED };
}

/** A side effect: retrying is safe, as the ledger returns a recorded outcome instead of acting again. */
export function sideEffect(settings: WorkflowSettings): ActivityOptions {
  return {
    startToCloseTimeout: `${settings.modelTimeoutSeconds + 30} seconds`,
    heartbeatTimeout: `${settings.heartbeatTimeoutSeconds} seconds`,
    retry: { maximumAttempts: 10, initialInterval: '1 second', maximumInterval: '30 seconds' },
  };
}

/** A write to the store (transcript, notifications, task rows): quick and idempotent. */
export const storeWrite: ActivityOptions = { startToCloseTimeout: '30 seconds' };

/** The same write run as a local activity, inside the workflow task that decided it. */
export const localStoreWrite: LocalActivityOptions = { startToCloseTimeout: '30 seconds' };

/** A short write that also reaches Temporal (instructing an agent, answering an approval). */
export const temporalCall: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '10 seconds' },
};

/** The approval records: must not be lost, so retried long. */
export const approvalRecord: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, initialInterval: '1 second', maximumInterval: '30 seconds' },
};

/** The reminder's own writes. */
export const reminderWrite: ActivityOptions = { startToCloseTimeout: '30 seconds' };

/** A scheduled job's gathering and announcing (briefing, meeting prep): may reach Composio or the model. */
export const scheduledJob: ActivityOptions = { startToCloseTimeout: '1 minute', heartbeatTimeout: HEARTBEAT, retry: { maximumAttempts: 5 } };

/**
 * Distilling a feed item: rules take milliseconds; a model call is bounded by the model client's
 * timeout, and the heartbeat timeout hands a killed worker's item to another within ~30 s.
 */
export const distil: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT,
  retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '30 seconds' },
};

/** Announcing a feed item to the assistant: retried until it lands, or the item is lost. */
export const feedAnnounce: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
};

/** Building the profile reads a lot of mail; a few attempts, then the next schedule tries again. */
export const profileBuild: ActivityOptions = { startToCloseTimeout: '5 minutes', heartbeatTimeout: HEARTBEAT, retry: { maximumAttempts: 3 } };
