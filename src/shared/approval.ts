// Approvals as both sides see them: the store, the HTTP API, the page and the agent workflows. The
// shapes, the answer's schema and the failure types an answer can meet; no logic and no I/O.
import { z } from 'zod';
import type { Provenance } from './provenance';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface ApprovalPreview {
  kind: 'email' | 'event' | 'other';
  to?: string;
  cc?: string;
  subject?: string;
  body?: string;
  start?: string;
  end?: string;
  title?: string;
  /** One line that says what will happen, e.g. `Send an email to dana@acme.example: "Q3 report"`. */
  summary: string;
}

/** An approval as stored and served (docs/api.md `Approval`). */
export interface Approval {
  id: string;
  userId: string;
  taskId: string;
  workflowId: string;
  tool: string;
  args: Record<string, unknown>;
  preview: ApprovalPreview;
  status: ApprovalStatus;
  reason?: string;
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  /** Where the action came from; absent on approvals recorded before provenance was kept. */
  provenance?: Provenance;
}

export const ApprovalAnswer = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }),
  z.object({ decision: z.literal('edit'), args: z.record(z.string(), z.unknown()) }),
  z.object({ decision: z.literal('reject'), reason: z.string().max(2000).optional() }),
]);
export type ApprovalAnswer = z.infer<typeof ApprovalAnswer>;

/** The input of the `approval` update on an agent workflow. */
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
