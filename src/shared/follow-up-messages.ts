// The follow-up workflow's input, signals and query, and how it is started, defined once for the
// three places that start one (the assistant as a child, the side-effect hook and the API through
// the application client) and the feed that signals it.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { FollowUpData, FollowUpReply } from '../agents/follow-up';
import { followUpWorkflowId, toolWorkflowId } from './ids';
import { searchAttributes } from './search-attributes';

export interface FollowUpTarget {
  /** The mail thread; or */
  threadId?: string;
  /** a stored mail (its thread); or neither: the latest thread the user sent. */
  contextId?: string;
}

export interface FollowUpInput {
  userId: string;
  /** The task row the user sees (the assistant's call ID, or the workflow ID when a send started it). */
  taskId: string;
  target: FollowUpTarget;
  /** Who should answer; default: the recipients of the user's mail in the thread. */
  people?: string[];
  /** ISO time of the nudge; default: PAPRIKA_FOLLOW_UP_DAYS from the start. */
  deadline?: string;
}

/** A mail arrived in the thread (only the sender and time travel; the text stays in the store). */
export const followUpReplySignal = defineSignal<[FollowUpReply]>('reply');
/** The thread is resolved: stop waiting. */
/** The thread is settled; `from` names the mail's sender when a mail said so (no argument: the user). */
export const followUpResolveSignal = defineSignal<[{ from: string }?]>('resolve');
export const followUpStateQuery = defineQuery<FollowUpData | undefined>('followUpState');

/** By thread when it is known at the start, else by the call that asked for it. */
export function followUpStart(input: FollowUpInput) {
  const workflowId = input.target.threadId ? followUpWorkflowId(input.userId, input.target.threadId) : toolWorkflowId(input.userId, input.taskId);
  return {
    workflowType: 'followUpWorkflow' as const,
    options: {
      workflowId,
      args: [input] as [FollowUpInput],
      staticSummary: `Follow-up of ${input.target.threadId ? `thread ${input.target.threadId}` : input.target.contextId ? `mail ${input.target.contextId}` : 'the latest mail sent'}`,
      typedSearchAttributes: searchAttributes(input.userId, 'follow-up'),
    },
  };
}
export type FollowUpStart = ReturnType<typeof followUpStart>;

/** The task's title until the follow-up knows the thread's subject. */
export const followUpTitle = (t: FollowUpTarget): string =>
  `Follow-up: ${t.threadId ? `thread ${t.threadId}` : t.contextId ? `the thread of ${t.contextId}` : 'your latest mail'}`.slice(0, 120);
