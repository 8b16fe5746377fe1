// What a chat task can do and see: the user's chat, mail arriving through the feed, and the views a
// user checks (replies, tasks, approvals, reminders, drafts). Checkers wait with `patienceMs`
// (a real model answers later, through a task), never with a fixed sleep.
import type { FeedStack } from '../../test/helpers/feeds';
import { eventually } from '../../test/helpers/eventually';
import { toFakeMessage } from '../../test/fakes/composio/gmail';
import { toolWorkflowId } from '../../src/shared/ids';

export interface TaskContext {
  f: FeedStack;
  timeZone: string;
  patienceMs: number;
  /** When the task began: replies, tasks and approvals after it are this task's. */
  since: string;
  chat(message: string): Promise<{ reply: { text: string } | null; toolCalls: { callId: string; name: string }[]; sentAt: Date }>;
  /** Mail through the Gmail trigger; returns once its notification is there and the assistant has taken it in. */
  mail(m: { from: string; subject: string; text: string }): Promise<void>;
  /** Mail only a search finds. */
  plant(m: { from: string; subject: string; text: string }): void;
  /** Waits until nothing is queued and nothing moved for a while. */
  rest(): Promise<void>;
}

let seq = 0;

export function makeContext(f: FeedStack, timeZone: string, patienceMs: number): TaskContext {
  const api = f.stack.api.bind(f.stack);
  const rest = async () => {
    let last = '';
    let still = 0;
    await eventually(
      async () => {
        const snap = await f.stack.assistant.snapshot(f.stack.userId);
        const tasks = (await api('/api/tasks')).body.tasks.map((t: { id: string; status: string }) => `${t.id}:${t.status}`);
        const now = JSON.stringify([snap.queued.length, snap.stats.steps, f.stack.fake?.requests.length, f.composio.executed.length, tasks]);
        still = now === last && snap.queued.length === 0 ? still + 1 : 0;
        last = now;
        return still >= 15;
      },
      Math.max(patienceMs, 60_000),
      'the system to come to rest',
    );
  };
  return {
    f,
    timeZone,
    patienceMs,
    since: new Date().toISOString(),
    async chat(message) {
      const sentAt = new Date();
      const res = await api('/api/chat', { body: { message } });
      if (res.status !== 200) throw new Error(`chat answered ${res.status}: ${JSON.stringify(res.body)}`);
      return { ...res.body, sentAt };
    },
    async mail(m) {
      const id = `eval-${++seq}-${Date.now()}`;
      // Mail the trigger reports is in the mailbox too, where a search finds it.
      f.composio.state.mailbox.push(toFakeMessage({ id, ...m }));
      const res = await f.deliver({ id, ...m });
      if (res.status >= 300) throw new Error(`the Composio webhook answered ${res.status}`);
      await eventually(async () => (await api('/api/notifications?limit=500')).body.notifications.some((n: { title: string }) => n.title.includes(m.subject)), 60_000, `the notification for "${m.subject}"`);
      await rest();
    },
    plant(m) {
      f.composio.state.mailbox.push(toFakeMessage({ id: `eval-planted-${++seq}`, ...m }));
    },
    rest,
  };
}

/** The assistant's replies since the task began. */
export async function replies(ctx: TaskContext): Promise<string[]> {
  const messages = (await ctx.f.stack.api('/api/conversation?limit=500')).body.messages as { role: string; text: string; createdAt: string }[];
  return messages.filter((m) => m.role === 'assistant' && m.createdAt >= ctx.since).map((m) => m.text);
}

/** Passes (undefined) once a reply matches every pattern; else says what the user saw instead. */
export async function replyMatches(ctx: TaskContext, ...patterns: RegExp[]): Promise<string | undefined> {
  try {
    await eventually(async () => (await replies(ctx)).some((r) => patterns.every((p) => p.test(r))), ctx.patienceMs, 'the reply');
    return undefined;
  } catch {
    return `no reply matched ${patterns.join(' and ')}; replies: ${JSON.stringify((await replies(ctx)).map((r) => r.slice(0, 200)))}`;
  }
}

export interface TaskRow {
  id: string;
  title: string;
  status: string;
  result?: string;
  startedAt: string;
  progress?: string;
}

export async function tasks(ctx: TaskContext): Promise<TaskRow[]> {
  return (await ctx.f.stack.api('/api/tasks')).body.tasks as TaskRow[];
}

/** Waits for a task whose title matches and that satisfies `ok`; undefined when none came. */
export async function taskWhere(ctx: TaskContext, title: RegExp, ok: (t: TaskRow) => boolean = () => true): Promise<TaskRow | undefined> {
  return eventually(async () => (await tasks(ctx)).find((t) => title.test(t.title) && ok(t)), ctx.patienceMs, 'the task').catch(() => undefined);
}

/** The instant a reminder fires, as its workflow was started (the summary the Temporal UI shows). */
export async function reminderFireAt(ctx: TaskContext, taskId: string): Promise<Date | undefined> {
  const summary = await ctx.f.stack.client.workflow.getHandle(toolWorkflowId(ctx.f.stack.userId, taskId)).describe().then((d) => d.staticSummary());
  const at = /^Reminder at (\S+):/.exec(summary ?? '')?.[1];
  return at ? new Date(at) : undefined;
}

export interface ApprovalView {
  id: string;
  taskId: string;
  tool: string;
  status: string;
  args: Record<string, unknown>;
  preview: { to?: string; title?: string; summary: string };
}

export async function approvals(ctx: TaskContext, status?: string): Promise<ApprovalView[]> {
  return (await ctx.f.stack.api(`/api/approvals${status ? `?status=${status}` : ''}`)).body.approvals as ApprovalView[];
}

/** The wall-clock fields of an instant in a zone. */
export function localParts(at: Date, timeZone: string): { year: number; month: number; day: number; weekday: string; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short', hour: 'numeric', minute: 'numeric' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), weekday: get('weekday'), hour: Number(get('hour')), minute: Number(get('minute')) };
}
