// Gmail and Google Calendar tools, through Composio at the toolkit versions pinned in config.
// Tool names and arguments are Paprika's (tool-registry.ts); this file maps them onto Composio's
// slugs and argument names, so switching to the Google APIs directly would touch only this file.
import type { Config } from '../../config';
import type { BuiltinToolArgs } from '../../agents/tool-registry';
import { executeComposioTool, type ToolResult } from '../../integrations/composio/tools';
import { compact, type ToolOutcome, type ToolRunContext, type ToolRunner } from './types';

type A<N extends keyof BuiltinToolArgs> = BuiltinToolArgs[N];

function outcome(result: ToolResult, describe: (data: Record<string, unknown>) => string = (d) => compact(d)): ToolOutcome {
  if (!result.successful) return { ok: false, text: `error: ${result.error ?? 'the tool failed'}` };
  return { ok: true, text: describe(result.data) };
}

function recipients(to: string[]) {
  return { recipient_email: to[0], ...(to.length > 1 ? { extra_recipients: to.slice(1) } : {}) };
}

interface ThreadMessage {
  messageId?: string;
  sender?: string;
  to?: string;
  subject?: string;
  messageText?: string;
  messageTimestamp?: string;
}

function address(sender: string | undefined): string | undefined {
  if (!sender) return undefined;
  const m = /<([^<>]+)>/.exec(sender);
  return (m ? m[1]! : sender).trim();
}

