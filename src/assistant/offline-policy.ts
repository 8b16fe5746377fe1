// The assistant without a model: a few plain requests understood by rules, honest about the rest.
// It returns the same raw shape as the model so the workflow cannot tell them apart.
import * as chrono from 'chrono-node';
import { type AssistantEvent, type Priority, priorityRank } from '../shared/types';
import type { ProposedCall } from './decision';
import { localTime, tzOffsetMinutes } from '../shared/time-zone';
import { alreadyNotified, type ThinkInput } from './prompt';

export interface RawDecision {
  reply: string | null;
  calls: ProposedCall[];
}

export interface OfflineContext {
  /** Unread notifications, newest first, for "what's new". */
  unread: { title: string; priority: string; createdAt: string }[];
  /** The user's IANA time zone (their setting): "at 5pm" means 5pm there, and times are shown there. */
  timeZone: string;
  /** Read tools this think may call (empty outside a chat turn or once the budget is spent). */
  reads?: readonly string[];
  /** What was read earlier in this turn. */
  readResults?: readonly { tool: string; text: string }[];
}

export const OFFLINE_HELP = [
  'I am running without a language model (no OPENAI_API_KEY or OPENAI_BASE_URL is set), so I understand only a few requests:',
  '- **help** — this list',
  "- **what's new** — unread notifications and running tasks",
  '- **remind me in 10 minutes to stretch** (or "remind me tomorrow at 9am to call Sam")',
  '- **tell me when everyone has answered** — follow the latest mail you sent until all its recipients reply',
  '- **what did Dana say about the budget?** — a search of your stored mail and notes',
  'Everything from your feeds is still watched and filed.',
].join('\n');

const REMIND = /^\s*(?:please\s+)?remind me\s+(.+)$/i;
/** "what did Dana say about the budget", "what has Sam written about Q3?" */
const SAID_ABOUT = /\bwhat (?:did|has|have) (.+?) (?:say|said|write|written|mention|mentioned) about (.+?)[?.!]*$/i;
/** Without a model there is no telling which thread is meant: it is the latest one the user sent. */
const FOLLOW_UP = /\b(?:tell|let) me (?:know )?when (?:every(?:one|body)|all(?: of them)?|they(?: all)?) (?:ha(?:s|ve) )?(?:answered|replied|responded)\b/i;

export function offlineDecide(input: ThinkInput, ctx: OfflineContext): RawDecision {
  const calls: ProposedCall[] = [];
  const replies: string[] = [];
  for (const event of input.batch) {
    const handled = handleEvent(event, input, ctx);
    if (handled.reply) replies.push(handled.reply);
    calls.push(...handled.calls);
  }
  return { reply: replies.length ? replies.join('\n\n') : null, calls };
}

function handleEvent(e: AssistantEvent, input: ThinkInput, ctx: OfflineContext): RawDecision {
  switch (e.kind) {
    case 'user_message':
      return answerUser(e.text, input, ctx);
    case 'feed':
      if (e.priority === 'low' || e.priority === 'ignore') return { reply: null, calls: [] };
      // The feed already wrote the notification; a second one would be noise.
      if (alreadyNotified(e)) return { reply: null, calls: [] };
      return {
        reply: null,
        calls: [{ name: 'notify_user', args: { title: firstLine(e.text), body: e.text, priority: e.priority } }],
      };
    case 'tool_result':
      // The task already raised its own notification; here it only joins the conversation.
      return { reply: `Task ${e.status ?? 'completed'}: ${e.text}`, calls: [] };
    case 'reminder':
      return { reply: `⏰ ${e.text}`, calls: [] };
    default:
      return { reply: null, calls: [] };
  }
}

