// The assistant workflow: one per user, long-lived. Handlers only enqueue; the main loop takes a
// batch, thinks once, and runs what the step planner (src/assistant/planner.ts) made of it:
// deliver, instant calls, then tool calls started as child workflows it never awaits.
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Decision } from '../assistant/decision';
import {
  type AcceptedCall,
  answersFor,
  CURRENT_POLICY,
  decisionAfterFailure,
  type InstantAction,
  instantFailure,
  instantProblemEvent,
  planStep,
  settledCallIds,
  startFailure,
  thinkInput,
} from '../assistant/planner';
import { AssistantState, type AssistantStateData, initialState, isBackground, MAX_BATCH_BEFORE_25 } from '../assistant/state';
import { type AssistantEvent as Event, SignalledEvent } from '../shared/types';
import { decisionWhileModelDown, holdingAnswer, modelDownUntil, withUnavailableReplyId } from '../assistant/model-down';
import { cancelInstructionSignal } from '../shared/agent-messages';
import { answerQuery, chatUpdate, eventSignal, stateQuery } from '../shared/assistant-messages';
import type { reminderWorkflow } from './reminder';
import type { followUpWorkflow } from './follow-up';
import { DEFAULT_WORKFLOW_SETTINGS, type WorkflowSettings } from '../shared/workflow-settings';
// A type only: the agent's modules are loaded by the agent's own workflows, not by every assistant.
import type { taskAgentWorkflow } from './task-agent';
import { heartbeatingModelCall, localFold, localStoreWriteFor, localUserTurn, storeWriteFor, temporalCall, turnRead } from './activity-options';
import type { ThinkInput } from '../assistant/prompt';
import { budgetSpent, mayRead, nextReads, readBudget, type ReadDone, turnTranscript, withoutReads } from '../assistant/turn-reads';

export interface AssistantInput {
  userId: string;
  settings?: WorkflowSettings;
  /** Present after continue-as-new. */
  state?: AssistantStateData;
  feedback?: string[];
}

