// The assistant workflow: one per user, long-lived. Handlers only enqueue; the main loop takes a
// batch, thinks once, delivers, and starts tool calls as child workflows it never awaits.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { AnswerApprovalArgs, CancelTaskArgs, DelegateTaskArgs, DelegateToAgentArgs, SetReminderArgs } from '../assistant/assistant-tools';
import type { Decision, ProposedCall } from '../assistant/decision';
import {
  AssistantState,
  type AssistantStateData,
  type ChatAnswer,
  describeEvent,
  initialState,
  type PendingCall,
} from '../assistant/state';
import { agentWorkflowId, toolWorkflowId } from '../shared/ids';
import { searchAttributes } from '../shared/search-attributes';
import { AssistantEvent, type AssistantEvent as Event } from '../shared/types';
import { cancelInstructionSignal } from '../shared/agent-messages';
import { chatUpdate, eventSignal, stateQuery } from '../shared/assistant-messages';
import { reminderWorkflow } from './reminder';
import { DEFAULT_WORKFLOW_SETTINGS, type WorkflowSettings } from '../shared/workflow-settings';
import { taskAgentWorkflow } from './task-agent';

export interface AssistantInput {
  userId: string;
  settings?: WorkflowSettings;
  /** Present after continue-as-new. */
  state?: AssistantStateData;
  feedback?: string[];
}

/** Tools that act within the step and start nothing durable (no task row, no pending call). */
const INSTANT_TOOLS = new Set(['cancel_task', 'answer_approval']);

