// Reading in the turn: the assistant may look things up (stored mail and notes, memory, the
// mailbox, the calendar) before it answers, so "what did Dana say about the budget?" is answered
// in the same chat reply instead of becoming a background task. Reads are bounded per turn (count
// and time); once the budget is spent the model must answer or delegate. Plain TypeScript with no
// Temporal import: the workflow runs what `nextReads` says.
import type { Provenance } from '../shared/provenance';
import type { AssistantEvent } from '../shared/types';
import type { WorkflowSettings } from '../shared/workflow-settings';

/** The read-only agent tools the assistant may call itself; all have effect 'read' in the tool registry. */
export const TURN_READ_TOOLS = ['search_context', 'recall', 'gmail_search', 'gmail_read_thread', 'calendar_list_events'] as const;
export type TurnReadTool = (typeof TURN_READ_TOOLS)[number];
export const isTurnReadTool = (name: string): name is TurnReadTool => (TURN_READ_TOOLS as readonly string[]).includes(name);

/** A read the model asked for, with arguments checked by the agent tool's own schema in the activity. */
export interface ReadCall {
  tool: TurnReadTool;
  args: Record<string, unknown>;
}

/** A read that ran: its text stays in the store under (transcript, index); only this travels. */
export interface ReadDone {
  tool: TurnReadTool;
  args: Record<string, unknown>;
  transcript: string;
  index: number;
  chars: number;
}

export interface ReadBudget {
  maxReads: number;
  maxMs: number;
}

export function readBudget(settings: Partial<WorkflowSettings>): ReadBudget {
  return { maxReads: settings.turnReads ?? 4, maxMs: (settings.turnReadSeconds ?? 10) * 1000 };
}

/** Only the user's own turn reads: a mail or a webhook does not get to make the assistant search. */
export const mayRead = (batch: readonly AssistantEvent[]): boolean => batch.some((e) => e.kind === 'user_message');

/** Where the step's reads are stored, one transcript per step. */
export const turnTranscript = (userId: string, stepNo: number) => `turn:${userId}:${stepNo}`;

export type ReadStep =
  /** The model is done reading: act on its decision. */
  | { kind: 'act' }
  /** Run these reads (already cut to what the budget allows), then think again. */
  | { kind: 'read'; calls: ReadCall[] }
  /** It asked for more, but the budget is spent: think once more without read tools. */
  | { kind: 'exhausted' };

/** Reads count once run; time counts from the start of the step (the first think included). */
export const budgetSpent = (done: number, elapsedMs: number, budget: ReadBudget): boolean => done >= budget.maxReads || elapsedMs >= budget.maxMs;

/** `allowed`: see `mayRead`; reads asked for outside a chat turn are dropped by `withoutReads`. */
export function nextReads(asked: readonly ReadCall[], done: number, elapsedMs: number, budget: ReadBudget, allowed = true): ReadStep {
  if (!asked.length || !allowed) return { kind: 'act' };
  if (budgetSpent(done, elapsedMs, budget)) return { kind: 'exhausted' };
  return { kind: 'read', calls: asked.slice(0, budget.maxReads - done) };
}

/** The decision the step acts on: reads it still asked for are not run, and the model hears why. */
export function withoutReads<D extends { reads?: ReadCall[]; rejected: string[] }>(decision: D, why = 'the reading budget of this turn was spent'): D {
  if (!decision.reads?.length) return decision;
  return { ...decision, reads: [], rejected: [...decision.rejected, ...decision.reads.map((r) => `${r.tool} not run: ${why}`)] };
}

/** What the model is told once reading is over. */
export const BUDGET_SPENT =
  'Your reading budget for this turn is spent: answer now with what you found, or delegate_task for longer research.';

/**
 * Everything read comes from outside or could have been written by it (mail, calendar invites,
 * stored pages, facts a tainted agent remembered), so a step that read is tainted.
 */
export function readProvenance(reads: readonly ReadDone[]): Provenance | undefined {
  if (!reads.length) return undefined;
  return {
    origin: 'untrusted',
    sources: reads.slice(0, 5).map((r) => ({
      kind: r.tool === 'recall' ? ('memory' as const) : r.tool.startsWith('calendar') ? ('calendar' as const) : ('mail' as const),
      ref: `${r.tool}:${JSON.stringify(r.args).slice(0, 200)}`,
    })),
  };
}
