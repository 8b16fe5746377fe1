// The one bundle entry the worker loads. The SDK gives every workflow its own copy of the modules
// it imports (module state must not leak between workflows), evaluated when the workflow starts or
// is replayed into the cache. So each export loads its own module on first call: a feed item
// evaluates the feed workflow's few small modules (~0.2 ms, ~35 KB), not the assistant's and the
// agents' graph with its zod schemas (~3.7 ms, ~850 KB). `npm run bench` measures the difference.

/** `name` from the module `load` returns, loaded when the workflow first runs (webpack needs each `require` spelled out). */
function lazy<M, K extends keyof M>(load: () => M, name: K): M[K] {
  return ((...args: unknown[]) => (load()[name] as (...a: unknown[]) => unknown)(...args)) as M[K];
}

export const assistantWorkflow = lazy(() => require('./assistant') as typeof import('./assistant'), 'assistantWorkflow');
export const reminderWorkflow = lazy(() => require('./reminder') as typeof import('./reminder'), 'reminderWorkflow');
export const taskAgentWorkflow = lazy(() => require('./task-agent') as typeof import('./task-agent'), 'taskAgentWorkflow');
export const feedWorkflow = lazy(() => require('./feed') as typeof import('./feed'), 'feedWorkflow');
export const briefingWorkflow = lazy(() => require('./briefing') as typeof import('./briefing'), 'briefingWorkflow');
export const profileWorkflow = lazy(() => require('./profile') as typeof import('./profile'), 'profileWorkflow');
export const calendarPollWorkflow = lazy(() => require('./meeting-prep') as typeof import('./meeting-prep'), 'calendarPollWorkflow');
export const meetingPrepWorkflow = lazy(() => require('./meeting-prep') as typeof import('./meeting-prep'), 'meetingPrepWorkflow');
export const namedAgentWorkflow = lazy(() => require('./named-agent') as typeof import('./named-agent'), 'namedAgentWorkflow');
export const pluginFeedWorkflow = lazy(() => require('./plugin-feed') as typeof import('./plugin-feed'), 'pluginFeedWorkflow');
export const retentionWorkflow = lazy(() => require('./retention') as typeof import('./retention'), 'retentionWorkflow');
export const followUpWorkflow = lazy(() => require('./follow-up') as typeof import('./follow-up'), 'followUpWorkflow');
export const gmailCatchupWorkflow = lazy(() => require('./gmail-catchup') as typeof import('./gmail-catchup'), 'gmailCatchupWorkflow');
