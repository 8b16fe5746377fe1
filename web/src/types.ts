// Shapes of the HTTP API (docs/api.md). Core and approval types come from the server's own modules
// (type-only, so nothing of them reaches the bundle): a hand-written copy drifted once and hid an
// email's Cc from the approval the user signs off. The rest are written out from the contract.
import type { Approval, ApprovalAnswer } from '../../src/shared/approval';
import type { AuditEntry, AuditOutcome } from '../../src/shared/audit';
import type { NotificationView as Notification, Priority, TaskRecord, TranscriptMessage } from '../../src/shared/types';

export type { Approval, ApprovalAnswer as ApprovalDecision, AuditOutcome, Notification, Priority, TranscriptMessage };

/** An audit entry as GET /api/audit serves it: with a link to its run when a workflow acted. */
export type AuditEntryView = AuditEntry & { temporalUrl?: string };

type ShownPriority = Exclude<Priority, 'ignore'>;
export const SHOWN_PRIORITIES: ShownPriority[] = ['urgent', 'high', 'normal', 'low'];

export interface Health {
  ok: boolean;
  temporal: { reachable: boolean; address?: string; namespace?: string };
  worker: { reachable: boolean; taskQueue?: string };
  model: string;
  temporalUiUrl?: string;
}

export interface ChatAnswer {
  id: string;
  reply: TranscriptMessage;
  toolCalls: { callId: string; name: string; title: string }[];
}

export type Task = TaskRecord & { temporalUrl?: string };

export interface Fact {
  id: string;
  text: string;
  createdAt: string;
}

export interface Profile {
  name?: string;
  role?: string;
  organisation?: string;
  contacts?: string[];
  commitments?: string[];
  tone?: string;
}

export interface Settings {
  vips?: string[];
  muted?: string[];
  notifyThreshold?: Priority;
  briefingTime?: string;
  timezone?: string;
}

export interface SourceHealth {
  name: string;
  connected: boolean;
  healthy: boolean;
  detail?: string;
}
