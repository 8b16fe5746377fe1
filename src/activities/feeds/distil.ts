// `distilFeedItem`: reads a stored feed item by ID, decides its priority (rules first, then the
// model when one is configured and the rules are not confident), records the distillation and
// says whether the user should hear about it. Only the compact result enters workflow history.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Config } from '../../config';
import { distilByRules, passesThreshold, refineWithModel } from '../../triage/verdict';
import { distilPrompt, type RelatedMail } from '../../triage/distil-prompt';
import type { UserContext } from '../../triage/user-context';
import { loadUserContext } from '../user-context';
import { PROMPT_CORRECTIONS, triageContextFor } from '../../triage/load-context';
import type { FeedbackRule } from '../../shared/feed';
import { type Distillation, type FeedSettings, parseDistillation, type RawEmail } from '../../shared/feed';
import { type Priority, Priority as PrioritySchema } from '../../shared/types';
import type { ContextItem } from '../../store/context';
import type { Store } from '../../store';
import type { ModelClient } from '../../integrations/model';
import { storedItemMismatch } from '../../shared/feed-item-check';
import { feedNotificationId, mailItemId, parseContextItemId } from '../../shared/ids';
import { clip } from '../../shared/text';
import { contextPluginItem, emailPluginItem, priorityFromPlugins, withPluginPriority } from '../../plugins/run-priority';
import { type Announcement, feedEventId } from './announce';
import { followUpOnMail } from '../follow-ups';

export interface DistilInput {
  userId: string;
  /** The context store ID of the item. */
  itemId: string;
  /** The source the feed workflow was started with; absent from runs started before IDs had a kind. */
  source?: string;
}

export interface DistilResult {
  priority: Priority;
  category: string;
  /** rules: no model needed or none configured; model: refined by the model; rules-fallback: the model failed; plugin: a plugin's priority function. */
  by: 'rules' | 'model' | 'rules-fallback' | 'sender' | 'plugin';
  notify: boolean;
  /** Present when the item passes the user's threshold: what to notify and tell the assistant. */
  announcement?: Announcement;
}

/** What the feed workflow keeps of a distilled and announced item (the announcement itself stays out of its history). */
export type FeedItemResult = Omit<DistilResult, 'announcement'> & { announced: boolean };

/** Model attempts before a feed gives up on it and keeps the rules' answer, so mail is never stuck. */
const MODEL_ATTEMPTS = 3;
/** Related mail shown to the model with an email: enough to see a thread's history, not a mailbox. */
const RELATED_MAX = 5;

