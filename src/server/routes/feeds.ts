// Feed webhooks. Both authenticate by signature over the raw body (not by the API token), so the
// body is read as text before anything parses it; a request that fails verification starts nothing.
// Without a token they name their user inside what is signed: Composio's payload carries the user
// id its trigger was set up for (connect:gmail uses the Paprika user id); a generic webhook's body
// may carry `user`, otherwise it is the configured user's. An unknown user gets nothing.
import { USER_ID } from '../../shared/ids';
import type { Hono } from 'hono';
import { z } from 'zod';
import { ComposioConfigError } from '../../integrations/composio/client';
import { verifyComposioWebhook, type VerifiedWebhook, WebhookPayloadError, WebhookSignatureError } from '../../integrations/composio/webhooks';
import { forgetSourceCache } from '../sources-health';
import { SIGNATURE_HEADER, SignatureError, TIMESTAMP_HEADER, verifySignature } from '../../shared/webhook-signature';
import { MAX_EMAIL_TEXT } from '../../shared/feed';
import { Priority } from '../../shared/types';
import type { ServerDeps } from '../deps';
import { describeZod } from '../errors';

const SOURCE = /^[a-z0-9_-]{1,40}$/i;

export const WebhookItemBody = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.:@-]{1,150}$/, 'id: 1-150 letters, digits and _ . : @ - (your system’s own ID for the item)'),
  title: z.string().trim().min(1, 'title must not be empty').max(300),
  text: z.string().max(MAX_EMAIL_TEXT).default(''),
  priority: Priority.optional(),
  url: z.string().url().max(2000).optional(),
  /** Whose item this is (signed with the body); the configured user when absent. */
  user: z.string().regex(USER_ID, 'user: a Paprika user id').optional(),
});

export function feedRoutes(app: Hono, { config, store, paprika }: ServerDeps): void {
  app.post('/api/feeds/composio', async (c) => {
    const rawBody = await c.req.text();
    let event: VerifiedWebhook;
    try {
      event = await verifyComposioWebhook(config, { rawBody, headers: c.req.raw.headers });
    } catch (err) {
      if (err instanceof WebhookSignatureError) return c.json({ error: `invalid Composio signature: ${err.message}` }, 401);
      if (err instanceof WebhookPayloadError) return c.json({ error: err.message }, 400);
      if (err instanceof ComposioConfigError) return c.json({ error: err.message }, 503);
      throw err;
    }
    if (event.kind === 'other') return c.json({ ok: true, ignored: event.type });
    // V1 payloads carry no user id; the normaliser falls back to the configured user for those.
    const userId = event.userId;
    // Acknowledged, so Composio does not retry a delivery that is nobody's here.
    if (!(await store.users.exists(userId))) return c.json({ ok: true, ignored: `no user "${userId}"` });
    switch (event.kind) {
      case 'gmail_message': {
        const started = await paprika.feeds.submitEmail(event.message, userId);
        return c.json({ ok: true, ...started }, started.duplicate ? 200 : 202);
      }
      case 'account_expired':
        forgetSourceCache(config);
        await store.notifications.add(`composio:${event.webhookId}`, userId, {
          title: `Your ${event.toolkit === 'googlecalendar' ? 'Google Calendar' : 'Gmail'} connection expired`,
          body: `Composio reports that connected account ${event.connectedAccountId} expired (${event.reason}). New mail will not arrive until you run npm run connect:gmail again.`,
          priority: 'high',
          source: 'composio',
        });
        return c.json({ ok: true, handled: event.kind });
      case 'trigger_disabled':
        forgetSourceCache(config);
        await store.notifications.add(`composio:${event.webhookId}`, userId, {
          title: 'The Gmail trigger was disabled',
          body: `Composio disabled trigger ${event.triggerId} (${event.triggerSlug || 'GMAIL_NEW_GMAIL_MESSAGE'}): ${event.reason}. Run npm run connect:gmail to re-enable it.`,
          priority: 'high',
          source: 'composio',
        });
        return c.json({ ok: true, handled: event.kind });
    }
  });

  app.post('/api/feeds/webhook/:source', async (c) => {
    const source = c.req.param('source');
    const rawBody = await c.req.text();
    // Own keys only: a source named like an Object.prototype member ("constructor") has no secret.
    const secret = SOURCE.test(source) && Object.hasOwn(config.webhookSecrets, source) ? config.webhookSecrets[source] : undefined;
    if (!secret) return c.json({ error: `no webhook source "${source}": add it to PAPRIKA_WEBHOOK_SECRETS` }, 404);
    try {
      verifySignature(secret, { signature: c.req.header(SIGNATURE_HEADER), timestamp: c.req.header(TIMESTAMP_HEADER) }, rawBody);
    } catch (err) {
      if (err instanceof SignatureError) return c.json({ error: `invalid signature: ${err.message}` }, 401);
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return c.json({ error: 'body is not valid JSON' }, 400);
    }
    const item = WebhookItemBody.safeParse(json);
    if (!item.success) return c.json({ error: describeZod(item.error) }, 400);
    const { user = config.userId, ...data } = item.data;
    if (!(await store.users.exists(user))) return c.json({ error: `no user "${user}"` }, 404);
    const started = await paprika.feeds.submitWebhookItem(source, data, user);
    return c.json({ ok: true, ...started }, started.duplicate ? 200 : 202);
  });
}
