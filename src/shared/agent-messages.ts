// Signals, updates and queries of the agent workflows (task and named), with the shapes they carry,
// defined once and shared by the workflows (handlers) and the clients (server, activities) that
// send them.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Approval, ApprovalUpdateInput } from './approval';
import type { Provenance } from './provenance';


export interface AgentInstruction {
  /** The assistant's call ID: the task ID the user sees, and the dedupe key. */
  id: string;
  instruction: string;
  at: string;
  /** Who asked; instructions recorded before provenance was kept have none and count as untrusted. */
  provenance?: Provenance;
}

export interface AgentNote {
  at: string;
  text: string;
}

export interface AgentMemory {
  summary: string;
  notes: AgentNote[];
}

/** What the `agentState` query answers: the agent as the user sees it. */
export interface NamedAgentSnapshot {
  userId: string;
  name: string;
  current?: { id: string; instruction: string; since: string; details: string };
  queued: { id: string; instruction: string; at: string }[];
  memory: AgentMemory;
  stats: { handled: number; runs: number };
  pendingApprovals: string[];
}

/** The user's answer to a pending approval; resolves with the approval as now stored. */
export const approvalUpdate = defineUpdate<Approval, [ApprovalUpdateInput]>('approval');

/** A new instruction for a named agent; queued, handled strictly one after another. */
export const instructSignal = defineSignal<[AgentInstruction]>('instruct');
/** Cancels one instruction (queued or running) without stopping the agent. */
export const cancelInstructionSignal = defineSignal<[{ id: string }]>('cancelInstruction');
export const agentStateQuery = defineQuery<NamedAgentSnapshot>('agentState');
