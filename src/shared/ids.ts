// Every workflow, schedule and update ID Paprika builds. They are derived, never random, so
// duplicates are rejected by Temporal itself and any process can find a user's workflows without a
// lookup table. Each is scoped by user (feed items by their source's own ID, which is unique).
export const assistantWorkflowId = (userId: string) => `assistant:${userId}`;
export const toolWorkflowId = (userId: string, callId: string) => `tool:${userId}:${callId}`;
export const agentWorkflowId = (userId: string, name: string) => `agent:${userId}:${name}`;
/** The prefix all of a user's named agents share (listing them). */
export const agentWorkflowIdPrefix = (userId: string) => agentWorkflowId(userId, '');
export const feedWorkflowId = (source: string, itemId: string) => `feed:${source}:${itemId}`;
export const meetingPrepWorkflowId = (userId: string, itemId: string) => `meeting-prep:${userId}:${itemId}`;

// Scheduled workflows: the Schedule's ID, and the ID each of its runs starts under (the server
// appends the run's time, so runs never collide).
export const briefingScheduleId = (userId: string) => `briefing:${userId}`;
export const briefingWorkflowId = (userId: string) => `briefing:${userId}`;
export const profileScheduleId = (userId: string) => `profile-refresh:${userId}`;
export const profileWorkflowId = (userId: string) => `profile:${userId}`;
export const calendarScheduleId = (userId: string) => `calendar-poll:${userId}`;
export const calendarPollWorkflowId = (userId: string) => `calendar-poll:${userId}`;

/** The profile built once on first launch. */
export const initialProfileWorkflowId = (userId: string) => `profile:${userId}:initial`;
/** The profile built from a mail import; `stamp` tells imports apart. */
export const importProfileWorkflowId = (userId: string, stamp: string) => `profile:${userId}:import-${stamp}`;

// Update IDs: the same request sent twice (a retried HTTP call) is one update.
export const chatUpdateId = (messageId: string) => `chat:${messageId}`;
export const approvalUpdateId = (a: { approvalId: string; decision: string; args?: unknown; reason?: string }) =>
  `approval:${a.approvalId}:${a.decision}:${JSON.stringify(a.args ?? {})}:${a.reason ?? ''}`.slice(0, 900);

/** The Schedule polling one plugin feed, and the workflow it starts (Temporal appends the time). */
export const pluginFeedScheduleId = (userId: string, plugin: string, feed: string) => `plugin-feed:${userId}:${plugin}:${feed}`;
export const pluginFeedWorkflowId = pluginFeedScheduleId;

/**
 * The follow-up watching one mail thread: `follow-up:<userId>:<threadKey>`. Thread IDs are the
 * provider's; a long one is replaced by a hash (FNV-1a, pure, as workflow code builds this too).
 */
export const followUpWorkflowId = (userId: string, threadId: string) => `follow-up:${userId}:${threadKey(threadId)}`;

function threadKey(threadId: string): string {
  if (threadId.length <= 100) return threadId;
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ threadId.length;
  for (let i = 0; i < threadId.length; i++) {
    const c = threadId.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return `h:${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}
