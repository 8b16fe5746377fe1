// The step planner: what the assistant workflow does with one batch and the decision `think`
// returned for it. Plain TypeScript with no Temporal import, so every rule here (admission, the
// reply fallback, IDs, notification defaults, task rows, chat answers) is unit-tested on its own;
// the workflow only runs the activities and children the plan names, in the plan's order.
// IDs and time come in from the workflow, which takes them from its deterministic APIs.
import type { AuditEntryInput } from '../shared/audit';
import { agentWorkflowId, toolWorkflowId } from '../shared/ids';
import { reminderFireAt, type ReminderStart, reminderStart, reminderTitle } from '../shared/reminder-start';
import { searchAttributes } from '../shared/search-attributes';
import { followUpStart, type FollowUpStart, followUpTitle } from '../shared/follow-up-messages';
import { type CancelAction, cancelActionFor } from '../shared/task-cancel';
import { type AssistantEvent, type MessageRole, type NotificationInput, provenanceOf } from '../shared/types';
import { combine, describeProvenance, isTainted, type Provenance } from '../shared/provenance';
import type { WorkflowSettings } from '../shared/workflow-settings';
import type { AnswerApprovalArgs } from './assistant-tools';
import type { AssistantToolCall, AssistantToolCallOf, Decision } from './decision';
import type { ThinkInput } from './prompt';
import { type AssistantStateData, type ChatAnswer, describeEvent, type PendingCall, type WindowEntry } from './state';
import type { z } from 'zod';

type DurableCall = AssistantToolCallOf<'delegate_task' | 'set_reminder' | 'delegate_to_agent' | 'track_follow_up'>;
type InstantToolCall = AssistantToolCallOf<'cancel_task' | 'answer_approval'>;

/** How an accepted call is started. */
export type CallStart =
  | {
      kind: 'task_agent';
      input: { userId: string; taskId: string; title: string; instruction: string; settings: WorkflowSettings; provenance: Provenance };
      staticSummary: string;
      staticDetails: string;
      typedSearchAttributes: ReturnType<typeof searchAttributes>;
    }
  | { kind: 'reminder'; start: ReminderStart }
  | { kind: 'follow_up'; start: FollowUpStart }
  /** Signal-with-start through the `instructAgent` activity: the agent may already run. */
  | {
      kind: 'named_agent';
      input: {
        userId: string;
        name: string;
        settings: WorkflowSettings;
        instruction: { id: string; instruction: string; at: string; provenance: Provenance };
      };
    };

export interface AcceptedCall {
  callId: string;
  name: DurableCall['name'];
  title: string;
  /** The workflow that runs it (a named agent's is shared by its instructions). */
  workflowId: string;
  /** Recorded once the start succeeded. */
  pending: PendingCall;
  start: CallStart;
  /** Who the work is for: tainted unless the user asked in this step and the prompt held nothing untrusted. */
  provenance: Provenance;
}

export interface RefusedCall {
  name: string;
  reason: string;
}

export type InstantAction =
  | { kind: 'cancel'; cancel: CancelAction }
  /** `requestedAt`: the user's message; only an approval that existed before it can be answered. */
  | { kind: 'answer_approval'; input: { userId: string; requestedAt?: string } & z.infer<typeof AnswerApprovalArgs> }
  /** Nothing to run; the text is what the user is told. */
  | { kind: 'problem'; text: string };

export interface InstantCall {
  name: InstantToolCall['name'];
  action: InstantAction;
  /** ID of the event that tells the user if it did not work. */
  problemEventId: string;
}

/** The `deliver` activity's input: transcript rows, notifications and task rows of the step. */
export interface DeliverRequest {
  userId: string;
  messages: { id: string; role: MessageRole; text: string; at: string }[];
  notifications: { id: string; notification: NotificationInput }[];
  tasks: { id: string; tool: string; title: string; workflowId?: string }[];
  audit?: AuditEntryInput[];
}

export interface StepPlan {
  /** combine() of every event in the batch and every untrusted entry the prompt showed. */
  provenance: Provenance;
  /** The step's reply; the ID is kept even without text, as chat answers carry it. */
  reply: { id: string; text: string | null };
  /** Told to the model on its next step: rejected proposals and refused calls. */
  feedback: string[];
  accepted: AcceptedCall[];
  refused: RefusedCall[];
  instant: InstantCall[];
  deliver: DeliverRequest;
  /** Window entries of the step: the batch as events, then the reply. */
  remember: WindowEntry[];
  /** IDs of the user messages this step answers. */
  answering: string[];
  at: string;
}

