// Feedback on notifications and the rules it makes: POST /api/notifications/:id/feedback,
// GET /api/rules, PUT /api/rules/:id, DELETE /api/rules/:id. The distillation applies the rules.
import type { Hono } from 'hono';
import { z } from 'zod';
import { FeedbackRuleInput, type RuleScope, RuleScope as RuleScopeSchema } from '../../shared/feed';
import type { ServerDeps } from '../deps';
import { jsonBody } from '../validate';

const Feedback = z
  .object({
    verdict: z.enum(['not_important', 'always_tell_me']),
    scope: RuleScopeSchema.optional(),
    /** Defaults to the notification's sender (scope sender) or the sender's domain (scope domain). */
    value: z.string().max(200).optional(),
    note: z.string().max(300).optional(),
  })
  .strict();

const isUniqueClash = (err: unknown) => (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';

export function ruleRoutes(app: Hono, { config, store }: ServerDeps): void {
  const user = config.userId;

  /** The sender of the item a notification is about, when it has one. */
  const senderOf = (ref: string | undefined): string | undefined => {
    if (!ref) return undefined;
    return store.context.getEmail(user, ref)?.from.address.toLowerCase() ?? store.context.get(user, ref)?.senderAddress?.toLowerCase();
  };

  app.post('/api/notifications/:id/feedback', jsonBody(Feedback), async (c) => {
    const id = c.req.param('id');
    const n = await store.notifications.get(id);
    if (!n || n.userId !== user) return c.json({ error: `no notification ${id}` }, 404);
    const body = c.req.valid('json');
    const scope: RuleScope = body.scope ?? 'sender';
    const sender = senderOf(n.ref);
    const value = body.value ?? (scope === 'sender' ? sender : scope === 'domain' ? sender?.split('@').pop() : undefined);
    if (!value) return c.json({ error: scope === 'keyword' ? 'a keyword rule needs a value' : 'this notification has no sender; give a value or a keyword' }, 400);
    const effect = body.verdict === 'not_important' ? 'never_notify' : 'always_notify';
    const rule = store.rules.upsert(user, { scope, value, effect, ...(body.note ? { note: body.note } : {}) }, id);
    // "Not important" also answers this one: it need not stay unread.
    if (effect === 'never_notify') await store.notifications.markRead(user, id);
    return c.json({ rule }, 201);
  });

  app.get('/api/rules', (c) => c.json({ rules: store.rules.list(user) }));

  app.put('/api/rules/:id', jsonBody(FeedbackRuleInput), (c) => {
    try {
      const rule = store.rules.update(user, c.req.param('id'), c.req.valid('json'));
      return rule ? c.json({ rule }) : c.json({ error: `no rule ${c.req.param('id')}` }, 404);
    } catch (err) {
      if (isUniqueClash(err)) return c.json({ error: 'another rule already has this scope and value' }, 409);
      throw err;
    }
  });

  app.delete('/api/rules/:id', (c) => (store.rules.delete(user, c.req.param('id')) ? c.json({ ok: true }) : c.json({ error: `no rule ${c.req.param('id')}` }, 404)));
}