function answerUser(text: string, input: ThinkInput, ctx: OfflineContext): RawDecision {
  const t = text.trim();
  if (/^(help|\?|what can you do)\b/i.test(t)) return { reply: OFFLINE_HELP, calls: [] };
  if (/\b(what'?s|anything)\s+new\b|^news\b|^updates?\b/i.test(t)) return { reply: whatsNew(input, ctx), calls: [] };
  if (FOLLOW_UP.test(t)) {
    return { reply: "OK — I'll watch the latest mail you sent and tell you when everyone has answered.", calls: [{ name: 'track_follow_up', args: {} }] };
  }
  const said = SAID_ABOUT.exec(t);
  // Without a model the question is answered by one search of the context store, shown as found.
  if (said) return searchAnswer(`${said[1]} ${said[2]!.replace(/^(?:the|a|an|my|our)\s+/i, '')}`, ctx);
  const remind = REMIND.exec(t);
  if (remind) return reminder(remind[1]!, new Date(input.now), ctx.timeZone);
  return {
    reply: "I can't help with that without a language model (none is configured: set OPENAI_API_KEY). Say **help** to see what I can do offline.",
    calls: [],
  };
}

function searchAnswer(query: string, ctx: OfflineContext): RawDecision {
  const found = ctx.readResults?.find((r) => r.tool === 'search_context');
  if (found) return { reply: `Here is what I found for "${query}":\n${found.text}`, calls: [] };
  if (ctx.reads?.includes('search_context')) return { reply: null, calls: [{ name: 'search_context', args: { query } }] };
  return { reply: `I could not search for "${query}" in this turn.`, calls: [] };
}

function whatsNew(input: ThinkInput, ctx: OfflineContext): string {
  const lines: string[] = [];
  if (ctx.unread.length) {
    lines.push(`You have ${ctx.unread.length} unread notification${ctx.unread.length === 1 ? '' : 's'}:`);
    // Most pressing first; among equals, the store's order (newest first) stands (sort is stable).
    const ranked = [...ctx.unread].sort((a, b) => priorityRank(a.priority as Priority) - priorityRank(b.priority as Priority));
    for (const n of ranked.slice(0, 10)) lines.push(`- [${n.priority}] ${n.title}`);
  } else lines.push('Nothing new: no unread notifications.');
  if (input.pending.length) {
    lines.push(`Running tasks: ${input.pending.length}`);
    for (const p of input.pending) lines.push(`- ${p.title} (since ${p.startedAt})`);
  }
  return lines.join('\n');
}

/** "in 10 minutes to stretch", "tomorrow at 9am to call Sam", "to call Sam at 5pm". */
function reminder(rest: string, now: Date, timeZone: string): RawDecision {
  const found = chrono.parse(rest, { instant: now, timezone: tzOffsetMinutes(timeZone, now) }, { forwardDate: true })[0];
  if (!found) {
    return { reply: `When should I remind you? Try "remind me in 10 minutes to ${rest.replace(/^to\s+/i, '')}".`, calls: [] };
  }
  const at = found.start.date();
  const what = (rest.slice(0, found.index) + rest.slice(found.index + found.text.length))
    .replace(/\s+/g, ' ')
    .replace(/^\s*(to|that|about)\s+/i, '')
    .trim()
    .replace(/^(to|that|about)\s+/i, '');
  if (at.getTime() <= now.getTime()) return { reply: `That time (${shown(at, timeZone)}) has already passed.`, calls: [] };
  const task = what || 'the thing you asked about';
  return {
    reply: `OK — I'll remind you to ${task} ${whenFrom(at, now, timeZone)}.`,
    calls: [{ name: 'set_reminder', args: { text: task, at: at.toISOString() } }],
  };
}

/** "in 10 minutes (Tue 24 Nov, 20:22 Europe/Paris)": relative for the reader, absolute to check it. */
function whenFrom(at: Date, now: Date, timeZone: string): string {
  const s = Math.round((at.getTime() - now.getTime()) / 1000);
  const unit = (n: number, name: string) => `in ${n} ${name}${n === 1 ? '' : 's'}`;
  const rel = s < 90 ? unit(s, 'second') : s < 90 * 60 ? unit(Math.round(s / 60), 'minute') : s < 36 * 3600 ? unit(Math.round(s / 3600), 'hour') : unit(Math.round(s / 86400), 'day');
  return `${rel} (${shown(at, timeZone)})`;
}

function shown(at: Date, timeZone: string): string {
  return `${localTime(at, timeZone)} ${timeZone}`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line || 'New item';
}
