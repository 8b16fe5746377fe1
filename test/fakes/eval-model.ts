// The scripted model for `npm run eval`'s chat tasks: it answers each kind of task the way a good
// model would, from what is in the prompt (mail reaches it only through the feed events it is
// shown), so a run against it asserts the harness end to end. It is given the user's time zone:
// the assistant's prompt does not carry it (a real model has to guess, which the eval shows).
// `wrong` makes it answer questions badly on purpose, to show a checker can fail.
import * as chrono from 'chrono-node';
import { tzOffsetMinutes } from '../../src/shared/time-zone';
import { type ChatRequest, type FakeReply, lastUserText, promptKind } from './openai-server';

export interface EvalModelOptions {
  timeZone: string;
  /** Questions about mail get "I don't know." instead of the answer. */
  wrong?: boolean;
}

type Call = { name: string; arguments: Record<string, unknown> };

const ADDRESS = String.raw`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`;
const STOP = new Set('what when does did said say about the that this with from have your mine tell there they them just need does will would could should which'.split(' '));
const words = (s: string) => (s.toLowerCase().match(/[a-z0-9][a-z0-9,'-]{2,}/g) ?? []).filter((w) => !STOP.has(w));
const all = (req: ChatRequest) => req.messages.slice(1).map((m) => m.content ?? '').join('\n');

/** The user's newest message in this batch. */
function userMessage(req: ChatRequest): { text: string; at: Date } | undefined {
  const m = [...lastUserText(req).matchAll(/^User \(([^)]+)\): (.*)$/gm)].pop();
  return m ? { at: new Date(m[1]!), text: m[2]!.trim() } : undefined;
}

/** Sentences of the mail and task results the prompt shows (inside fences), without the prompt's own text. */
function shownSentences(req: ChatRequest): string[] {
  const fenced = [...all(req).matchAll(/>>>\n([\s\S]*?)\n<<</g)].map((m) => m[1]!);
  return fenced.flatMap((t) => t.split(/(?<=[.!?])\s+|\n+/)).map((s) => s.trim()).filter((s) => s.length > 3);
}

/** The shown sentence sharing most words with the question (ties: the latest, so a mail's body wins over its title line). */
function bestSentence(req: ChatRequest, question: string): string | undefined {
  const q = new Set(words(question));
  let best: { s: string; n: number } | undefined;
  for (const s of shownSentences(req)) {
    const n = words(s).filter((w) => q.has(w)).length;
    if (n > 0 && (!best || n >= best.n)) best = { s, n };
  }
  return best?.s;
}

/** Earlier user messages in the window, newest last. */
const pastUserMessages = (req: ChatRequest) => [...all(req).matchAll(/^\[[^\]]+\] user: (.*)$/gm)].map((m) => m[1]!);

function reminderCall(rest: string, now: Date, timeZone: string): Call | undefined {
  const found = chrono.parse(rest, { instant: now, timezone: tzOffsetMinutes(timeZone, now) }, { forwardDate: true })[0];
  if (!found) return undefined;
  const text = (rest.slice(0, found.index) + rest.slice(found.index + found.text.length)).replace(/\s+/g, ' ').trim().replace(/^(to|that|about)\s+/i, '');
  return { name: 'set_reminder', arguments: { text, at: found.start.date().toISOString() } };
}

/** Running tasks listed in the prompt whose title has one of the words. */
function runningTasks(req: ChatRequest, about: string): string[] {
  const want = new Set(words(about));
  return [...all(req).matchAll(/^- ([\w:.-]+): \w+ "([^"]*)"/gm)].filter((m) => words(m[2]!).some((w) => want.has(w))).map((m) => m[1]!);
}

/** Two distinctive words of a question, as a mail search. */
const searchTerms = (q: string) => words(q).filter((w) => !/^(who|is|my|and|which|bringing|leave|tell)$/.test(w)).slice(0, 2).join(' ');

const latestApproval = (req: ChatRequest) => [...all(req).matchAll(/approvalId ([\w:.-]+)/g)].pop()?.[1];

function assistantTurn(req: ChatRequest, opts: EvalModelOptions): FakeReply {
  const batch = lastUserText(req);
  const user = userMessage(req);
  if (!user) {
    // Tasks' results (a batch can hold several): tell the user what each found.
    const results = [...batch.matchAll(/Result of task [^\n]*\n[^\n]*\n([\s\S]*?)\n<<</g)].map((m) => `The task is done: ${m[1]!.trim().slice(0, 3000)}`);
    if (results.length) return { content: results.join('\n\n') };
    // An approval is relayed to the user, who answers it in chat ("yes, send it").
    const approval = /Approval needed \(approvalId [^)]*\): (.*?)\. Tell the user/.exec(batch);
    if (approval) return { content: `I need your OK: ${approval[1]}. Shall I go ahead?` };
    return { content: null, toolCalls: [{ name: 'wait', arguments: { reason: 'nothing to do' } }] };
  }
  const t = user.text;
  let m: RegExpExecArray | null;
  if ((m = /^(?:please )?remind me (.+)$/i.exec(t))) {
    const call = reminderCall(m[1]!, user.at, opts.timeZone);
    return call ? { content: `OK, I'll remind you to ${call.arguments.text}.`, toolCalls: [call] } : { content: 'When?' };
  }
  if ((m = /^cancel (?:the |my )?(.+?)(?: reminder| task)?$/i.exec(t))) {
    const ids = runningTasks(req, m[1]!);
    return ids.length ? { content: 'Cancelling it.', toolCalls: ids.map((taskId) => ({ name: 'cancel_task', arguments: { taskId } })) } : { content: 'I found no such task.' };
  }
  if ((m = new RegExp(String.raw`^draft an? (?:e-?mail|note) to (${ADDRESS}) saying (.+)$`, 'i').exec(t))) {
    return { content: 'Drafting it.', toolCalls: [{ name: 'delegate_task', arguments: { title: `Draft to ${m[1]}`, instruction: `DRAFT to ${m[1]}: ${m[2]}` } }] };
  }
  if ((m = new RegExp(String.raw`^send an? (?:e-?mail|note) to (${ADDRESS}) (?:saying|asking) (.+)$`, 'i').exec(t))) {
    return { content: 'Writing it; you will approve it before it goes.', toolCalls: [{ name: 'delegate_task', arguments: { title: `Mail to ${m[1]}`, instruction: `SEND to ${m[1]}: ${m[2]}` } }] };
  }
  if (/^(yes|no)\b/i.test(t)) {
    const approvalId = latestApproval(req);
    if (!approvalId) return { content: 'There is nothing waiting for your answer.' };
    const decision = /^yes/i.test(t) ? 'approve' : 'reject';
    return { content: decision === 'approve' ? 'Sending it.' : 'I will not send it.', toolCalls: [{ name: 'answer_approval', arguments: { approvalId, decision, ...(decision === 'reject' ? { reason: t } : {}) } }] };
  }
  if (/\bwhat'?s on my calendar\b/i.test(t)) {
    return { content: 'Looking.', toolCalls: [{ name: 'delegate_task', arguments: { title: 'Calendar this week', instruction: 'LIST CALENDAR for the next 7 days' } }] };
  }
  if ((m = /^put (.+?) on my calendar (.+)$/i.exec(t))) {
    const start = chrono.parseDate(m[2]!, { instant: user.at, timezone: tzOffsetMinutes(opts.timeZone, user.at) }, { forwardDate: true }) ?? new Date(user.at.getTime() + 86400_000);
    return { content: 'Adding it.', toolCalls: [{ name: 'delegate_task', arguments: { title: `Event: ${m[1]}`, instruction: `EVENT ${m[1]} at ${start.toISOString()}` } }] };
  }
  if ((m = /^find (.+?) in my mail\b/i.exec(t))) {
    return { content: 'Searching.', toolCalls: [{ name: 'delegate_task', arguments: { title: `Find ${m[1]}`, instruction: `SEARCH ${words(m[1]!).join(' ')}` } }] };
  }
  if ((m = /^research (.+)$/i.exec(t))) {
    return { content: 'Started.', toolCalls: [{ name: 'delegate_task', arguments: { title: `Research ${m[1]}`, instruction: `RESEARCH ${m[1]}` } }] };
  }
  if (/\bwhat'?s new\b/i.test(t)) {
    const items = [...all(req).matchAll(/^Feed event from [^\n]*\n[^\n]*\n([^\n]*)/gm), ...all(req).matchAll(/event: <<<[^\n]*\n([^\n]*)/g)].map((x) => x[1]!.trim());
    return { content: items.length ? `New:\n${[...new Set(items)].slice(-10).map((i) => `- ${i}`).join('\n')}` : 'Nothing new.' };
  }
  if (/remind me about\??$/i.test(t)) {
    const asked = pastUserMessages(req).filter((p) => /remind me/i.test(p)).pop();
    return { content: asked ? `You asked: "${asked}".` : 'You have not asked for a reminder.' };
  }
  if ((m = /^should i (.+)\?$/i.exec(t))) {
    const warned = shownSentences(req).find((s) => /suspected fraud|likely phishing/i.test(s) && words(s).some((w) => words(m![1]!).includes(w)));
    return { content: warned ? `No. That message looks like fraud: ${warned}` : 'I see no reason not to.' };
  }
  if (t.endsWith('?')) {
    if (opts.wrong) return { content: "I don't know." };
    // A follow-up ("And …?") is about the previous question's subject; the mail itself is found by a search.
    const subject = /^and\b/i.test(t) ? (pastUserMessages(req).filter((p) => p.endsWith('?')).pop() ?? t) : t;
    const shown = bestSentence(req, t);
    if (shown && !/^and\b/i.test(t) && words(shown).filter((w) => words(t).includes(w)).length >= 2) return { content: `From your mail: ${shown}` };
    return { content: 'Looking it up in your mail.', toolCalls: [{ name: 'delegate_task', arguments: { title: `Look up: ${subject.slice(0, 80)}`, instruction: `SEARCH ${searchTerms(subject)}` } }] };
  }
  return { content: 'OK.' };
}