export async function assistantWorkflow(input: AssistantInput): Promise<void> {
  const settings = { ...DEFAULT_WORKFLOW_SETTINGS, ...input.settings };
  const { userId } = input;
  const state = new AssistantState(input.state ?? initialState(userId));
  if (input.state) state.data.stats.runs++;
  let feedback = input.feedback ?? [];

  const { think, summarize } = proxyActivities<Activities>({
    startToCloseTimeout: `${settings.modelTimeoutSeconds + 30} seconds`,
    heartbeatTimeout: `${settings.heartbeatTimeoutSeconds} seconds`,
    retry: { maximumAttempts: 6, initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  const { deliver } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });
  const { instructAgent, answerApproval } = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '10 seconds' },
  });

  setHandler(eventSignal, (raw) => {
    const parsed = AssistantEvent.safeParse(raw);
    if (!parsed.success) {
      log.warn('dropped a malformed event', { issues: parsed.error.issues.map((i) => i.message) });
      return;
    }
    state.accept(parsed.data);
  });

  setHandler(
    chatUpdate,
    async ({ id, message }) => {
      if (!state.hasSeen(id)) {
        state.accept({ id, kind: 'user_message', priority: 'urgent', text: message.trim(), at: new Date().toISOString() });
      }
      await condition(() => state.answerFor(id) !== undefined);
      return state.answerFor(id)!;
    },
    {
      validator: ({ id, message }) => {
        if (typeof id !== 'string' || !id || id.length > 200) throw new Error('id must be a non-empty string of at most 200 characters');
        if (typeof message !== 'string' || !message.trim()) throw new Error('message must be a non-empty string');
        if (message.length > 8000) throw new Error('message is longer than 8000 characters');
      },
    },
  );

  setHandler(stateQuery, () => ({
    userId,
    queued: state.data.queue.map((e) => ({ id: e.id, kind: e.kind, priority: e.priority })),
    pending: state.data.pending,
    summary: state.data.summary,
    windowLength: state.data.window.length,
    seenCount: state.data.seen.length,
    stats: state.data.stats,
  }));

  async function startCall(call: ProposedCall, callId: string, now: Date): Promise<PendingCall> {
    const workflowId = toolWorkflowId(userId, callId);
    const common = {
      workflowId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
    };
    if (call.name === 'delegate_task') {
      const args = DelegateTaskArgs.parse(call.args);
      await startChild(taskAgentWorkflow, {
        ...common,
        args: [{ userId, taskId: callId, title: args.title, instruction: args.instruction, settings }],
        staticSummary: `Task: ${args.title}`,
        staticDetails: args.instruction,
        typedSearchAttributes: searchAttributes(userId, 'task'),
        // No execution timeout: the agent enforces its working deadline itself (and reports it), and
        // time spent waiting for the user's approval is bounded by the approval's own expiry.
      });
      return { callId, name: call.name, title: titleOf(call), workflowId, startedAt: now.toISOString() };
    }
    if (call.name === 'set_reminder') {
      const args = SetReminderArgs.parse(call.args);
      const fireAt = args.at ?? new Date(now.getTime() + (args.inMinutes ?? 0) * 60_000).toISOString();
      await startChild(reminderWorkflow, {
        ...common,
        args: [{ userId, reminderId: callId, text: args.text, fireAt }],
        staticSummary: `Reminder at ${fireAt}: ${args.text}`,
        typedSearchAttributes: searchAttributes(userId, 'reminder'),
      });
      return { callId, name: call.name, title: titleOf(call), workflowId, startedAt: now.toISOString() };
    }
    if (call.name === 'delegate_to_agent') {
      const args = DelegateToAgentArgs.parse(call.args);
      // Signal-with-start from an activity: a workflow cannot signal-with-start, and the agent may already run.
      await instructAgent({ userId, name: args.name, settings, instruction: { id: callId, instruction: args.instruction, at: now.toISOString() } });
      return { callId, name: call.name, title: titleOf(call), workflowId: agentWorkflowId(userId, args.name), startedAt: now.toISOString() };
    }
    throw ApplicationFailure.nonRetryable(`no child workflow for tool ${call.name}`);
  }

  /** Tools that act at once and start nothing durable; returns a problem to tell the user about, if any. */
  async function runInstant(call: ProposedCall): Promise<string | undefined> {
    if (call.name === 'cancel_task') {
      const { taskId } = CancelTaskArgs.parse(call.args);
      const target = state.data.pending.find((p) => p.callId === taskId);
      if (!target?.workflowId) return `cancel_task: no running task ${taskId}`;
      const handle = getExternalWorkflowHandle(target.workflowId);
      // A named agent keeps running; only this instruction stops. A task agent is cancelled whole.
      if (target.name === 'delegate_to_agent') await handle.signal(cancelInstructionSignal, { id: taskId });
      else await handle.cancel();
      return undefined;
    }
    if (call.name === 'answer_approval') {
      const args = AnswerApprovalArgs.parse(call.args);
      const res = await answerApproval({ userId, ...args });
      return res.ok ? undefined : res.text;
    }
    return `${call.name} is not an instant tool`;
  }

  function titleOf(call: ProposedCall): string {
    const args = call.args as { title?: string; text?: string; name?: string; instruction?: string };
    if (call.name === 'delegate_to_agent') return `${String(args.name)}: ${String(args.instruction ?? '').replace(/\s+/g, ' ').slice(0, 80)}`;
    return call.name === 'delegate_task' ? String(args.title ?? 'task') : `Reminder: ${String(args.text ?? '')}`;
  }

  async function step(batch: Event[]): Promise<void> {
    const stepNo = ++state.data.stats.steps;
    const now = new Date();
    for (const e of batch) if (e.kind === 'tool_result' && e.callId) state.resolvePending(e.callId);
    for (const e of batch) if (e.kind === 'reminder' && e.callId) state.resolvePending(e.callId);

    const overflow = state.overflow(settings.windowSize);
    if (overflow.length) {
      const summary = await summarize.executeWithOptions({ summary: `fold ${overflow.length} entries into the summary` }, [
        { summary: state.data.summary, entries: overflow },
      ]);
      state.fold(overflow.length, summary);
    }

    let decision: Decision;
    try {
      decision = await think.executeWithOptions({ summary: `step ${stepNo}: ${batch.map((e) => e.kind).join(', ')}` }, [
        {
          userId,
          now: now.toISOString(),
          summary: state.data.summary,
          window: state.data.window,
          pending: state.data.pending,
          batch,
          feedback,
        },
      ]);
    } catch (err) {
      const reason = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      decision = { reply: `Sorry, I could not think this through (${reason}).`, notifications: [], toolCalls: [], rejected: [] };
    }
    feedback = [...decision.rejected];
    for (const e of batch) state.remember(describeEvent(e));

    // Allocate IDs and admission first, so the task rows exist before any child can finish.
    const accepted: { call: ProposedCall; callId: string }[] = [];
    const instant = decision.toolCalls.filter((c) => INSTANT_TOOLS.has(c.name));
    for (const call of decision.toolCalls.filter((c) => !INSTANT_TOOLS.has(c.name))) {
      if (state.data.pending.length + accepted.length >= settings.maxTasksPerUser) {
        feedback.push(`${call.name} not started: ${settings.maxTasksPerUser} tasks are already running`);
        continue;
      }
      accepted.push({ call, callId: uuid4() });
    }

    const userEvents = batch.filter((e) => e.kind === 'user_message');
    const replyId = `reply:${userEvents[0]?.id ?? `step-${userId}-${stepNo}`}`;
    const replyText =
      decision.reply ??
      (userEvents.length
        ? accepted.length
          ? `On it: ${accepted.map((a) => titleOf(a.call)).join('; ')}.`
          : 'Noted.'
        : null);
    if (replyText) state.remember({ role: 'assistant', text: replyText, at: now.toISOString() });

    await deliver.executeWithOptions({ summary: `deliver step ${stepNo}` }, [
      {
        userId,
        messages: [
          ...userEvents.map((e) => ({ id: `msg:${e.id}`, role: 'user' as const, text: e.text, at: e.at })),
          ...(replyText ? [{ id: replyId, role: 'assistant' as const, text: replyText, at: now.toISOString() }] : []),
        ],
        notifications: decision.notifications.map((n, i) => ({
          id: `note:${userId}:${stepNo}:${i}`,
          notification: { ...n, source: n.source ?? batch[0]?.source ?? 'assistant', ref: n.ref ?? batch[0]?.ref },
        })),
        tasks: accepted.map(({ call, callId }) => ({
          id: callId,
          tool: call.name,
          title: titleOf(call),
          workflowId:
            call.name === 'delegate_to_agent' ? agentWorkflowId(userId, String((call.args as { name?: string }).name)) : toolWorkflowId(userId, callId),
        })),
      },
    ]);

    for (const [i, call] of instant.entries()) {
      let problem: string | undefined;
      try {
        problem = await runInstant(call);
      } catch (err) {
        problem = `${call.name} failed: ${(err as Error).message}`;
      }
      // The user asked for it, so they hear when it did not work (the next step tells them).
      if (problem) state.accept({ id: `instant:${userId}:${stepNo}:${i}`, kind: 'system', priority: 'high', text: problem, source: 'assistant', at: now.toISOString() });
    }

    const started: ChatAnswer['toolCalls'] = [];
    for (const { call, callId } of accepted) {
      try {
        const pending = await startCall(call, callId, now);
        state.addPending(pending);
        started.push({ callId, name: call.name, title: pending.title });
      } catch (err) {
        feedback.push(`${call.name} could not start: ${(err as Error).message}`);
      }
    }

    for (const e of userEvents) {
      state.recordAnswer(e.id, {
        id: e.id,
        reply: { id: replyId, text: replyText ?? '', at: now.toISOString() },
        toolCalls: started,
      });
    }
  }

  for (;;) {
    await condition(() => state.queueLength > 0 || workflowInfo().continueAsNewSuggested);
    if (workflowInfo().continueAsNewSuggested && allHandlersFinished()) {
      log.info('continuing as new', { historyLength: workflowInfo().historyLength, queued: state.queueLength });
      await continueAsNew<typeof assistantWorkflow>({ userId, settings, state: state.data, feedback });
    }
    if (state.queueLength === 0) {
      // Suggested, but an update is still in flight: wait for it or for new work.
      await condition(() => allHandlersFinished() || state.queueLength > 0);
      continue;
    }
    await step(state.takeBatch());
  }
}
