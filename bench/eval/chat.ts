// Runs the chat tasks in order on one stack (Gmail and Calendar linked, the user's zone set), as
// one user's day: later tasks may lean on earlier ones (a follow-up is about the previous answer).
import type { Script } from '../../test/fakes/openai-server';
import { startFeedStack } from '../../test/helpers/feeds';
import { makeContext, tasks } from './chat-context';
import { CHAT_TASKS, type ChatTask } from './chat-tasks';

export const EVAL_TIME_ZONE = 'America/New_York';

export interface ChatTaskResult {
  name: string;
  kind: ChatTask['kind'];
  ok: boolean;
  problem?: string;
}

export async function runChatTasks(script: Script, opts: { patienceMs: number; only?: (t: ChatTask) => boolean; log?: (s: string) => void }): Promise<ChatTaskResult[]> {
  const f = await startFeedStack({ script, linkCalendar: true });
  const results: ChatTaskResult[] = [];
  try {
    // The user sees everything, and lives in a zone that is not UTC, so "5pm" has to mean theirs.
    const put = await f.stack.api('/api/settings', { method: 'PUT', body: { notifyThreshold: 'low', timezone: EVAL_TIME_ZONE } });
    if (put.status !== 200) throw new Error(`PUT /api/settings answered ${put.status}`);
    for (const task of CHAT_TASKS.filter(opts.only ?? (() => true))) {
      const ctx = makeContext(f, EVAL_TIME_ZONE, opts.patienceMs);
      let problem: string | undefined;
      try {
        await task.setup?.(ctx);
        const sent: Date[] = [];
        for (const message of task.messages) {
          sent.push((await ctx.chat(message)).sentAt);
          await ctx.rest();
        }
        problem = await task.check(ctx, sent);
      } catch (err) {
        problem = `failed: ${(err as Error).message}`;
      }
      // What the user's task list showed, so a failure can be told apart from a slow model.
      if (problem) problem += `; tasks since: ${JSON.stringify((await tasks(ctx)).filter((t) => t.startedAt >= ctx.since).map((t) => `${t.title} ${t.status}${t.progress ? ` (${t.progress})` : ''}${t.result ? `: ${t.result.slice(0, 120)}` : ''}`))}`;
      results.push({ name: task.name, kind: task.kind, ok: !problem, ...(problem ? { problem: problem.slice(0, 1500) } : {}) });
      opts.log?.(`chat task ${problem ? 'FAILED' : 'passed'}: ${task.name}${problem ? ` — ${problem.slice(0, 300)}` : ''}`);
    }
    return results;
  } finally {
    await f.stop();
  }
}
