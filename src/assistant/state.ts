// The assistant's state as plain data plus the operations on it: the priority queue, dedupe of
// event IDs, pending tool calls, the recent window and the running summary. No Temporal import:
// the workflow wires signals to these methods, and unit tests drive them directly.
import { type AssistantEvent, priorityRank, provenanceOf } from '../shared/types';
import { isTainted, type Provenance } from '../shared/provenance';
import { clip } from '../shared/text';

/** A tool call that was started and has not reported back yet. */
export interface PendingCall {
  callId: string;
  name: string;
  title: string;
  workflowId?: string;
  startedAt: string;
}

/** One line of the recent conversation the model sees. */
export interface WindowEntry {
  role: 'user' | 'assistant' | 'event';
  text: string;
  at: string;
  /** Present when the entry holds untrusted content: a later prompt that shows it is tainted by it. */
  provenance?: Provenance;
}

/** What a chat update returns. */
export interface ChatAnswer {
  id: string;
  reply: { id: string; text: string; at: string };
  toolCalls: { callId: string; name: string; title: string }[];
}

export interface AssistantStateData {
  userId: string;
  queue: AssistantEvent[];
  /** Event IDs already accepted, oldest first; bounded by SEEN_LIMIT. */
  seen: string[];
  pending: PendingCall[];
  summary: string;
  window: WindowEntry[];
  /** The answer per user message ID, so a retried chat returns the same answer. */
  answered: [string, ChatAnswer][];
  /** Counts carried over continue-as-new, for the query and for deterministic numbering. */
  stats: { events: number; steps: number; runs: number };
  /** Batches set aside while the model was down, to be thought about again at `until`. */
  deferred?: { events: AssistantEvent[]; until: string };
}

export const SEEN_LIMIT = 5000;
export const ANSWERED_LIMIT = 200;
/** Per entry cap, so one huge event cannot blow up the prompt. */
export const WINDOW_TEXT_LIMIT = 2000;
// A burst of feed items should cost a handful of model calls (the prompt stays bounded by the window
// and this cap), not one call per ten items.
export const MAX_BATCH = 25;
/** The cap before it, for runs whose history was written with it (replay). */
export const MAX_BATCH_BEFORE_25 = 10;

export function initialState(userId: string): AssistantStateData {
  return { userId, queue: [], seen: [], pending: [], summary: '', window: [], answered: [], stats: { events: 0, steps: 0, runs: 1 } };
}

export class AssistantState {
  private readonly seenSet: Set<string>;
  private readonly answeredMap: Map<string, ChatAnswer>;

  constructor(readonly data: AssistantStateData) {
    this.seenSet = new Set(data.seen);
    this.answeredMap = new Map(data.answered);
  }

  /** Accepts an event unless its ID was seen; returns whether it was accepted. */
  accept(event: AssistantEvent): boolean {
    if (this.seenSet.has(event.id)) return false;
    this.seenSet.add(event.id);
    this.data.seen.push(event.id);
    if (this.data.seen.length > SEEN_LIMIT) {
      for (const old of this.data.seen.splice(0, this.data.seen.length - SEEN_LIMIT)) this.seenSet.delete(old);
    }
    this.data.queue.push(event);
    this.data.stats.events++;
    return true;
  }

  hasSeen(id: string): boolean {
    return this.seenSet.has(id);
  }

  get queueLength(): number {
    return this.data.queue.length;
  }

  /**
   * Takes the next batch: user messages first, then by priority, oldest first within a priority.
   * User messages are answered one at a time so each chat update gets its own reply.
   */
  takeBatch(max = MAX_BATCH): AssistantEvent[] {
    const ranked = this.data.queue
      .map((e, i) => ({ e, i }))
      .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
      .map(({ e }) => e);
    const first = ranked[0];
    if (!first) return [];
    const batch = first.kind === 'user_message' ? [first] : ranked.filter((e) => e.kind !== 'user_message').slice(0, max);
    const taken = new Set(batch);
    this.data.queue = this.data.queue.filter((e) => !taken.has(e));
    return batch;
  }

  /** Whether a user message waits: a background step in flight yields to it. */
  get userWaiting(): boolean {
    return this.data.queue.some((e) => e.kind === 'user_message');
  }

  /**
   * Puts a preempted batch back at the front of the queue, as it was taken: its events were accepted
   * (and counted) once, and are neither lost nor seen twice.
   */
  requeue(batch: AssistantEvent[]): void {
    this.data.queue = [...batch, ...this.data.queue];
  }

  addPending(call: PendingCall): void {
    this.data.pending.push(call);
  }

  /** Removes and returns the pending call a result answers (undefined if unknown or already done). */
  resolvePending(callId: string): PendingCall | undefined {
    const idx = this.data.pending.findIndex((p) => p.callId === callId);
    if (idx < 0) return undefined;
    return this.data.pending.splice(idx, 1)[0];
  }

  remember(entry: WindowEntry): void {
    this.data.window.push({ ...entry, text: clip(entry.text, WINDOW_TEXT_LIMIT) });
  }

  /** The oldest entries to fold into the summary once the window exceeds `size`, or none. */
  overflow(size: number): WindowEntry[] {
    if (this.data.window.length <= size) return [];
    return this.data.window.slice(0, this.data.window.length - Math.ceil(size / 2));
  }

  /** Replaces the folded entries by the new summary. */
  fold(folded: number, summary: string): void {
    this.data.window.splice(0, folded);
    this.data.summary = summary;
  }

  recordAnswer(messageId: string, answer: ChatAnswer): void {
    this.answeredMap.set(messageId, answer);
    this.data.answered.push([messageId, answer]);
    if (this.data.answered.length > ANSWERED_LIMIT) {
      for (const [old] of this.data.answered.splice(0, this.data.answered.length - ANSWERED_LIMIT)) this.answeredMap.delete(old);
    }
  }

  answerFor(messageId: string): ChatAnswer | undefined {
    return this.answeredMap.get(messageId);
  }

  /** Sets a batch aside until the model is back; IDs stay seen, so a redelivery is still a duplicate. */
  defer(events: AssistantEvent[], until: string): void {
    const kept = this.data.deferred?.events ?? [];
    const later = this.data.deferred && this.data.deferred.until > until ? this.data.deferred.until : until;
    this.data.deferred = { events: [...kept, ...events], until: later };
  }

  /** Puts the deferred events back in the queue (their IDs were seen already, so accept() would drop them). */
  releaseDeferred(): number {
    const events = this.data.deferred?.events ?? [];
    delete this.data.deferred;
    this.data.queue.push(...events);
    return events.length;
  }
}

/** A batch nobody waits on (feed items, tool results, reminders): its thinking may be preempted by a user message. */
export function isBackground(batch: readonly AssistantEvent[]): boolean {
  return !batch.some((e) => e.kind === 'user_message');
}

function rank(e: AssistantEvent): number {
  return e.kind === 'user_message' ? -1 : priorityRank(e.priority);
}

/** How an event reads in the window (tool results and feed items are attributed, not quoted as the user). */
export function describeEvent(e: AssistantEvent): WindowEntry {
  if (e.kind === 'user_message') return { role: 'user', text: e.text, at: e.at };
  const provenance = provenanceOf(e);
  const label =
    e.kind === 'tool_result'
      ? `tool result ${e.callId ?? ''} (${e.status ?? 'completed'})`
      : e.kind === 'feed'
        ? `feed ${e.source ?? ''} [${e.priority}]`
        : e.kind;
  return { role: 'event', text: `${label}: ${e.text}`, at: e.at, ...(isTainted(provenance) ? { provenance } : {}) };
}
