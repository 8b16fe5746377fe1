// The one bundle entry the worker loads.
export { assistantWorkflow } from './assistant';
export { reminderWorkflow } from './reminder';
export { taskAgentWorkflow } from './task-agent';
