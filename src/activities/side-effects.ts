// Exactly-once execution of side effects (send mail, reply, create or change an event, unsafe MCP
// tools). Each execution has an idempotency key derived from the agent's workflow ID and the call
// ID; the ledger (store.sideEffects) records `started` before the call and the outcome right after,
// and the outcome is in the store before this activity reports it, so a retry of the activity (or a
// replay of the workflow) returns the recorded outcome and never repeats the call.
//
// The one window no local ledger can close is a crash after the request left and before its answer
// was recorded. Composio has no idempotency key to ask "did this already happen?", so we choose
// at most once: a retry that finds `started` without an outcome does not send again; it records
// `unknown`, and the agent and the user are told to check (e.g. the Sent folder) instead of risking
// a second email. A request that provably never left (connection refused, DNS failure) releases its
// claim so the retry may send it.
import { ApplicationFailure, log } from '@temporalio/activity';
import { Provenance } from '../shared/provenance';
import type { Store } from '../store';
import { currentRun } from './current-run';
import { withHeartbeat } from './heartbeat';
import type { Toolbox } from './tools';

export interface SideEffectInput {
  /** `${workflowId}:${turn}:${callId}`, stable across activity retries and worker restarts. */
  key: string;
  userId: string;
  taskId: string;
  callId: string;
  tool: string;
  args: Record<string, unknown>;
  /** Where the task's work came from; recorded in the audit log (untrusted when absent). */
  provenance?: Provenance;
  approvalId?: string;
}

export interface SideEffectResult {
  status: 'succeeded' | 'failed' | 'unknown';
  text: string;
  /** True when this attempt found the outcome recorded by an earlier one and did nothing. */
  replayed: boolean;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when the error shows the request never reached the provider. */
export function neverLeft(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
  }
  return false;
}

export const UNKNOWN_OUTCOME =
  'The worker stopped after this action was sent and before its outcome was recorded. It was not repeated, ' +
  'so that nothing happens twice; it may or may not have happened. Ask the user to check (for an email: the Sent folder).';

/** The ledger's outcome in the audit log, once per key; `unknown` is a failure the user must check. */
async function audit(store: Store, input: SideEffectInput, status: SideEffectResult['status'], text: string): Promise<void> {
  const parsed = Provenance.safeParse(input.provenance);
  await store.audit.record({
    id: `side-effect:${input.key}`,
    userId: input.userId,
    action: input.tool,
    actor: `task:${input.taskId}`,
    provenance: parsed.success ? parsed.data : { origin: 'untrusted', sources: [] },
    outcome: status === 'succeeded' ? 'done' : 'failed',
    detail: `${status === 'unknown' ? 'outcome unknown: ' : ''}${text}`.slice(0, 500),
    taskId: input.taskId,
    ...(input.approvalId ? { approvalId: input.approvalId } : {}),
    ...currentRun(),
  });
}


/** What happened, for whoever acts on a side effect that went out (follow-ups of a sent mail). */
export type AfterSideEffect = (done: { userId: string; taskId: string; tool: string; args: Record<string, unknown>; threadId?: string }) => Promise<void>;

export function makeSideEffectActivities(store: Store, toolbox: Toolbox, afterSucceeded?: AfterSideEffect) {
  return {
    async executeSideEffect(input: SideEffectInput): Promise<SideEffectResult> {
      const claim = await store.sideEffects.begin(input.key, { userId: input.userId, tool: input.tool, args: input.args });
      if (claim.state === 'recorded') {
        return { status: claim.record.status as SideEffectResult['status'], text: claim.record.outcome ?? '', replayed: true };
      }
      if (claim.state === 'in_doubt') {
        const rec = await store.sideEffects.finish(input.key, 'unknown', UNKNOWN_OUTCOME);
        await store.notifications.add(`side-effect-unknown:${input.key}`, input.userId, {
          title: `Check whether ${input.tool} happened`,
          body: `${UNKNOWN_OUTCOME}\n\nArguments: ${JSON.stringify(input.args).slice(0, 3000)}`,
          priority: 'high',
          source: 'task',
          ref: `task:${input.taskId}`,
        });
        await audit(store, input, 'unknown', rec.outcome ?? UNKNOWN_OUTCOME);
        return { status: 'unknown', text: rec.outcome ?? UNKNOWN_OUTCOME, replayed: true };
      }
      await store.tasks.progress(input.taskId, `running ${input.tool}`);
      let result: SideEffectResult;
      let threadId: string | undefined;
      try {
        const out = await withHeartbeat({ tool: input.tool, key: input.key }, (signal) =>
          toolbox.run(input.tool, input.args, { userId: input.userId, taskId: input.taskId, callId: input.callId, signal }),
        );
        result = { status: out.ok ? 'succeeded' : 'failed', text: out.text, replayed: false };
        if (out.ok) threadId = out.threadId;
      } catch (err) {
        // Paprika is not set up for this provider: nothing left, and a retry cannot change that.
        if ((err as Error).name === 'ComposioConfigError') {
          result = { status: 'failed', text: `error: ${(err as Error).message}`, replayed: false };
          await store.sideEffects.finish(input.key, 'failed', result.text);
          await audit(store, input, result.status, result.text);
          return result;
        }
        if (neverLeft(err)) {
          await store.sideEffects.release(input.key);
          throw ApplicationFailure.retryable(`${input.tool} could not reach its service: ${(err as Error).message}`, 'SideEffectNotSent');
        }
        // It may have happened: record that, never retry it.
        result = { status: 'unknown', text: `error: ${(err as Error).message}. ${UNKNOWN_OUTCOME}`, replayed: false };
      }
      await store.sideEffects.finish(input.key, result.status === 'unknown' ? 'unknown' : result.status, result.text);
      await audit(store, input, result.status, result.text);
      if (result.status === 'succeeded' && afterSucceeded) {
        // Once, right after the outcome is recorded; its failure must not make the send look failed.
        await afterSucceeded({ userId: input.userId, taskId: input.taskId, tool: input.tool, args: input.args, ...(threadId ? { threadId } : {}) }).catch((err: Error) =>
          log.warn('after a side effect: could not follow up', { tool: input.tool, error: err.message }),
        );
      }
      return result;
    },
  };
}