const soon = (from: Date, hours: number) => new Date(from.getTime() + hours * 3600_000).toISOString();

/** A task agent: one tool call for its instruction, then a report of what the tool returned. */
function agentTurn(req: ChatRequest): FakeReply {
  const instruction = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const done = req.messages.some((m) => m.role === 'tool');
  const results = req.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');
  if (done) return { content: `Done. ${results.join('\n').slice(0, 3000)}` };
  let m: RegExpExecArray | null;
  if ((m = new RegExp(String.raw`DRAFT to (${ADDRESS}): (.+)`).exec(instruction))) return { toolCalls: [{ name: 'gmail_create_draft', arguments: { to: m[1], subject: 'A quick note', body: m[2] } }] };
  if ((m = new RegExp(String.raw`SEND to (${ADDRESS}): (.+)`).exec(instruction))) return { toolCalls: [{ name: 'gmail_send', arguments: { to: m[1], subject: 'A quick question', body: m[2] } }] };
  if (/LIST CALENDAR/.test(instruction)) return { toolCalls: [{ name: 'calendar_list_events', arguments: { from: soon(new Date(), -1), to: soon(new Date(), 24 * 7) } }] };
  if ((m = /EVENT (.+) at (\S+)/.exec(instruction))) {
    const start = new Date(m[2]!);
    return { toolCalls: [{ name: 'calendar_create_event', arguments: { title: m[1], start: start.toISOString(), end: soon(start, 1) } }] };
  }
  // Research takes long: it is still running when the user changes their mind.
  if (/\bRESEARCH\b/.test(instruction)) return { content: 'Nothing found yet.', delayMs: 10 * 60_000 };
  if ((m = /\bSEARCH (.+)/.exec(instruction))) return { toolCalls: [{ name: 'gmail_search', arguments: { query: m[1]! } }] };
  return { content: 'Done.' };
}

