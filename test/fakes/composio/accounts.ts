// Connected accounts: linking, the OAuth page's effect, listing and enabling.
import { randomUUID } from 'node:crypto';
import type { FakeAccount, FakeComposioState, FakeContext, RouteResult } from './state';
import { error, list, nano, now, str } from './state';

export const accountView = (a: FakeAccount) => ({
  id: a.id,
  user_id: a.userId,
  status: a.status,
  status_reason: a.statusReason,
  is_disabled: !a.enabled,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
  toolkit: { slug: a.toolkit },
  auth_config: { id: a.authConfigId, auth_scheme: 'OAUTH2', is_composio_managed: true, is_disabled: false },
  data: {},
  params: {},
  test_request_endpoint: '',
});

export const firstActive = (state: FakeComposioState, userId: string, toolkit: string) =>
  [...state.accounts.values()].find((a) => a.userId === userId && a.toolkit === toolkit && a.status === 'ACTIVE' && a.enabled);

export function activateAccount(state: FakeComposioState, id: string): void {
  const a = state.accounts.get(id);
  if (!a) throw new Error(`fake composio: no connected account ${id}`);
  a.status = 'ACTIVE';
  a.statusReason = null;
  a.updatedAt = now();
}

export async function routeAccounts(ctx: FakeContext, method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): Promise<RouteResult> {
  const { state, url } = ctx;
  let m: RegExpExecArray | null;
  if (method === 'GET' && path === '/api/v3.1/connected_accounts') {
    const users = list(q.get('user_ids'));
    const configs = list(q.get('auth_config_ids'));
    const statuses = list(q.get('statuses'));
    const toolkits = list(q.get('toolkit_slugs')).map((s) => s.toLowerCase());
    const items = [...state.accounts.values()].filter(
      (a) =>
        (!users.length || users.includes(a.userId)) &&
        (!configs.length || configs.includes(a.authConfigId)) &&
        (!statuses.length || statuses.includes(a.status)) &&
        (!toolkits.length || toolkits.includes(a.toolkit)),
    );
    return [200, { items: items.map(accountView), next_cursor: null, total_pages: 1, current_page: 1, total_items: items.length }];
  }
  if (method === 'POST' && path === '/api/v3.1/connected_accounts/link') {
    const authConfigId = str(body.auth_config_id);
    const userId = str(body.user_id);
    if (!authConfigId || !userId) return [400, error(400, 'auth_config_id and user_id are required', 'BadRequest')];
    const toolkit = state.authConfigs.get(authConfigId);
    if (!toolkit) return [404, error(404, `Auth config ${authConfigId} not found`, 'AuthConfig_NotFound')];
    const account: FakeAccount = {
      id: nano('ca'),
      uuid: randomUUID(),
      userId,
      authConfigId,
      toolkit,
      status: 'INITIATED',
      statusReason: null,
      enabled: true,
      linkToken: nano('lt'),
      callbackUrl: str(body.callback_url),
      createdAt: now(),
      updatedAt: now(),
    };
    state.accounts.set(account.id, account);
    return [
      201,
      {
        link_token: account.linkToken,
        redirect_url: `${url}/oauth/${account.linkToken}`,
        expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
        connected_account_id: account.id,
      },
    ];
  }
  if ((m = /^\/api\/v3\.1\/connected_accounts\/([^/]+)\/status$/.exec(path)) && method === 'PATCH') {
    const a = state.accounts.get(decodeURIComponent(m[1]!));
    if (!a) return [404, error(404, 'Connected account not found', 'ConnectedAccount_NotFound')];
    a.enabled = body.enabled !== false;
    a.updatedAt = now();
    return [200, { success: true }];
  }
  if ((m = /^\/api\/v3\.1\/connected_accounts\/([^/]+)$/.exec(path)) && method === 'GET') {
    const a = state.accounts.get(decodeURIComponent(m[1]!));
    if (!a) return [404, error(404, 'Connected account not found', 'ConnectedAccount_NotFound')];
    return [200, accountView(a)];
  }
  return undefined;
}
