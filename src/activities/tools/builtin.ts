// Paprika's own tools: the context store, long-term memory, notifications, reminders, web pages.
import type { Config } from '../../config';
import type { BuiltinToolArgs } from '../../agents/tool-registry';
import { reminderFireAt, reminderTitle } from '../../shared/reminder-start';
import type { Store } from '../../store';
import { webFetch } from '../../integrations/web-fetch';
import { paprikaClient } from '../paprika';
import { compact, type ToolRunner } from './types';

type A<N extends keyof BuiltinToolArgs> = BuiltinToolArgs[N];

export function createBuiltinTools(config: Config, store: Store): Record<string, ToolRunner> {
  return {
    async search_context(a: A<'search_context'>, ctx) {
      const hits = await store.context.search(ctx.userId, a.query, { limit: a.limit ?? 10, match: 'any' });
      if (!hits.length) return { ok: true, text: `nothing stored matches "${a.query}"` };
      return {
        ok: true,
        text: compact(hits.map((h) => ({ id: h.id, kind: h.kind, title: h.title, from: h.sender, at: h.occurredAt, snippet: h.snippet }))),
      };
    },
    async remember(a: A<'remember'>, ctx) {
      // The ID comes from the call, so a retried activity keeps one fact.
      const fact = await store.memory.add(ctx.userId, a.fact, { id: `fact-${ctx.taskId}-${ctx.callId}`.slice(0, 200), source: `task:${ctx.taskId}` });
      return { ok: true, text: `remembered (fact ${fact.id})` };
    },
    async recall(a: A<'recall'>, ctx) {
      const facts = await store.memory.recall(ctx.userId, a.query ?? '');
      return { ok: true, text: facts.length ? facts.map((f) => `- ${f.text}`).join('\n') : 'nothing remembered about that' };
    },
    async notify_user(a: A<'notify_user'>, ctx) {
      await store.notifications.add(`${ctx.taskId}:${ctx.callId}`, ctx.userId, {
        title: a.title,
        body: a.body ?? '',
        priority: a.priority ?? 'normal',
        source: 'task',
        ref: `task:${ctx.taskId}`,
      });
      return { ok: true, text: 'notified' };
    },
    async set_reminder(a: A<'set_reminder'>, ctx) {
      const fireAt = reminderFireAt(a, new Date());
      const reminderId = `${ctx.taskId}-${ctx.callId}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 150);
      const reminders = paprikaClient(config, store).tasks;
      await store.tasks.start({ id: reminderId, userId: ctx.userId, tool: 'set_reminder', title: reminderTitle(a.text), workflowId: reminders.reminderWorkflowId(ctx.userId, reminderId) });
      // A retried activity finds its reminder already scheduled: that is success too.
      await reminders.startReminder({ userId: ctx.userId, reminderId, text: a.text, fireAt });
      return { ok: true, text: `reminder set for ${fireAt}` };
    },
    async web_fetch(a: A<'web_fetch'>, ctx) {
      const page = await webFetch(a.url, {
        maxBytes: config.limits.webFetchMaxBytes,
        timeoutMs: config.limits.webFetchTimeoutSeconds * 1000,
        signal: ctx.signal,
        // Off unless the operator opts in (PAPRIKA_WEB_FETCH_ALLOW_PRIVATE): a page or mail
        // could otherwise steer an agent at services on the user's own network.
        allowPrivateNetwork: config.limits.webFetchAllowPrivate,
      });
      return { ok: page.status < 400, text: `${page.status} ${page.contentType}${page.truncated ? ' (truncated)' : ''}\n${page.text}` };
    },
  };
}
