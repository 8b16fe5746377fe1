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

// SQLite's and Postgres's (23505) codes for a unique constraint violation.
const isUniqueClash = (err: unknown) => ['SQLITE_CONSTRAINT_UNIQUE', '23505'].includes((err as { code?: string })?.code ?? '');

export function ruleRoutes(app: Hono, { store }: ServerDeps): void {

  /** The sender of the item a notification is about, when it has one. */
  const senderOf = async (user: string, ref: string | undefined): Promise<string | undefined> => {
    if (!ref) return undefined;
    return (await store.context.getEmail(user, ref))?.from.address.toLowerCase() ?? (await store.context.get(user, ref))?.senderAddress?.toLowerCase();
  };

  app.post('/api/notifications/:id/feedback', jsonBody(Feedback), async (c) => {
    const user = c.get('userId');
    const id = c.req.param('id');
    const n = await store.notifications.get(id);
    if (!n || n.userId !== user) return c.json({ error: `no notification ${id}` }, 404);
    const body = c.req.valid('json');
    const scope: RuleScope = body.scope ?? 'sender';
    const sender = await senderOf(user, n.ref);
    const value = body.value ?? (scope === 'sender' ? sender : scope === 'domain' ? sender?.split('@').pop() : undefined);
    if (!value) return c.json({ error: scope === 'keyword' ? 'a keyword rule needs a value' : 'this notification has no sender; give a value or a keyword' }, 400);
    const effect = body.verdict === 'not_important' ? 'never_notify' : 'always_notify';
    const rule = await store.rules.upsert(user, { scope, value, effect, ...(body.note ? { note: body.note } : {}) }, id);
    // "Not important" also answers this one: it need not stay unread.
    if (effect === 'never_notify') await store.notifications.markRead(user, id);
    return c.json({ rule }, 201);
  });

  app.get('/api/rules', async (c) => c.json({ rules: await store.rules.list(c.get('userId')) }));

  app.put('/api/rules/:id', jsonBody(FeedbackRuleInput), async (c) => {
    try {
      const rule = await store.rules.update(c.get('userId'), c.req.param('id'), c.req.valid('json'));
      return rule ? c.json({ rule }) : c.json({ error: `no rule ${c.req.param('id')}` }, 404);
    } catch (err) {
      if (isUniqueClash(err)) return c.json({ error: 'another rule already has this scope and value' }, 409);
      throw err;
    }
  });

  app.delete('/api/rules/:id', async (c) => ((await store.rules.delete(c.get('userId'), c.req.param('id'))) ? c.json({ ok: true }) : c.json({ error: `no rule ${c.req.param('id')}` }, 404)));
}