export interface StepClock {
  stepNo: number;
  now: Date;
  /** A fresh call ID; called once per admitted call and never otherwise. */
  newId: () => string;
}

/** Rules that changed what a step runs; a workflow replaying an older history turns them off. */
export interface StepPolicy {
  /** answer_approval runs only in a step holding a user message. */
  approvalsNeedUserAct: boolean;
  /** cancel_task runs only in a step holding a user message: a mail cannot stop the user's work. */
  cancelsNeedUserAct: boolean;
}
export const CURRENT_POLICY: StepPolicy = { approvalsNeedUserAct: true, cancelsNeedUserAct: true };

/** What the model saw in the step: the batch and the recent window (the summary is not counted; see README). */
export function stepProvenance(window: readonly WindowEntry[], batch: readonly AssistantEvent[]): Provenance {
  return combine(...batch.map(provenanceOf), ...window.map((w) => w.provenance));
}

/**
 * The provenance of work a step starts. Without a user message nobody asked for it, so it is
 * tainted even when only a schedule or the assistant's own notes led to it.
 */
export function workProvenance(step: Provenance, batch: readonly AssistantEvent[]): Provenance {
  if (batch.some((e) => e.kind === 'user_message') || isTainted(step)) return step;
  return { origin: 'untrusted', sources: [] };
}

const INSTANT_TOOLS: ReadonlySet<string> = new Set<InstantToolCall['name']>(['cancel_task', 'answer_approval']);
const isInstant = (call: AssistantToolCall): call is InstantToolCall => INSTANT_TOOLS.has(call.name);

/** Call IDs the batch settles: results of tasks and fired reminders. */
export function settledCallIds(batch: AssistantEvent[]): string[] {
  return [
    ...batch.filter((e) => e.kind === 'tool_result' && e.callId).map((e) => e.callId!),
    ...batch.filter((e) => e.kind === 'reminder' && e.callId).map((e) => e.callId!),
  ];
}

export function thinkInput(state: Readonly<AssistantStateData>, batch: AssistantEvent[], feedback: string[], now: Date): ThinkInput {
  return { userId: state.userId, now: now.toISOString(), summary: state.summary, window: state.window, pending: state.pending, batch, feedback };
}

/** What the step does when `think` failed for good: say so, act on nothing. */
export function decisionAfterFailure(err: unknown): Decision {
  const e = err as Error & { cause?: Error };
  const reason = e.cause?.message ?? e.message;
  return { reply: `Sorry, I could not think this through (${reason}).`, notifications: [], toolCalls: [], rejected: [] };
}

export function titleOf(call: DurableCall): string {
  switch (call.name) {
    case 'delegate_to_agent':
      return `${call.args.name}: ${call.args.instruction.replace(/\s+/g, ' ').slice(0, 80)}`;
    case 'delegate_task':
      return call.args.title;
    case 'set_reminder':
      return reminderTitle(call.args.text);
    case 'track_follow_up':
      return followUpTitle(call.args);
  }
}