/**
 * The distiller: the rules' verdict stands (the prompt passes it as enum values), and the summary is
 * the mail's subject and body as they stand in its fence, without the headers, as a model would say it.
 */
function triageTurn(req: ChatRequest): FakeReply {
  const user = lastUserText(req);
  const rules = /suggested priority (\w+), category (\w+)/.exec(user);
  const fenced = /<<<UNTRUSTED email>>>\n([\s\S]*?)\n<<<END UNTRUSTED email>>>/.exec(user)?.[1] ?? '';
  const blank = fenced.indexOf('\n\n');
  const subject = /^Subject: (.*)$/m.exec(blank < 0 ? fenced : fenced.slice(0, blank))?.[1] ?? '';
  const body = (blank < 0 ? '' : fenced.slice(blank + 2)).replace(/\s+/g, ' ').trim();
  const summary = `${subject}: ${body}`.slice(0, 300);
  return { content: JSON.stringify({ priority: rules?.[1] ?? 'normal', category: rules?.[2] ?? 'other', summary, actionItems: [], reason: 'as the rules said' }) };
}

export function evalScript(opts: EvalModelOptions): (req: ChatRequest) => FakeReply {
  return (req) => {
    const kind = promptKind(req);
    if (kind === 'assistant') return assistantTurn(req, opts);
    if (kind === 'agent') return agentTurn(req);
    if ((req.messages[0]?.content ?? '').startsWith('You triage email')) return triageTurn(req);
    return { content: 'A short summary of the conversation so far.' };
  };
}