export async function assistantWorkflow(input: AssistantInput): Promise<void> {
  const settings = { ...DEFAULT_WORKFLOW_SETTINGS, ...input.settings };
  const { userId } = input;
  const state = new AssistantState(input.state ?? initialState(userId));
  if (input.state) state.data.stats.runs++;
  let feedback = input.feedback ?? [];

  const { think, summarize } = proxyActivities<Activities>(heartbeatingModelCall(settings));
  const { think: thinkLocally } = proxyLocalActivities<Activities>(localUserTurn(settings));
  const { summarize: summarizeLocally } = proxyLocalActivities<Activities>(localFold(settings));
  const { deliver } = proxyActivities<Activities>(storeWriteFor(settings));
  // In the worker, within the step's workflow task: no round trip through the server before the answer.
  const local = proxyLocalActivities<Activities>(localStoreWriteFor(settings));
  const { instructAgent, answerApproval } = proxyActivities<Activities>(temporalCall);

  setHandler(eventSignal, (raw) => {
    // A signal cannot speak as the user (see SignalledEvent): a forged or malformed event is
    // dropped here, before it can become a turn, and the log says why.
    const parsed = SignalledEvent.safeParse(raw);
    if (!parsed.success) {
      log.warn('dropped a malformed or forbidden event', {
        id: typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id.slice(0, 200) : undefined,
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
      return;
    }
    // Only a queue over the limit consults the patch, so histories that never overflowed replay unmarked.
    if (state.accept(parsed.data) && state.queueLength > settings.queueMax && patched('fold-queue-overflow')) state.foldOverflow(settings.queueMax);
  });

  setHandler(
    chatUpdate,
    async ({ id, message }) => {
      if (!state.hasSeen(id)) {
        state.accept({ id, kind: 'user_message', priority: 'urgent', text: message.trim(), at: new Date().toISOString() });
      }
      const known = state.answerFor(id);
      if (known) return known;
      // Runs before this patch waited for the answer however long the model took.
      if (patched('chat-deadline')) {
        const answered = await condition(() => state.answerFor(id) !== undefined, settings.chatDeadlineSeconds * 1000);
        // The real reply still reaches the transcript when the step ends, and a retry of this ID gets it.
        return answered ? state.answerFor(id)! : holdingAnswer(id, new Date().toISOString());
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

  setHandler(answerQuery, (id) => state.answerFor(id) ?? null);

  setHandler(stateQuery, () => ({
    userId,
    queued: state.data.queue.map((e) => ({ id: e.id, kind: e.kind, priority: e.priority })),
    pending: state.data.pending,
    summary: state.data.summary,
    windowLength: state.data.window.length,
    seenCount: state.data.seen.length,
    stats: state.data.stats,
  }));

  async function startCall({ workflowId, start }: AcceptedCall): Promise<void> {
    // Children outlive this run: continue-as-new must not cancel them.
    const parentClosePolicy = ParentClosePolicy.ABANDON;
    switch (start.kind) {
      case 'task_agent':
        await startChild<typeof taskAgentWorkflow>('taskAgentWorkflow', {
          workflowId,
          parentClosePolicy,
          args: [start.input],
          staticSummary: start.staticSummary,
          staticDetails: start.staticDetails,
          typedSearchAttributes: start.typedSearchAttributes,
          // No execution timeout: the agent enforces its working deadline itself (and reports it), and
          // time spent waiting for the user's approval is bounded by the approval's own expiry.
        });
        return;
      case 'reminder':
        await startChild<typeof reminderWorkflow>(start.start.workflowType, { ...start.start.options, parentClosePolicy });
        return;
      case 'follow_up':
        await startChild<typeof followUpWorkflow>(start.start.workflowType, { ...start.start.options, parentClosePolicy });
        return;
      case 'named_agent':
        // Signal-with-start from an activity: a workflow cannot signal-with-start, and the agent may already run.
        await instructAgent(start.input);
        return;
    }
  }

  /** Runs an instant call; returns a problem to tell the user about, if any. */
  async function runInstant(action: InstantAction): Promise<string | undefined> {
    switch (action.kind) {
      case 'problem':
        return action.text;
      case 'cancel': {
        const handle = getExternalWorkflowHandle(action.cancel.workflowId);
        if (action.cancel.kind === 'cancel_instruction') await handle.signal(cancelInstructionSignal, { id: action.cancel.instructionId });
        else await handle.cancel();
        return undefined;
      }
      case 'answer_approval': {
        const res = await answerApproval(action.input);
        return res.ok ? undefined : res.text;
      }
    }
  }

  /**
   * Background thinking yields to the user: when a message arrives meanwhile, the think is cancelled
   * (it has no side effects) and undefined tells the step to put its batch back and answer the user first.
   */
  async function unlessUserWaits(thinking: () => Promise<Decision>): Promise<Decision | undefined> {
    const scope = new CancellationScope();
    let settled = false;
    const thought = scope.run(thinking).finally(() => {
      settled = true;
    });
    await condition(() => settled || state.userWaiting);
    if (settled) return thought;
    scope.cancel();
    await thought.catch(() => undefined);
    return undefined;
  }

  /** A durable timer that brings a deferred batch back when the model's breaker lets a probe through. */
  function releaseDeferredAt(until: string): void {
    void sleep(Math.max(0, Date.parse(until) - Date.now())).then(() => state.releaseDeferred());
  }
  if (state.data.deferred) releaseDeferredAt(state.data.deferred.until);

  // ---- Reading in the turn (policy: src/assistant/turn-reads.ts) -------------------------------
  // In a chat turn the model may call read tools; each runs as a `readInTurn` activity whose
  // result stays in the store, and the model thinks again with it, until it acts or the budget
  // is spent. Histories recorded before this never hold a decision with reads, so the patch is
  // consulted only when one does.
  const { readInTurn } = proxyActivities<Activities>(turnRead(settings));
  const budget = readBudget(settings);

  async function thinkReading(
    stepNo: number,
    batch: Event[],
    now: Date,
    thinkOnce: (input: ThinkInput) => Promise<Decision>,
  ): Promise<{ decision: Decision; reads: ReadDone[] }> {
    const base = thinkInput(state.data, batch, feedback, now);
    const allowed = mayRead(batch);
    const done: ReadDone[] = [];
    const elapsed = () => Date.now() - now.getTime();
    let decision = await thinkOnce(allowed ? { ...base, turn: { canRead: true, done: [], spent: false } } : base);
    for (;;) {
      const next = nextReads(decision.reads ?? [], done.length, elapsed(), budget, allowed);
      if (next.kind === 'act') return { decision: withoutReads(decision, 'reads run only in a chat turn'), reads: done };
      if (!patched('turn-reads')) return { decision: withoutReads(decision), reads: done };
      if (next.kind === 'read') {
        const transcript = turnTranscript(userId, stepNo);
        for (const call of next.calls) {
          const index = done.length;
          const { chars } = await readInTurn.executeWithOptions({ summary: `step ${stepNo}: read ${call.tool}` }, [
            { userId, transcript, index, tool: call.tool, args: call.args },
          ]);
          done.push({ ...call, transcript, index, chars });
        }
      }
      const spent = next.kind === 'exhausted' || budgetSpent(done.length, elapsed(), budget);
      decision = await thinkOnce({ ...base, turn: { canRead: true, done: [...done], spent } });
      if (spent) return { decision: withoutReads(decision), reads: done };
    }
  }
  // ---- end of reading in the turn ----------------------------------------------------------------

  async function step(batch: Event[]): Promise<void> {
    const stepNo = ++state.data.stats.steps;
    const now = new Date();
    for (const callId of settledCallIds(batch)) state.resolvePending(callId);

    const overflow = state.overflow(settings.windowSize);
    if (overflow.length) {
      const fold = { summary: state.data.summary, entries: overflow };
      // A user's turn folds in the worker, never waiting for an activity slot; runs before this patch used the activity.
      const summary =
        !isBackground(batch) && patched('fold-user-turn-locally')
          ? await summarizeLocally(fold)
          : await summarize.executeWithOptions({ summary: `fold ${overflow.length} entries into the summary` }, [fold]);
      state.fold(overflow.length, summary);
    }

    let decision: Decision;
    let modelDown = false;
    let reads: ReadDone[] = [];
    try {
      const background = isBackground(batch);
      const viaActivity = (input: ThinkInput) =>
        think.executeWithOptions({ summary: `step ${stepNo}: ${batch.map((e) => e.kind).join(', ')}` }, [input]);
      // A user's turn is thought about in the workflow task that took the message, so the answer
      // leaves with that task; runs before this patch scheduled an activity for every step.
      const thinkOnce =
        !background && patched('think-user-turn-locally')
          ? (input: ThinkInput) =>
              thinkLocally(input).catch((err) => {
                // The breaker's refusal and a non-retryable failure (a 400) are final; anything else
                // gets the activity's retries and heartbeats.
                const failure = (err as { cause?: { nonRetryable?: boolean } }).cause ?? (err as { nonRetryable?: boolean });
                if (modelDownUntil(err, now, 0) || failure.nonRetryable) throw err;
                return viaActivity(input);
              })
          : viaActivity;
      const thinking = async () => {
        const read = await thinkReading(stepNo, batch, now, thinkOnce);
        reads = read.reads;
        return read.decision;
      };
      const thought = background && patched('preempt-background-think') ? await unlessUserWaits(thinking) : await thinking();
      if (thought === undefined) {
        state.requeue(batch);
        return;
      }
      decision = thought;
    } catch (err) {
      const until = modelDownUntil(err, now, settings.modelTimeoutSeconds * 1000);
      // Runs before this patch told the user the step failed and dropped the batch.
      if (until && patched('model-down-defer')) {
        decision = decisionWhileModelDown(batch, (id) => state.answerFor(id) !== undefined);
        modelDown = true;
        state.defer(batch, until);
        releaseDeferredAt(until);
      } else {
        decision = decisionAfterFailure(err);
      }
    }

    // IDs are allocated in the plan, before deliver, so the task rows exist before any child can finish.
    // Histories recorded before these rules ran answer_approval and cancel_task from any step.
    // Each rule is asked of patched() only in the steps it changes, so older histories replay.
    const withoutUser = !batch.some((e) => e.kind === 'user_message');
    const proposes = (name: string) => withoutUser && decision.toolCalls.some((c) => c.name === name);
    const policy = {
      approvalsNeedUserAct: proposes('answer_approval') ? patched('answer-approval-needs-user-act') : CURRENT_POLICY.approvalsNeedUserAct,
      cancelsNeedUserAct: proposes('cancel_task') ? patched('cancel-needs-user-act') : CURRENT_POLICY.cancelsNeedUserAct,
    };
    const planned = planStep(state.data, decision, batch, settings, { stepNo, now, newId: uuid4 }, policy, reads);
    const plan = modelDown ? withUnavailableReplyId(planned) : planned;
    feedback = [...plan.feedback];
    for (const entry of plan.remember) state.remember(entry);

    if (patched('deliver-locally')) await local.deliver(plan.deliver);
    else await deliver.executeWithOptions({ summary: `deliver step ${stepNo}` }, [plan.deliver]);

    for (const call of plan.instant) {
      let problem: string | undefined;
      try {
        problem = await runInstant(call.action);
      } catch (err) {
        problem = instantFailure(call, err);
      }
      // The user asked for it, so they hear when it did not work (the next step tells them).
      if (problem) state.accept(instantProblemEvent(call, problem, plan.at));
    }

    const started: AcceptedCall[] = [];
    for (const call of plan.accepted) {
      try {
        await startCall(call);
        state.addPending(call.pending);
        started.push(call);
      } catch (err) {
        feedback.push(startFailure(call, err));
      }
    }

    for (const answer of answersFor(plan, started)) state.recordAnswer(answer.id, answer);
  }

  /**
   * While the user is chatting, background batches wait for a pause (backgroundQuietSeconds after
   * the last user turn): a background think started between two messages would only be cancelled by
   * the next one, and its schedule, cancel and cancelled event cost every chat a little. A new message
   * ends the wait at once. Notifications do not wait: feed workflows write them.
   */
  let lastUserTurnAt: number | undefined;
  async function pauseForTheUser(): Promise<void> {
    if (lastUserTurnAt === undefined || state.userWaiting || !patched('background-waits-for-a-pause')) return;
    const left = (settings.backgroundQuietSeconds ?? 0) * 1000 - (Date.now() - lastUserTurnAt);
    if (left > 0) await condition(() => state.userWaiting, left);
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
    await pauseForTheUser();
    const batch = state.takeBatch(patched('feed-batches-of-25') ? settings.batchSize : MAX_BATCH_BEFORE_25);
    await step(batch);
    if (!isBackground(batch)) lastUserTurnAt = Date.now();
  }
}
