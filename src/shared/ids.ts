// Workflow IDs are derived, never random, so duplicates are rejected by Temporal itself and any
// process can find a user's workflows without a lookup table.
export const assistantWorkflowId = (userId: string) => `assistant:${userId}`;
export const toolWorkflowId = (userId: string, callId: string) => `tool:${userId}:${callId}`;
export const agentWorkflowId = (userId: string, name: string) => `agent:${userId}:${name}`;
export const feedWorkflowId = (source: string, itemId: string) => `feed:${source}:${itemId}`;
export const retentionWorkflowId = (userId: string) => `retention:${userId}`;