export function createGoogleTools(config: Config) {
  const run = (ctx: ToolRunContext, slug: string, args: Record<string, unknown>) =>
    executeComposioTool(config, { userId: ctx.userId, slug, arguments: args, signal: ctx.signal });

  /** Who a reply goes to (the last message's sender) and its subject, from the thread. */
  async function replyContext(userId: string, threadId: string, signal?: AbortSignal): Promise<{ to?: string; subject?: string }> {
    const res = await executeComposioTool(config, { userId, slug: 'GMAIL_FETCH_MESSAGE_BY_THREAD_ID', arguments: { thread_id: threadId }, signal });
    const messages = (res.successful ? (res.data.messages as ThreadMessage[] | undefined) : undefined) ?? [];
    const last = messages[messages.length - 1];
    if (!last) return {};
    const subject = last.subject ? `Re: ${last.subject.replace(/^re:\s*/i, '')}` : undefined;
    return { to: address(last.sender), subject };
  }

  const runners: Record<string, ToolRunner> = {
    async gmail_search(a: A<'gmail_search'>, ctx) {
      return outcome(await run(ctx, 'GMAIL_FETCH_EMAILS', { query: a.query, max_results: a.max ?? 10 }), (d) => {
        const messages = ((d.messages as ThreadMessage[] | undefined) ?? []).map((m) => ({
          messageId: m.messageId,
          threadId: (m as { threadId?: string }).threadId,
          from: m.sender,
          subject: m.subject,
          date: m.messageTimestamp,
          snippet: (m.messageText ?? '').slice(0, 300),
        }));
        return compact({ messages });
      });
    },
    async gmail_read_thread(a: A<'gmail_read_thread'>, ctx) {
      return outcome(await run(ctx, 'GMAIL_FETCH_MESSAGE_BY_THREAD_ID', { thread_id: a.threadId }), (d) =>
        ((d.messages as ThreadMessage[] | undefined) ?? [])
          .map((m) => `From: ${m.sender ?? ''}\nTo: ${m.to ?? ''}\nDate: ${m.messageTimestamp ?? ''}\nSubject: ${m.subject ?? ''}\n\n${m.messageText ?? ''}`)
          .join('\n\n---\n\n'),
      );
    },
    async gmail_create_draft(a: A<'gmail_create_draft'>, ctx) {
      return outcome(
        await run(ctx, 'GMAIL_CREATE_EMAIL_DRAFT', { ...recipients(a.to), subject: a.subject, body: a.body, ...(a.cc ? { cc: a.cc } : {}) }),
        (d) => `draft created (id ${String(d.id ?? '?')}) to ${a.to.join(', ')}: "${a.subject}"`,
      );
    },
    async gmail_send(a: A<'gmail_send'>, ctx) {
      const res = await run(ctx, 'GMAIL_SEND_EMAIL', { ...recipients(a.to), subject: a.subject, body: a.body, ...(a.cc ? { cc: a.cc } : {}) });
      const out = outcome(res, (d) => `email sent (message id ${String(d.id ?? '?')}) to ${a.to.join(', ')}: "${a.subject}"`);
      const data = (res.data ?? {}) as { threadId?: unknown; response_data?: { threadId?: unknown } };
      const threadId = data.threadId ?? data.response_data?.threadId;
      return out.ok && typeof threadId === 'string' ? { ...out, threadId } : out;
    },
    async gmail_reply(a: A<'gmail_reply'>, ctx) {
      const to = a.to ?? (await replyContext(ctx.userId, a.threadId, ctx.signal)).to;
      if (!to) return { ok: false, text: `error: thread ${a.threadId} not found or has no sender to reply to` };
      return outcome(await run(ctx, 'GMAIL_REPLY_TO_THREAD', { thread_id: a.threadId, message_body: a.body, recipient_email: to }), (d) =>
        `reply sent (message id ${String(d.id ?? '?')}) to ${to} in thread ${a.threadId}`,
      );
    },
    async gmail_label(a: A<'gmail_label'>, ctx) {
      return outcome(
        await run(ctx, 'GMAIL_ADD_LABEL_TO_EMAIL', { message_id: a.messageId, add_label_ids: a.add ?? [], remove_label_ids: a.remove ?? [] }),
        (d) => `labels of ${a.messageId} are now ${compact(d.labelIds)}`,
      );
    },
    async calendar_list_events(a: A<'calendar_list_events'>, ctx) {
      return outcome(await run(ctx, 'GOOGLECALENDAR_EVENTS_LIST', { timeMin: a.from, timeMax: a.to }), (d) =>
        compact(
          ((d.items as Record<string, any>[] | undefined) ?? []).map((e) => ({
            id: e.id,
            title: e.summary,
            start: e.start?.dateTime ?? e.start?.date,
            end: e.end?.dateTime ?? e.end?.date,
            attendees: (e.attendees ?? []).map((x: { email: string }) => x.email),
            location: e.location,
          })),
        ),
      );
    },
    async calendar_find_free_slots(a: A<'calendar_find_free_slots'>, ctx) {
      return outcome(await run(ctx, 'GOOGLECALENDAR_FIND_FREE_SLOTS', { time_min: a.from, time_max: a.to }), (d) => {
        const calendars = (d.calendars as Record<string, { free?: { start: string; end: string }[] }> | undefined) ?? {};
        const free = Object.values(calendars).flatMap((c) => c.free ?? []);
        const long = free.filter((s) => Date.parse(s.end) - Date.parse(s.start) >= a.durationMinutes * 60_000);
        return compact({ free: long });
      });
    },
    async calendar_create_event(a: A<'calendar_create_event'>, ctx) {
      return outcome(
        await run(ctx, 'GOOGLECALENDAR_CREATE_EVENT', {
          summary: a.title,
          start_datetime: a.start,
          end_datetime: a.end,
          ...(a.attendees ? { attendees: a.attendees } : {}),
          ...(a.description !== undefined ? { description: a.description } : {}),
        }),
        (d) => `event created (id ${String(d.id ?? '?')}): "${a.title}" ${a.start} – ${a.end}`,
      );
    },
    async calendar_update_event(a: A<'calendar_update_event'>, ctx) {
      return outcome(
        await run(ctx, 'GOOGLECALENDAR_UPDATE_EVENT', {
          event_id: a.eventId,
          ...(a.title !== undefined ? { summary: a.title } : {}),
          ...(a.start !== undefined ? { start_datetime: a.start } : {}),
          ...(a.end !== undefined ? { end_datetime: a.end } : {}),
          ...(a.attendees !== undefined ? { attendees: a.attendees } : {}),
          ...(a.description !== undefined ? { description: a.description } : {}),
        }),
        (d) => `event ${a.eventId} updated: ${compact({ title: d.summary, start: (d.start as any)?.dateTime, end: (d.end as any)?.dateTime })}`,
      );
    },
  };

  return { runners, replyContext };
}
