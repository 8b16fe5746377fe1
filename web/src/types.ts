// Shapes of the HTTP API (docs/api.md). Core types come from the server's own module (type-only,
// so nothing of it reaches the bundle); the later endpoints' shapes are written out from the contract.
import type { Notification, Priority, TaskRecord, TranscriptMessage } from '../../src/shared/types';

export type { Notification, Priority, TaskRecord, TranscriptMessage };

export type ShownPriority = Exclude<Priority, 'ignore'>;
export const SHOWN_PRIORITIES: ShownPriority[] = ['urgent', 'high', 'normal', 'low'];
export const ALL_PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low', 'ignore'];

export interface Health {
  ok: boolean;
  temporal: { reachable: boolean; address?: string; namespace?: string };
  worker: { reachable: boolean; taskQueue?: string };
  model: string;
  uiUrl?: string;
  temporalUiUrl?: string;
}

export interface ChatAnswer {
  id: string;
  reply: TranscriptMessage;
  toolCalls: { callId: string; name: string; title: string }[];
}

export type Task = TaskRecord & { temporalUrl?: string };

export interface ApprovalPreview {
  kind: 'email' | 'event' | 'other';
  to?: string;
  subject?: string;
  body?: string;
  start?: string;
  end?: string;
  title?: string;
  summary: string;
}

export interface Approval {
  id: string;
  taskId: string;
  tool: string;
  args: Record<string, unknown>;
  preview: ApprovalPreview;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  reason?: string;
  createdAt: string;
  expiresAt: string;
}

export type ApprovalDecision =
  | { decision: 'approve' }
  | { decision: 'edit'; args: Record<string, unknown> }
  | { decision: 'reject'; reason?: string };

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
