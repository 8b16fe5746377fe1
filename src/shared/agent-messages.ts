// Signals, updates and queries of the agent workflows (task and named), defined once and shared by
// the workflows (handlers) and the clients (server, activities) that send them.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Approval } from '../agents/approval';
import type { AgentInstruction, NamedAgentSnapshot } from '../agents/named-agent-state';

export type { AgentInstruction } from '../agents/named-agent-state';

export interface ApprovalUpdateInput {
  approvalId: string;
  decision: 'approve' | 'edit' | 'reject';
  /** For `edit`: the fields to change; merged over the proposed arguments. */
  args?: Record<string, unknown>;
  /** For `reject`: told to the agent. */
  reason?: string;
}

/** Failure types an approval update answers with; the HTTP layer maps them to 404, 409 and 400. */
export const APPROVAL_NOT_FOUND = 'ApprovalNotFound';
export const APPROVAL_CONFLICT = 'ApprovalConflict';
export const APPROVAL_BAD_ARGS = 'ApprovalBadArgs';

/** The user's answer to a pending approval; resolves with the approval as now stored. */
export const approvalUpdate = defineUpdate<Approval, [ApprovalUpdateInput]>('approval');

/** A new instruction for a named agent; queued, handled strictly one after another. */
export const instructSignal = defineSignal<[AgentInstruction]>('instruct');
/** Cancels one instruction (queued or running) without stopping the agent. */
export const cancelInstructionSignal = defineSignal<[{ id: string }]>('cancelInstruction');
export const agentStateQuery = defineQuery<NamedAgentSnapshot>('agentState');
