// Signals, updates and queries of the assistant workflow, defined once and shared by the
// workflow (handlers) and the clients (server, feeds, children) that send them.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ChatAnswer, PendingCall } from '../assistant/state';
import type { AssistantEventInput } from './types';

export interface ChatInput {
  /** Idempotency key: a retried request with the same id gets the same answer. */
  id: string;
  message: string;
}

export interface AssistantSnapshot {
  userId: string;
  queued: { id: string; kind: string; priority: string }[];
  pending: PendingCall[];
  summary: string;
  windowLength: number;
  seenCount: number;
  stats: { events: number; steps: number; runs: number };
}

/** Everything that happens: feed items, tool results, reminders. */
export const eventSignal = defineSignal<[AssistantEventInput]>('event');
/** A user message; resolves with the assistant's reply to it. */
export const chatUpdate = defineUpdate<ChatAnswer, [ChatInput]>('chat');
export const stateQuery = defineQuery<AssistantSnapshot>('state');
/**
 * The answer recorded for a user message, if any. A chat past its deadline got a holding answer,
 * and Temporal returns that same result to a retry with the same update ID; this gives the real one.
 */
export const answerQuery = defineQuery<ChatAnswer | null, [string]>('answer');
