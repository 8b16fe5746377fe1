// The one bundle entry the worker loads. The SDK gives every workflow its own copy of the modules
// it imports (module state must not leak between workflows), evaluated when the workflow starts or
// is replayed into the cache. So each export loads its own module on first call: a feed item
// evaluates the feed workflow's few small modules (~0.2 ms, ~35 KB), not the assistant's and the
// agents' graph with its zod schemas (~3.7 ms, ~850 KB). `npm run bench` measures the difference.
type Assistant = typeof import('./assistant');
type Reminder = typeof import('./reminder');
type TaskAgent = typeof import('./task-agent');
type Feed = typeof import('./feed');
type Briefing = typeof import('./briefing');
type Profile = typeof import('./profile');
type MeetingPrep = typeof import('./meeting-prep');
type NamedAgent = typeof import('./named-agent');
type PluginFeed = typeof import('./plugin-feed');
type Retention = typeof import('./retention');
type FollowUp = typeof import('./follow-up');
type GmailCatchup = typeof import('./gmail-catchup');

export const assistantWorkflow: Assistant['assistantWorkflow'] = (...a) => (require('./assistant') as Assistant).assistantWorkflow(...a);
export const reminderWorkflow: Reminder['reminderWorkflow'] = (...a) => (require('./reminder') as Reminder).reminderWorkflow(...a);
export const taskAgentWorkflow: TaskAgent['taskAgentWorkflow'] = (...a) => (require('./task-agent') as TaskAgent).taskAgentWorkflow(...a);
export const feedWorkflow: Feed['feedWorkflow'] = (...a) => (require('./feed') as Feed).feedWorkflow(...a);
export const briefingWorkflow: Briefing['briefingWorkflow'] = (...a) => (require('./briefing') as Briefing).briefingWorkflow(...a);
export const profileWorkflow: Profile['profileWorkflow'] = (...a) => (require('./profile') as Profile).profileWorkflow(...a);
export const calendarPollWorkflow: MeetingPrep['calendarPollWorkflow'] = (...a) => (require('./meeting-prep') as MeetingPrep).calendarPollWorkflow(...a);
export const meetingPrepWorkflow: MeetingPrep['meetingPrepWorkflow'] = (...a) => (require('./meeting-prep') as MeetingPrep).meetingPrepWorkflow(...a);
export const namedAgentWorkflow: NamedAgent['namedAgentWorkflow'] = (...a) => (require('./named-agent') as NamedAgent).namedAgentWorkflow(...a);
export const pluginFeedWorkflow: PluginFeed['pluginFeedWorkflow'] = (...a) => (require('./plugin-feed') as PluginFeed).pluginFeedWorkflow(...a);
export const retentionWorkflow: Retention['retentionWorkflow'] = (...a) => (require('./retention') as Retention).retentionWorkflow(...a);
export const followUpWorkflow: FollowUp['followUpWorkflow'] = (...a) => (require('./follow-up') as FollowUp).followUpWorkflow(...a);
export const gmailCatchupWorkflow: GmailCatchup['gmailCatchupWorkflow'] = (...a) => (require('./gmail-catchup') as GmailCatchup).gmailCatchupWorkflow(...a);