export function makeDistil(config: Config, store: Store, client: ModelClient | undefined) {
  /** Related mail for the model's judgement: the thread first, then the sender's latest, at most a few. */
  async function relatedTo(item: ContextItem): Promise<RelatedMail[]> {
    const seen = new Set([item.id]);
    const picked: ContextItem[] = [];
    const thread = item.threadId ? await store.context.inThread(item.userId, item.threadId, RELATED_MAX) : [];
    const sender = item.senderAddress ? await store.context.bySender(item.userId, item.senderAddress, RELATED_MAX) : [];
    for (const r of [...thread, ...sender]) {
      if (picked.length >= RELATED_MAX || seen.has(r.id) || r.kind !== 'email') continue;
      picked.push(r);
      seen.add(r.id);
    }
    return picked.map((r) => ({ occurredAt: r.occurredAt, sender: r.sender, title: r.title, ...(r.distillation ? { priority: r.distillation.priority } : {}) }));
  }

  async function byModel(email: RawEmail, settings: FeedSettings, rules: Distillation, related: RelatedMail[], corrections: FeedbackRule[], user: UserContext): Promise<Distillation | undefined> {
    const prompt = distilPrompt(email, settings, rules, related, corrections, user);
    try {
      const res = await client!.complete(
        [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        [],
        { json: true },
      );
      return parseDistillation(JSON.parse(res.content ?? ''));
    } catch (err) {
      const attempt = Context.current().info.attempt;
      // Unreachable or rate-limited: let Temporal retry a few times before settling for the rules.
      if (err instanceof ApplicationFailure && !err.nonRetryable && attempt < MODEL_ATTEMPTS) throw err;
      Context.current().log.warn('model distillation failed; keeping the rules', { error: (err as Error).message, attempt });
      return undefined;
    }
  }

  async function distilEmail(item: ContextItem, email: RawEmail, settings: FeedSettings) {
    const ctx = await triageContextFor(store, item.userId);
    const rules = distilByRules(email, settings, new Date(), ctx);
    if (!client || rules.confident) return { d: rules.distillation, by: 'rules' as const };
    // "Due tomorrow" is read against the user's own today, and a remembered fact ("Dana is my manager") informs the priority.
    const user = await loadUserContext(store, item.userId, new Date(), `${email.subject}\n${email.from.name ?? ''} ${email.from.address}`);
    const model = await byModel(email, settings, rules.distillation, await relatedTo(item), ctx.feedback.slice(0, PROMPT_CORRECTIONS), user);
    return model ? { d: refineWithModel(rules, model), by: 'model' as const } : { d: rules.distillation, by: 'rules-fallback' as const };
  }

  function distilWebhook(item: ContextItem): { d: Distillation; by: 'sender' } {
    const data = (item.data ?? {}) as { priority?: unknown };
    const given = PrioritySchema.safeParse(data.priority);
    const lead = item.body.replace(/\s+/g, ' ').trim();
    return {
      d: {
        priority: given.success ? given.data : 'normal',
        category: 'other',
        summary: clip(lead ? `${item.title} — ${lead}` : item.title, 300),
        actionItems: [],
        reason: given.success ? `${item.source} marked it ${given.data}` : `${item.source} gave no priority`,
      },
      by: 'sender',
    };
  }

  /** The user's item, if it is what its ID and the feed's claimed source say; refused otherwise. */
  async function checkedItem(input: DistilInput): Promise<ContextItem> {
    const refuse = (reason: string, type: string): never => {
      Context.current().log.error('feed item refused', { userId: input.userId, itemId: input.itemId, source: input.source, reason });
      throw ApplicationFailure.nonRetryable(reason, type);
    };
    // A run started before IDs had a kind carries a bare Message-ID; the store moved that mail to `mail:`.
    const itemId = input.source === undefined && !parseContextItemId(input.itemId) ? mailItemId(input.itemId) : input.itemId;
    const item = await store.context.get(input.userId, itemId);
    if (!item) return refuse(`feed item "${itemId}" is not in the context store of user ${input.userId}`, 'FeedItemMissing');
    const mismatch = storedItemMismatch(itemId, item);
    if (mismatch) return refuse(mismatch, 'FeedItemMismatch');
    if (input.source !== undefined && input.source !== item.source) {
      return refuse(`feed item "${itemId}" is stored from source "${item.source}", not "${input.source}"`, 'FeedItemMismatch');
    }
    return item;
  }

  return async function distilFeedItem(input: DistilInput): Promise<DistilResult> {
    const item = await checkedItem(input);
    const settings = await store.settings.get(input.userId);
    let d: Distillation;
    let by: DistilResult['by'];
    let title: string;
    if (item.kind === 'email') {
      const email = (await store.context.getEmail(item.userId, item.id))!;
      const verdict = await priorityFromPlugins(config, store, emailPluginItem(email));
      ({ d, by } = verdict
        ? { d: withPluginPriority(distilByRules(email, settings, new Date()).distillation, verdict), by: 'plugin' as const }
        : await distilEmail(item, email, settings));
      const who = email.from.name || email.from.address;
      title = clip(`${who}: ${email.subject || '(no subject)'}`, 300);
    } else {
      const verdict = await priorityFromPlugins(config, store, contextPluginItem(item));
      ({ d, by } = distilWebhook(item));
      if (verdict) ({ d, by } = { d: withPluginPriority(d, verdict), by: 'plugin' });
      title = clip(`${item.source}: ${item.title}`, 300);
    }
    await store.context.saveDistillation(item.userId, item.id, d);
    // A reply in a followed thread reaches its follow-up; a failure there must not hold up the mail.
    await followUpOnMail(config, store, item).catch((err: Error) => Context.current().log.warn('could not tell the follow-up', { error: err.message }));
    const notify = passesThreshold(d.priority, settings.notifyThreshold);
    const result: DistilResult = { priority: d.priority, category: d.category, by, notify };
    if (!notify) return result;

    if (d.warning) title = clip(`Suspected fraud — ${title}`, 300);
    const details = [
      d.warning,
      d.summary,
      d.actionItems.length ? `Action items:\n${d.actionItems.map((a) => `- ${a}`).join('\n')}` : undefined,
      d.deadline ? `Deadline: ${d.deadline}` : undefined,
      `Why ${d.priority}: ${d.reason}`,
    ].filter((l): l is string => l !== undefined);
    result.announcement = {
      userId: input.userId,
      notificationId: feedNotificationId(input.userId, item.id),
      notification: { title, body: clip(details.join('\n\n'), 5000), priority: d.priority, source: item.source, ref: item.id },
      event: {
        id: feedEventId(item.id),
        kind: 'feed',
        priority: d.priority,
        source: item.source,
        ref: item.id,
        // The summary, not the raw item: the prompt fences it, and the full text stays in the store.
        text: clip(`${title}\n${details.join('\n')}`, 4000),
        at: new Date().toISOString(),
      },
    };
    return result;
  };
}
