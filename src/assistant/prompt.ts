// Renders the bounded state of one step into chat messages. The prompt's size depends on the
// window size and batch size, never on how many events the assistant has seen in total.
import type { AssistantEvent } from '../shared/types';
import type { PendingCall, WindowEntry } from './state';
import { fenceUntrusted, UNTRUSTED_CONTENT_RULE } from '../triage/fence';
import { renderUserContext, type UserContext } from '../triage/user-context';
import { BUDGET_SPENT, type ReadDone, type TurnReadTool } from './turn-reads';

export interface ThinkInput {
  userId: string;
  now: string;
  summary: string;
  window: WindowEntry[];
  pending: PendingCall[];
  batch: AssistantEvent[];
  /** Problems with the previous step's tool calls. */
  feedback?: string[];
  /** Already fenced; when absent, `user` carries the profile. */
  profile?: string;
  /** Reading in this turn (absent outside a chat turn and in runs recorded before it). */
  turn?: { canRead: boolean; done: ReadDone[]; spent: boolean };
}

/** What the think activity adds from the store: the user's time, profile and facts, and the turn's read results. */
export interface PromptExtras {
  user?: UserContext;
  readResults?: { tool: TurnReadTool; args: Record<string, unknown>; text: string }[];
  spent?: boolean;
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export const SYSTEM_PROMPT = [
  'You are Paprika, a proactive personal assistant. You run in the background for one person:',
  'you see their messages, events from their feeds (mail, webhooks, schedules), reminders and the results of tasks you started.',
  'Each step you may reply in text (only when there is something to say to the user), and call tools:',
  'notify_user for things that need the user, delegate_task for longer jobs (they run in the background; results come back later),',
  'set_reminder for anything time-based, wait when nothing needs doing.',
  'When the user asks about their mail, calendar, stored documents or what you remember, and read tools (search_context, recall, gmail_search, gmail_read_thread, calendar_list_events) are offered, look it up yourself and answer in this reply; delegate only long or side-effecting work.',
  'Never claim a background task is finished before its result event arrives. Be brief.',
  'Feed events marked "already notified" were shown to the user as a notification by the feed itself: do not call notify_user for them again; act on them only when something more is needed.',
  UNTRUSTED_CONTENT_RULE,
].join('\n');

/** Feed workflows, the briefing and meeting prep write their own notification before signalling (ids `feed:…`). */
export function alreadyNotified(e: AssistantEvent): boolean {
  return e.kind === 'feed' && e.id.startsWith('feed:');
}

function renderEvent(e: AssistantEvent): string {
  if (e.kind === 'user_message') return `User (${e.at}): ${e.text}`;
  if (e.kind === 'tool_result') return `Result of task ${e.callId} (${e.status ?? 'completed'}):\n${fenceUntrusted('task result', e.text)}`;
  if (e.kind === 'feed')
    return `Feed event from ${e.source ?? 'unknown'} [priority ${e.priority}]${e.ref ? ` ref=${e.ref}` : ''}${alreadyNotified(e) ? ' (already notified)' : ''}:\n${fenceUntrusted(`${e.source ?? 'feed'} item`, e.text)}`;
  return `${e.kind} (${e.at}): ${e.text}`;
}

function renderWindow(entries: WindowEntry[]): string {
  return entries
    .map((w) => (w.role === 'event' ? `[${w.at}] event: ${fenceUntrusted('past event', w.text)}` : `[${w.at}] ${w.role}: ${w.text}`))
    .join('\n');
}

function renderReads(results: NonNullable<PromptExtras['readResults']>, spent: boolean): string {
  const shown = results.map((r, i) => `${i + 1}. ${r.tool} ${JSON.stringify(r.args)}:\n${fenceUntrusted(`${r.tool} result`, r.text)}`);
  return `What you have read in this turn:\n${shown.join('\n\n')}${spent ? `\n\n${BUDGET_SPENT}` : ''}`;
}

export function renderPrompt(input: ThinkInput, extras: PromptExtras = {}): ChatMessage[] {
  const context: string[] = extras.user
    ? [`User id: ${input.userId}.`, renderUserContext(extras.user)]
    : [`Now: ${input.now}. User id: ${input.userId}.`];
  if (input.profile) context.push(`About the user:\n${input.profile}`);
  if (input.summary) context.push(`Summary of earlier conversation and events:\n${input.summary}`);
  if (input.window.length) context.push(`Recent conversation and events:\n${renderWindow(input.window)}`);
  context.push(renderRunning(input.pending));
  if (input.feedback?.length) context.push(`Your previous tool calls had problems:\n${input.feedback.map((f) => `- ${f}`).join('\n')}`);
  const events = `New events:\n${input.batch.map(renderEvent).join('\n\n')}`;
  const reads = extras.readResults?.length || extras.spent ? `\n\n${renderReads(extras.readResults ?? [], extras.spent ?? false)}` : '';
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'system', content: context.join('\n\n') },
    { role: 'user', content: events + reads },
  ];
}

/** Running tasks shown in a prompt: the newest, so the prompt stays bounded however many run. */
export const RUNNING_SHOWN = 20;

function renderRunning(pending: ThinkInput['pending']): string {
  if (!pending.length) return 'No tasks are running.';
  const shown = pending.slice(-RUNNING_SHOWN);
  const older = pending.length - shown.length;
  const lines = shown.map((p) => `- ${p.callId}: ${p.name} "${p.title}" since ${p.startedAt}`);
  if (older) lines.push(`- and ${older} older task${older === 1 ? '' : 's'}, still running`);
  return `Tasks still running (do not start them again):\n${lines.join('\n')}`;
}
