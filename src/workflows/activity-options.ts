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

/**
 * The user's turn, thought about in the worker within the workflow task that took the message: no
 * activity task through the server, so the chat update is answered in that same workflow task. One
 * attempt, bounded by the chat deadline: a failure or a slow model falls back to `think` as an
 * activity (heartbeats, retries). The deadline's timer starts when that workflow task completes, so
 * a holding answer comes after the deadline plus this attempt (at most the deadline, and the core
 * completes a long-running task at 80% of its 10 s timeout).
 */
export function localUserTurn(settings: WorkflowSettings): LocalActivityOptions {
  return { startToCloseTimeout: `${Math.min(settings.chatDeadlineSeconds, settings.modelTimeoutSeconds + 30)} seconds`, retry: { maximumAttempts: 1 } };
}

/**
 * Folding the window into the summary before a user's turn, in the worker: as an activity it waited
 * for a free activity slot, and running tasks' agents can hold them all for as long as their model
 * calls take. The summary falls back to a clipped digest after a few model attempts, so it never fails.
 */
export function localFold(settings: WorkflowSettings): LocalActivityOptions {
  return { startToCloseTimeout: `${settings.modelTimeoutSeconds + 30} seconds`, retry: { maximumAttempts: 3, initialInterval: '1 second', maximumInterval: '5 seconds' } };
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

/**
 * Planning a tool call, and running it when it only reads, in the worker: as an activity each call
 * was one more activity task and workflow task through the server, about half of an agent step's
 * round trips. Reads are bounded by their own timeouts (a web page, a Composio call); the core keeps
 * the workflow task alive meanwhile, and a cancelled task aborts the call at once.
 */
export function localToolPlan(settings: WorkflowSettings): LocalActivityOptions {
  const { startToCloseTimeout, retry } = modelCall(settings);
  return { startToCloseTimeout, retry, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED };
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
/** A read within a chat turn: bounded by the turn's reading time; a failed read is an answer, not a retry loop. */
export function turnRead(settings: WorkflowSettings): ActivityOptions {
  return { startToCloseTimeout: `${settings.turnReadSeconds ?? 10} seconds`, heartbeatTimeout: HEARTBEAT, retry: { maximumAttempts: 2 } };
}

export const storeWrite: ActivityOptions = { startToCloseTimeout: '30 seconds' };

// Runs started before the knob existed carry settings without it.
const storeSeconds = (settings: Partial<WorkflowSettings>) => settings.activityTimeoutSeconds ?? 30;

/** A store write timed by PAPRIKA_ACTIVITY_TIMEOUT_SECONDS, for workflows that carry settings. */
export function storeWriteFor(settings: WorkflowSettings): ActivityOptions {
  return { startToCloseTimeout: `${storeSeconds(settings)} seconds` };
}

/** The same write run as a local activity, inside the workflow task that decided it. */
export const localStoreWrite: LocalActivityOptions = { startToCloseTimeout: '30 seconds' };

export function localStoreWriteFor(settings: WorkflowSettings): LocalActivityOptions {
  return { startToCloseTimeout: `${storeSeconds(settings)} seconds` };
}

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

/**
 * Distilling in the worker, within the feed workflow's first workflow task (no activity task through
 * the server). Without heartbeats, a killed worker's item is taken over when its workflow task times
 * out (10 s), sooner than the heartbeat timeout above.
 */
export const localDistil: LocalActivityOptions = { startToCloseTimeout: distil.startToCloseTimeout, retry: distil.retry };

/** Announcing a feed item to the assistant: retried until it lands, or the item is lost. */
export const feedAnnounce: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
};

/** The same announce in the worker, right after the local distil. */
export const localFeedAnnounce: LocalActivityOptions = { startToCloseTimeout: '30 seconds', retry: feedAnnounce.retry };

/**
 * Distil and announce as one local activity. Retried until it lands, as the announce alone was: the
 * distil's model attempts are bounded inside it (then the rules decide), and a refused item fails
 * at once (non-retryable), so only the store or Temporal being unreachable keeps it retrying.
 */
export const localFeedItem: LocalActivityOptions = { startToCloseTimeout: distil.startToCloseTimeout, retry: feedAnnounce.retry };

/** Building the profile reads a lot of mail; a few attempts, then the next schedule tries again. */
export const profileBuild: ActivityOptions = { startToCloseTimeout: '5 minutes', heartbeatTimeout: HEARTBEAT, retry: { maximumAttempts: 3 } };