export function planStep(
  state: Readonly<AssistantStateData>,
  decision: Decision,
  batch: AssistantEvent[],
  settings: WorkflowSettings,
  { stepNo, now, newId }: StepClock,
  policy: StepPolicy = CURRENT_POLICY,
): StepPlan {
  const { userId } = state;
  const at = now.toISOString();
  const provenance = stepProvenance(state.window, batch);
  const work = workProvenance(provenance, batch);
  const userEvents = batch.filter((e) => e.kind === 'user_message');

  // Admission counts what runs already and what this step admits before it.
  const accepted: AcceptedCall[] = [];
  const refused: RefusedCall[] = [];
  for (const call of decision.toolCalls) {
    if (isInstant(call)) continue;
    if (state.pending.length + accepted.length >= settings.maxTasksPerUser) {
      refused.push({ name: call.name, reason: `${call.name} not started: ${settings.maxTasksPerUser} tasks are already running` });
      continue;
    }
    accepted.push(acceptCall(call, newId(), userId, settings, now, work));
  }
  // Only an explicit act of the user approves: a step that holds no user message (a mail, a task
  // result, a webhook) cannot answer an approval, whatever the model read there.
  const notices: { id: string; title: string; text: string }[] = [];
  const instant: InstantCall[] = [];
  decision.toolCalls.filter(isInstant).forEach((call, i) => {
    if (call.name === 'answer_approval' && policy.approvalsNeedUserAct && !userEvents.length) {
      const text =
        `I did not ${call.args.decision} approval ${call.args.approvalId} because the request came from ${describeProvenance(work)}, not from you. ` +
        'Answer it yourself in Approvals if you want it.';
      refused.push({ name: call.name, reason: `answer_approval refused: only the user can answer an approval, in their own message; this step held none` });
      notices.push({ id: `refusal:${userId}:${stepNo}:${i}`, title: 'An approval was not answered', text });
      return;
    }
    if (call.name === 'cancel_task' && policy.cancelsNeedUserAct && !userEvents.length) {
      const text =
        `I did not cancel task ${call.args.taskId} because the request came from ${describeProvenance(work)}, not from you. ` +
        'Cancel it yourself in Tasks if you want it stopped.';
      refused.push({ name: call.name, reason: `cancel_task refused: only the user can cancel a task, in their own message; this step held none` });
      notices.push({ id: `refusal:${userId}:${stepNo}:${i}`, title: 'A task was not cancelled', text });
      return;
    }
    instant.push({
      name: call.name,
      action: instantAction(call, state.pending, userId, userEvents[0]?.at),
      problemEventId: `instant:${userId}:${stepNo}:${i}`,
    });
  });

  const replyId = `reply:${userEvents[0]?.id ?? `step-${userId}-${stepNo}`}`;
  // A user message always gets an answer, even when the model only acted.
  const replyText =
    decision.reply ?? (userEvents.length ? (accepted.length ? `On it: ${accepted.map((a) => a.title).join('; ')}.` : 'Noted.') : null);

  return {
    provenance,
    reply: { id: replyId, text: replyText },
    feedback: [...decision.rejected, ...refused.map((r) => r.reason)],
    accepted,
    refused,
    instant,
    deliver: {
      userId,
      messages: [
        ...userEvents.map((e) => ({ id: `msg:${e.id}`, role: 'user' as const, text: e.text, at: e.at })),
        ...(replyText ? [{ id: replyId, role: 'assistant' as const, text: replyText, at }] : []),
        ...notices.map((n) => ({ id: n.id, role: 'assistant' as const, text: n.text, at })),
      ],
      notifications: [
        ...decision.notifications.map((n, i) => ({
          id: `note:${userId}:${stepNo}:${i}`,
          // A notification the model raised about an event points back at that event by default.
          notification: { ...n, source: n.source ?? batch[0]?.source ?? 'assistant', ref: n.ref ?? batch[0]?.ref },
        })),
        // Refusals are said by code, not left to the model: the user must hear that something tried.
        ...notices.map((n) => ({
          id: n.id,
          notification: { title: n.title, body: n.text, priority: 'high' as const, source: 'assistant', ref: batch[0]?.ref },
        })),
      ],
      tasks: accepted.map((a) => ({ id: a.callId, tool: a.name, title: a.title, workflowId: a.workflowId })),
      audit: auditOf(userId, stepNo, work, userEvents.length > 0, accepted, refused, instant),
    },
    // A reply written after reading untrusted content may repeat it, so it carries the taint too.
    remember: [
      ...batch.map(describeEvent),
      ...(replyText ? [{ role: 'assistant' as const, text: replyText, at, ...(isTainted(provenance) ? { provenance } : {}) }] : []),
    ],
    answering: userEvents.map((e) => e.id),
    at,
  };
}

