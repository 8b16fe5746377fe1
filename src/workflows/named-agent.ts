// A named (stateful) agent, `agent:<userId>:<name>`: long-lived, takes instructions by signal
// (queued, handled strictly one after another), keeps its memory (recent notes + a running summary)
// through continue-as-new, and answers each instruction by signal to the assistant. Cancelling an
// instruction stops only that one; cancelling the workflow stops the agent.
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { modelCall } from './activity-options';
import { initialAgentData, NamedAgentBook, type NamedAgentData, namedAgentMessages } from '../agents/named-agent-state';
import type { TaskStatus } from '../shared/types';
import { type AgentInstruction, agentStateQuery, cancelInstructionSignal, instructSignal } from '../shared/agent-messages';
import { endFromError, reportTaskEnd, runAgentTurn, type TaskEnd } from './agent-turn';
import { ApprovalDesk } from './approval';
import type { WorkflowSettings } from '../shared/workflow-settings';
import { combine, Provenance } from '../shared/provenance';

export interface NamedAgentInput {
  userId: string;
  name: string;
  settings: WorkflowSettings;
  /** Present after continue-as-new. */
  state?: NamedAgentData;
}

export async function namedAgentWorkflow(input: NamedAgentInput): Promise<void> {
  const { userId, name, settings } = input;
  const book = new NamedAgentBook(input.state ?? initialAgentData(userId, name));
  if (input.state) book.data.stats.runs++;
  const workflowId = workflowInfo().workflowId;
  const desk = ApprovalDesk.install(userId, workflowId);
  const { finishTask, summarize } = proxyActivities<Activities>(modelCall(settings));

  let current: { instruction: AgentInstruction; scope: CancellationScope; since: string; details: string } | undefined;
  /** Queued instructions cancelled by the user; the main loop reports them. */
  const dropped: AgentInstruction[] = [];

  setHandler(instructSignal, (i) => {
    if (typeof i?.id !== 'string' || typeof i.instruction !== 'string' || !i.instruction.trim()) return;
    const provenance = Provenance.safeParse(i.provenance);
    book.enqueue({
      id: i.id,
      instruction: i.instruction,
      at: i.at ?? new Date().toISOString(),
      ...(provenance.success && i.provenance ? { provenance: provenance.data } : {}),
    });
  });
  setHandler(cancelInstructionSignal, ({ id }) => {
    if (current?.instruction.id === id) current.scope.cancel();
    else {
      const queued = book.cancelQueued(id);
      if (queued) dropped.push(queued);
    }
  });
  setHandler(agentStateQuery, () => ({
    userId,
    name,
    ...(current ? { current: { id: current.instruction.id, instruction: current.instruction.instruction, since: current.since, details: current.details } } : {}),
    queued: book.data.queue.map((q) => ({ id: q.id, instruction: q.instruction, at: q.at })),
    memory: book.data.memory,
    stats: book.data.stats,
    pendingApprovals: desk.pending,
  }));

  async function report(i: AgentInstruction, status: Exclude<TaskStatus, 'running'>, result: string, provenance = book.provenanceFor(i)): Promise<void> {
    await reportTaskEnd(finishTask, {
      provenance,
      userId,
      taskId: i.id,
      title: `${name}: ${i.instruction.replace(/\s+/g, ' ').slice(0, 80)}`,
      status,
      result,
      text: `Agent "${name}" on "${i.instruction.slice(0, 200)}": ${result}`,
      source: 'agent',
    });
  }

  async function handle(i: AgentInstruction): Promise<void> {
    const scope = new CancellationScope();
    current = { instruction: i, scope, since: new Date().toISOString(), details: 'starting' };
    setCurrentDetails(`Agent "${name}": working on ${i.id}: ${i.instruction.slice(0, 200)}`);
    const provenance = book.provenanceFor(i);
    let end: TaskEnd & { provenance?: Provenance };
    try {
      end = await scope.run(() =>
        runAgentTurn(namedAgentMessages(name, book.data.memory, i.instruction), {
          userId,
          taskId: i.id,
          workflowId,
          turnKey: i.id,
          settings,
          desk,
          deadline: Date.now() + settings.taskTimeoutMinutes * 60_000,
          provenance,
        }),
      );
    } catch (err) {
      // A failed instruction (a step that gave up, a model that refused the request) ends that
      // instruction only: the agent, its memory and its queue carry on.
      end = endFromError(err, scope);
    } finally {
      current = undefined;
    }
    // A turn that failed half-way may have read something before it did: count it as tainted then.
    const after = end.provenance ?? combine(provenance, { origin: 'untrusted', sources: [] });
    book.addNote(i, end.status, end.result, new Date().toISOString(), after);
    await report(i, end.status, end.result, after);
    const fold = book.notesToFold();
    if (fold.length) {
      try {
        const summary = await CancellationScope.nonCancellable(() =>
          summarize({ summary: book.data.memory.summary, entries: fold.map((n) => ({ role: 'event' as const, text: n.text, at: n.at })) }),
        );
        book.fold(fold.length, summary);
      } catch (err) {
        if (isCancellation(err)) throw err;
        // Losing the agent over a summary would lose all of its memory; the notes stay and the
        // fold is tried again after the next instruction.
        log.warn('could not fold the agent memory', { name, error: (err as Error).message });
      }
    }
  }

  try {
    for (;;) {
      setCurrentDetails(`Agent "${name}": idle, ${book.data.stats.handled} instructions handled`);
      await condition(() => book.queueLength > 0 || dropped.length > 0 || workflowInfo().continueAsNewSuggested);
      while (dropped.length) await report(dropped.shift()!, 'cancelled', 'Cancelled before it started.');
      if (workflowInfo().continueAsNewSuggested) {
        // Between instructions nothing waits for an approval; let in-flight handlers finish first.
        await condition(allHandlersFinished);
        await continueAsNew<typeof namedAgentWorkflow>({ userId, name, settings, state: book.data });
      }
      const next = book.next();
      if (next) await handle(next);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The agent was stopped: whatever was queued will not run, and the user hears so.
    for (const i of [...dropped, ...book.data.queue]) await report(i, 'cancelled', 'The agent was stopped.');
  }
}
