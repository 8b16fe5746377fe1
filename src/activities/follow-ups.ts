// The follow-up's activities, and the two hooks that feed it: after an approved send (start one
// when the mail asks something) and after a mail is distilled (tell the thread's follow-ups).
import type { Config } from '../config';
import { addressOf, asksSomething, newFollowUp, questionOf, settlesThread } from '../agents/follow-up';
import type { FollowUpData } from '../agents/follow-up';
import type { FollowUpInput } from '../shared/follow-up-messages';
import { followUpWorkflowId } from '../shared/ids';
import { clip } from '../shared/text';
import type { Store } from '../store';
import type { ContextItem } from '../store/context';
import { FOLLOW_UP_TOOLS } from '../temporal/follow-ups';
import { paprikaClient } from './paprika';

export type BeginResult =
  | { ok: true; followUp: FollowUpData; title: string; /** How long to wait again after a nudge. */ periodMs: number }
  | { ok: false; problem: string };

const DAY_MS = 86_400_000;

/** Addresses in a tool's `to`/`cc` (a string or a list). */
const addresses = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []).map(addressOf);

export function makeFollowUpActivities(config: Config, store: Store) {
  /** Which thread, whom, what was asked: what the input says, else the user's own mail in the thread. */
  async function resolve(input: FollowUpInput): Promise<BeginResult> {
    const { userId, target } = input;
    let threadId = target.threadId;
    if (!threadId && target.contextId) {
      const item = await store.context.get(userId, target.contextId);
      if (!item || item.userId !== userId) return { ok: false, problem: `no stored mail ${target.contextId}` };
      threadId = item.threadId ?? item.id;
    }
    const sent = threadId ? await store.followUps.sent(userId, threadId) : await store.followUps.latestSent(userId);
    threadId ??= sent?.threadId;
    if (!threadId) return { ok: false, problem: 'no thread to follow: no mail sent by you is recorded yet; name the thread' };
    const thread = await store.context.inThread(userId, threadId);
    const people = input.people?.length
      ? input.people
      : sent?.recipients.length
        ? sent.recipients
        : [...new Set(thread.map((m) => m.senderAddress).filter((a): a is string => !!a))];
    if (!people.length) return { ok: false, problem: `nobody to wait for in thread ${threadId}; name the people` };
    const subject = sent?.subject ?? thread[0]?.title ?? '';
    const question = sent ? questionOf(sent.body) : subject;
    const deadline = input.deadline ?? new Date(Date.now() + config.limits.followUpDays * DAY_MS).toISOString();
    const followUp = newFollowUp({ threadId, subject, question, people, deadline });
    if (!followUp.expected.length) return { ok: false, problem: 'none of the people given is an email address' };
    return { ok: true, followUp, title: clip(`Follow-up: ${subject || question || threadId}`, 120), periodMs: config.limits.followUpDays * DAY_MS };
  }

  return {
    /** Resolves the follow-up, records its task row and which thread it watches. */
    async beginFollowUp(input: FollowUpInput & { workflowId: string }): Promise<BeginResult> {
      const res = await resolve(input);
      if (!res.ok) return res;
      await store.sql.transaction(async () => {
        await store.tasks.start({ id: input.taskId, userId: input.userId, tool: 'follow_up', title: res.title, workflowId: input.workflowId });
        await store.followUps.watch({ workflowId: input.workflowId, userId: input.userId, threadId: res.followUp.threadId, taskId: input.taskId });
      });
      return res;
    },

    async followUpProgress(input: { taskId: string; progress: string }): Promise<void> {
      await store.tasks.progress(input.taskId, input.progress);
    },

    async followUpEnded(input: { workflowId: string }): Promise<void> {
      await store.followUps.ended(input.workflowId);
    },
  };
}

/**
 * Called once a send or reply the user approved has gone out: records it (so "tell me when everyone
 * has answered" finds the thread) and, when the mail asks something, starts watching its thread.
 */
export async function followUpAfterSend(
  config: Config,
  store: Store,
  sent: { userId: string; taskId: string; tool: string; args: Record<string, unknown>; threadId?: string },
): Promise<void> {
  if (sent.tool !== 'gmail_send' && sent.tool !== 'gmail_reply') return;
  // A follow-up's own nudge is not a new question to follow.
  if (FOLLOW_UP_TOOLS.includes((await store.tasks.get(sent.taskId))?.tool ?? '')) return;
  const threadId = sent.threadId ?? (typeof sent.args.threadId === 'string' ? sent.args.threadId : undefined);
  if (!threadId) return;
  const recipients = [...addresses(sent.args.to), ...addresses(sent.args.cc)];
  const body = String(sent.args.body ?? '');
  const subject = typeof sent.args.subject === 'string' ? sent.args.subject : ((await store.followUps.sent(sent.userId, threadId))?.subject ?? '');
  await store.followUps.recordSent(sent.userId, { threadId, recipients, subject, body });
  if (!recipients.length || !asksSomething(body)) return;
  // A send-started follow-up's task is its workflow (there is no assistant call behind it).
  await paprikaClient(config, store).followUps.start({ userId: sent.userId, taskId: followUpWorkflowId(sent.userId, threadId), target: { threadId } });
}

/** Called once a stored mail is distilled: its thread's follow-ups hear who wrote, and when. */
export async function followUpOnMail(config: Config, store: Store, item: ContextItem): Promise<void> {
  if (item.kind !== 'email' || !item.threadId || !item.senderAddress) return;
  if (!(await store.followUps.watching(item.userId, item.threadId)).length) return;
  const followUps = paprikaClient(config, store).followUps;
  await followUps.replyArrived(item.userId, item.threadId, { from: item.senderAddress, at: item.occurredAt, contextId: item.id });
  // The thread's resolution ends the waiting (after the reply is counted): nothing more to nudge.
  if (settlesThread(item.body)) await followUps.resolve(item.userId, item.threadId, { from: item.senderAddress });
}