/** The step's entries in the audit log: what it started, ran at once, and refused, and on whose word. */
function auditOf(
  userId: string,
  stepNo: number,
  provenance: Provenance,
  userAsked: boolean,
  accepted: readonly AcceptedCall[],
  refused: readonly RefusedCall[],
  instant: readonly InstantCall[],
): AuditEntryInput[] {
  const base = { userId, actor: userAsked ? 'user' : 'assistant', provenance };
  return [
    ...accepted.map((a) => ({ ...base, id: `step:${userId}:${stepNo}:start:${a.callId}`, action: a.name, outcome: 'done' as const, detail: `started: ${a.title}`, taskId: a.callId, workflowId: a.workflowId })),
    ...instant.map((c) => ({ ...base, id: `step:${userId}:${stepNo}:run:${c.problemEventId}`, action: c.name, outcome: 'done' as const, detail: instantDetail(c) })),
    ...refused.map((r, i) => ({ ...base, id: `step:${userId}:${stepNo}:refused:${i}`, action: r.name, outcome: 'refused' as const, detail: r.reason })),
  ];
}

function instantDetail(c: InstantCall): string {
  switch (c.action.kind) {
    case 'answer_approval':
      return `${c.action.input.decision} approval ${c.action.input.approvalId}`;
    case 'cancel':
      return `cancel ${c.action.cancel.workflowId}`;
    default:
      return c.action.text;
  }
}

function acceptCall(call: DurableCall, callId: string, userId: string, settings: WorkflowSettings, now: Date, provenance: Provenance): AcceptedCall {
  const title = titleOf(call);
  const ids = (workflowId: string) => ({
    workflowId,
    provenance,
    pending: { callId, name: call.name, title, workflowId, startedAt: now.toISOString() } satisfies PendingCall,
  });
  switch (call.name) {
    case 'delegate_task':
      return {
        callId,
        name: call.name,
        title,
        ...ids(toolWorkflowId(userId, callId)),
        start: {
          kind: 'task_agent',
          input: { userId, taskId: callId, title: call.args.title, instruction: call.args.instruction, settings, provenance },
          staticSummary: `Task: ${call.args.title}`,
          staticDetails: call.args.instruction,
          typedSearchAttributes: searchAttributes(userId, 'task'),
        },
      };
    case 'set_reminder': {
      const fireAt = reminderFireAt(call.args, now);
      const start = reminderStart({ userId, reminderId: callId, text: call.args.text, fireAt, provenance });
      return { callId, name: call.name, title, ...ids(start.options.workflowId), start: { kind: 'reminder', start } };
    }
    case 'track_follow_up': {
      const { threadId, contextId, people, deadline } = call.args;
      const start = followUpStart({ userId, taskId: callId, target: { threadId, contextId }, people, deadline });
      return { callId, name: call.name, title, ...ids(start.options.workflowId), start: { kind: 'follow_up', start } };
    }
    case 'delegate_to_agent':
      return {
        callId,
        name: call.name,
        title,
        ...ids(agentWorkflowId(userId, call.args.name)),
        start: {
          kind: 'named_agent',
          input: { userId, name: call.args.name, settings, instruction: { id: callId, instruction: call.args.instruction, at: now.toISOString(), provenance } },
        },
      };
  }
}

function instantAction(call: InstantToolCall, pending: readonly PendingCall[], userId: string, requestedAt: string | undefined): InstantAction {
  if (call.name === 'answer_approval') return { kind: 'answer_approval', input: { userId, ...call.args, ...(requestedAt ? { requestedAt } : {}) } };
  const { taskId } = call.args;
  const target = pending.find((p) => p.callId === taskId);
  const cancel = target && cancelActionFor({ id: target.callId, tool: target.name, workflowId: target.workflowId });
  return cancel ? { kind: 'cancel', cancel } : { kind: 'problem', text: `cancel_task: no running task ${taskId}` };
}

/** The event that tells the user an instant call they asked for did not work (the next step says so). */
export function instantProblemEvent(call: InstantCall, text: string, at: string): AssistantEvent {
  return { id: call.problemEventId, kind: 'system', priority: 'high', text, source: 'assistant', at };
}

export const instantFailure = (call: InstantCall, err: unknown) => `${call.name} failed: ${(err as Error).message}`;
export const startFailure = (call: AcceptedCall, err: unknown) => `${call.name} could not start: ${(err as Error).message}`;

/** The chat answers of the step, once the calls that did start are known. */
export function answersFor(plan: StepPlan, started: AcceptedCall[]): ChatAnswer[] {
  const toolCalls = started.map((a) => ({ callId: a.callId, name: a.name, title: a.title }));
  return plan.answering.map((id) => ({ id, reply: { id: plan.reply.id, text: plan.reply.text ?? '', at: plan.at }, toolCalls }));
}
