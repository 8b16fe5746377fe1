// The audit log's shape: every action Paprika took or refused, who or what asked for it, and why
// it was allowed. Written by activities and routes, served by GET /api/audit. No I/O here.
import type { Provenance } from './provenance';

export const AUDIT_OUTCOMES = ['done', 'refused', 'waiting_for_approval', 'approved', 'rejected', 'expired', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntryInput {
  /** Stable, derived from the workflow and call, so a retried write records nothing twice. */
  id: string;
  userId: string;
  /** What was (or would have been) done, e.g. `answer_approval`, `gmail_send`, `delegate_task`. */
  action: string;
  /** Who or what asked: `user`, `assistant`, `task:<id>`, `agent:<name>`, `api`. */
  actor: string;
  provenance: Provenance;
  outcome: AuditOutcome;
  /** One line a person reads: what and why (the refusal's reason, the approval's preview). */
  detail: string;
  approvalId?: string;
  taskId?: string;
  /** The Temporal workflow that acted, for a link to its run in the Temporal UI. */
  workflowId?: string;
  runId?: string;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  at: string;
}
