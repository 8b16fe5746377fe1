// The one bundle entry the worker loads.
export { assistantWorkflow } from './assistant';
export { reminderWorkflow } from './reminder';
export { taskAgentWorkflow } from './task-agent';
export { feedWorkflow } from './feed';
export { briefingWorkflow } from './briefing';
export { profileWorkflow } from './profile';
export { calendarPollWorkflow, meetingPrepWorkflow } from './meeting-prep';
export { namedAgentWorkflow } from './named-agent';
export { pluginFeedWorkflow } from './plugin-feed';
export { retentionWorkflow } from './retention';
export { followUpWorkflow } from './follow-up';
export { gmailCatchupWorkflow } from './gmail-catchup';
