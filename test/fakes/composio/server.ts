// A fake Composio backend on 127.0.0.1 that speaks the subset of the v3.1 REST API the real
// @composio/core SDK uses for Paprika, plus Composio's side of webhooks (signed deliveries).
// Point the SDK at it with `baseURL: fake.url`; the SDK itself stays unchanged. Each resource has its
// own module here (accounts, triggers, tools with the Gmail and Calendar state, webhooks); this one
// serves them over HTTP.
//
// Endpoints (all under the `x-api-key` header, as the SDK sends it):
//   GET    /api/v3.1/connected_accounts            ?user_ids=a,b&auth_config_ids=..&statuses=..&toolkit_slugs=..
//   GET    /api/v3.1/connected_accounts/:id
//   POST   /api/v3.1/connected_accounts/link        {auth_config_id, user_id, callback_url?}
//   PATCH  /api/v3.1/connected_accounts/:id/status  {enabled}
//   GET    /api/v3.1/triggers_types/:slug
//   POST   /api/v3.1/trigger_instances/:slug/upsert {connected_account_id?, trigger_config, toolkit_versions, user_id}
//   GET    /api/v3.1/trigger_instances/active       ?connected_account_ids=..&trigger_names=..&trigger_ids=..&show_disabled=..
//   PATCH  /api/v3.1/trigger_instances/manage/:id   {status: enable|disable}
//   DELETE /api/v3.1/trigger_instances/manage/:id
//   GET    /api/v3.1/tools/:slug                    ?version=.. | ?toolkit_versions[..]=..
//   POST   /api/v3.1/tools/execute/:slug            {arguments, user_id, version, connected_account_id?}
// and, without an API key, the page a user opens to finish OAuth:
//   GET    /oauth/:linkToken                        marks the linked account ACTIVE
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { activateAccount, routeAccounts } from './accounts';
import { toFakeMessage } from './gmail';
import type { EventOptions, Execution, FakeComposioOptions, FakeComposioState, FakeContext, GmailMessageInput, RouteResult, SignedWebhook, ToolHandler } from './state';
import { error } from './state';
import { defaultHandlers, routeTools } from './tools';
import { makeAccountExpiredEvent, makeGmailMessageEvent, makeTriggerDisabledEvent, routeTriggers } from './triggers';
import { signWebhook } from './webhooks';

export * from './state';

export interface FakeComposio {
  url: string;
  apiKey: string;
  webhookSecret: string;
  state: FakeComposioState;
  executed: Execution[];
  setToolHandler(slug: string, fn: ToolHandler): void;
  /** Finishes the OAuth flow for an account, as the user would by opening the redirect URL. */
  activateAccount(connectedAccountId: string): void;
  signWebhook(payload: unknown, opts?: { secret?: string; timestamp?: number; id?: string }): SignedWebhook;
  makeGmailMessageEvent(message: GmailMessageInput, opts: EventOptions): Record<string, unknown>;
  /** A V3 `composio.connected_account.expired` event; also marks the account EXPIRED. */
  makeAccountExpiredEvent(opts?: { connectedAccountId?: string; reason?: string }): Record<string, unknown>;
  /** A V3 `composio.trigger.disabled` event; also disables the trigger. */
  makeTriggerDisabledEvent(opts?: { triggerId?: string; reason?: string }): Record<string, unknown>;
  /** Signs and POSTs an event to the app, as Composio would. */
  deliverWebhook(targetUrl: string, payload: unknown, opts?: { secret?: string; timestamp?: number; id?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startFakeComposio(opts: FakeComposioOptions = {}): Promise<FakeComposio> {
  const apiKey = opts.apiKey ?? `ak_fake_${randomBytes(8).toString('hex')}`;
  const webhookSecret = opts.webhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const toolkitVersion = opts.toolkitVersion ?? '20250909_00';
  const state: FakeComposioState = {
    authConfigs: new Map(Object.entries(opts.authConfigs ?? { ac_gmail: 'gmail', ac_calendar: 'googlecalendar' })),
    accounts: new Map(),
    triggers: new Map(),
    upserts: [],
    requests: [],
    mailbox: (opts.mailbox ?? []).map(toFakeMessage),
    sent: [],
    drafts: [],
    calendar: [...(opts.calendar ?? [])],
  };
  const executed: Execution[] = [];
  const handlers = defaultHandlers();
  const ctx: FakeContext = { state, executed, handlers, toolkitVersion, url: '' };

  const resources = [routeAccounts, routeTriggers, routeTools];
  async function route(method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): Promise<[number, unknown]> {
    for (const resource of resources) {
      const answer: RouteResult = await resource(ctx, method, path, q, body);
      if (answer) return answer;
    }
    return [404, error(404, `fake composio has no route ${method} ${path}`, 'NotFound')];
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const parsed = new URL(req.url ?? '/', 'http://fake');
        const method = req.method ?? 'GET';
        state.requests.push({ method, path: parsed.pathname, query: parsed.search });
        const send = (status: number, payload: unknown, type = 'application/json') => {
          res.writeHead(status, { 'content-type': type });
          res.end(type === 'application/json' ? JSON.stringify(payload) : String(payload));
        };
        const oauth = /^\/oauth\/([^/]+)$/.exec(parsed.pathname);
        if (method === 'GET' && oauth) {
          const account = [...state.accounts.values()].find((a) => a.linkToken === oauth[1]);
          if (!account) return send(404, 'unknown link', 'text/plain');
          activateAccount(state, account.id);
          return send(200, `Connected ${account.toolkit} for ${account.userId}. You can close this page.`, 'text/plain');
        }
        if (req.headers['x-api-key'] !== apiKey) return send(401, error(401, 'Invalid API key', 'Unauthorized'));
        let body: Record<string, unknown> = {};
        if (chunks.length) {
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          } catch {
            return send(400, error(400, 'body is not JSON', 'BadRequest'));
          }
        }
        try {
          const [status, payload] = await route(method, parsed.pathname, parsed.searchParams, body);
          send(status, payload);
        } catch (err) {
          send(500, error(500, (err as Error).message, 'InternalError'));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ctx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: ctx.url,
    apiKey,
    webhookSecret,
    state,
    executed,
    setToolHandler: (slug, fn) => void handlers.set(slug.toUpperCase(), fn),
    activateAccount: (id) => activateAccount(state, id),
    signWebhook: (payload, o) => signWebhook(webhookSecret, payload, o),
    makeGmailMessageEvent: (message, o) => makeGmailMessageEvent(state, message, o),
    makeAccountExpiredEvent: (o) => makeAccountExpiredEvent(state, o),
    makeTriggerDisabledEvent: (o) => makeTriggerDisabledEvent(state, o),
    async deliverWebhook(targetUrl, payload, o) {
      const { headers, body } = signWebhook(webhookSecret, payload, o);
      return fetch(targetUrl, { method: 'POST', headers, body });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
