// Triggers: the Gmail trigger's type and instances, and the events Composio would deliver for them.
import { randomUUID } from 'node:crypto';
import { gmailTriggerPayload, toFakeMessage } from './gmail';
import type { EventOptions, FakeComposioState, FakeContext, FakeTrigger, GmailMessageInput, RouteResult } from './state';
import { error, GMAIL_TRIGGER, list, nano, now, str } from './state';
import { firstActive } from './accounts';

const triggerView = (state: FakeComposioState, t: FakeTrigger) => {
  const account = state.accounts.get(t.connectedAccountId);
  return {
    id: t.id,
    uuid: t.uuid,
    user_id: t.userId,
    connected_account_id: t.connectedAccountId,
    connectedAccountId: t.connectedAccountId,
    connected_account_uuid: account?.uuid ?? '',
    disabled_at: t.disabledAt,
    disabledAt: t.disabledAt,
    state: {},
    trigger_config: t.config,
    triggerConfig: t.config,
    trigger_name: t.slug,
    triggerName: t.slug,
    updated_at: t.updatedAt,
    updatedAt: t.updatedAt,
  };
};

export async function routeTriggers(ctx: FakeContext, method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): Promise<RouteResult> {
  const { state, toolkitVersion } = ctx;
  let m: RegExpExecArray | null;
  if ((m = /^\/api\/v3\.1\/triggers_types\/([^/]+)$/.exec(path)) && method === 'GET') {
    const slug = decodeURIComponent(m[1]!).toUpperCase();
    if (slug !== GMAIL_TRIGGER) return [404, error(404, `Trigger type ${slug} not found`, 'TriggerType_NotFound')];
    return [
      200,
      {
        slug,
        name: 'New Gmail Message Received Trigger',
        description: 'Triggers when a new message is received in Gmail.',
        instructions: '',
        toolkit: { slug: 'gmail', name: 'gmail', logo: 'https://logos.composio.dev/api/gmail' },
        version: toolkitVersion,
        config: {
          type: 'object',
          properties: {
            interval: { type: 'number', default: 1, description: 'Polling interval in minutes' },
            labelIds: { type: 'string', default: 'INBOX' },
            userId: { type: 'string', default: 'me' },
          },
        },
        payload: {
          type: 'object',
          properties: {
            message_id: { type: 'string' }, thread_id: { type: 'string' }, sender: { type: 'string' }, to: { type: 'string' }, subject: { type: 'string' },
            message_text: { type: 'string' }, message_timestamp: { type: 'string' }, label_ids: { type: 'array' }, payload: { type: 'object' },
          },
        },
      },
    ];
  }
  if ((m = /^\/api\/v3\.1\/trigger_instances\/([^/]+)\/upsert$/.exec(path)) && method === 'POST') {
    const slug = decodeURIComponent(m[1]!).toUpperCase();
    const userId = str(body.user_id) ?? '';
    state.upserts.push({ slug, userId, connectedAccountId: str(body.connected_account_id), at: now() });
    if (slug !== GMAIL_TRIGGER) return [404, error(404, `Trigger type ${slug} not found`, 'TriggerType_NotFound')];
    const accountId = str(body.connected_account_id);
    const account = accountId ? state.accounts.get(accountId) : firstActive(state, userId, 'gmail');
    if (!account) return [400, error(400, `No active gmail connected account for user ${userId}`, 'ConnectedAccount_NotFound')];
    if (account.status !== 'ACTIVE') return [400, error(400, `Connected account ${account.id} is ${account.status}`, 'ConnectedAccount_NotActive')];
    const config = (body.trigger_config as Record<string, unknown> | undefined) ?? {};
    // Like the real upsert: the same trigger on the same account with the same config is updated, not duplicated.
    const same = [...state.triggers.values()].find(
      (t) => t.slug === slug && t.connectedAccountId === account.id && JSON.stringify(t.config) === JSON.stringify(config),
    );
    if (same) {
      same.disabledAt = null;
      same.updatedAt = now();
      return [200, { trigger_id: same.id }];
    }
    const trigger: FakeTrigger = {
      id: nano('ti'),
      uuid: randomUUID(),
      slug,
      userId: account.userId,
      connectedAccountId: account.id,
      config,
      toolkitVersions: body.toolkit_versions,
      disabledAt: null,
      updatedAt: now(),
    };
    state.triggers.set(trigger.id, trigger);
    return [200, { trigger_id: trigger.id }];
  }
  if (method === 'GET' && path === '/api/v3.1/trigger_instances/active') {
    const accounts = list(q.get('connected_account_ids'));
    const names = list(q.get('trigger_names')).map((s) => s.toUpperCase());
    const ids = list(q.get('trigger_ids'));
    const users = list(q.get('user_ids'));
    const showDisabled = q.get('show_disabled') === 'true';
    const items = [...state.triggers.values()].filter(
      (t) =>
        (!accounts.length || accounts.includes(t.connectedAccountId)) &&
        (!names.length || names.includes(t.slug)) &&
        (!ids.length || ids.includes(t.id)) &&
        (!users.length || users.includes(t.userId)) &&
        (showDisabled || t.disabledAt === null),
    );
    return [200, { items: items.map((t) => triggerView(state, t)), next_cursor: null, total_pages: 1, current_page: 1, total_items: items.length }];
  }
  if ((m = /^\/api\/v3\.1\/trigger_instances\/manage\/([^/]+)$/.exec(path))) {
    const t = state.triggers.get(decodeURIComponent(m[1]!));
    if (!t) return [404, error(404, 'Trigger not found', 'Trigger_NotFound')];
    if (method === 'PATCH') {
      t.disabledAt = body.status === 'disable' ? now() : null;
      t.updatedAt = now();
      return [200, { status: 'success' }];
    }
    if (method === 'DELETE') {
      state.triggers.delete(t.id);
      return [200, { trigger_id: t.id }];
    }
  }
  return undefined;
}

function defaultGmailTrigger(state: FakeComposioState): FakeTrigger | undefined {
  return [...state.triggers.values()].find((t) => t.slug === GMAIL_TRIGGER && t.disabledAt === null);
}

export function makeGmailMessageEvent(state: FakeComposioState, input: GmailMessageInput, o: EventOptions): Record<string, unknown> {
  const message = toFakeMessage(input);
  if (!state.mailbox.some((m) => m.id === message.id)) state.mailbox.push(message);
  const trigger = o.triggerId ? state.triggers.get(o.triggerId) : defaultGmailTrigger(state);
  const triggerId = o.triggerId ?? trigger?.id ?? nano('ti');
  const accountId = o.connectedAccountId ?? trigger?.connectedAccountId ?? nano('ca');
  const account = state.accounts.get(accountId);
  const userId = o.userId ?? trigger?.userId ?? account?.userId ?? 'default';
  const data = gmailTriggerPayload(message);
  const logId = nano('log');
  if (o.version === 'V1') {
    return { trigger_name: GMAIL_TRIGGER, connection_id: accountId, trigger_id: triggerId, payload: data, log_id: logId };
  }
  if (o.version === 'V2') {
    return {
      type: GMAIL_TRIGGER.toLowerCase(),
      timestamp: now(),
      log_id: logId,
      data: {
        ...data,
        connection_id: account?.uuid ?? randomUUID(),
        connection_nano_id: accountId,
        trigger_nano_id: triggerId,
        trigger_id: trigger?.uuid ?? randomUUID(),
        user_id: userId,
      },
    };
  }
  return {
    id: `msg_${randomUUID()}`,
    timestamp: now(),
    type: 'composio.trigger.message',
    metadata: {
      log_id: logId,
      trigger_slug: GMAIL_TRIGGER,
      trigger_id: triggerId,
      connected_account_id: accountId,
      auth_config_id: account?.authConfigId ?? 'ac_gmail',
      user_id: userId,
    },
    data,
  };
}

export function makeAccountExpiredEvent(state: FakeComposioState, o: { connectedAccountId?: string; reason?: string } = {}): Record<string, unknown> {
  const account = o.connectedAccountId ? state.accounts.get(o.connectedAccountId) : [...state.accounts.values()].find((a) => a.status === 'ACTIVE');
  const reason = o.reason ?? 'OAuth refresh token expired';
  if (account) {
    account.status = 'EXPIRED';
    account.statusReason = reason;
    account.updatedAt = now();
  }
  return {
    id: `msg_${randomUUID()}`,
    type: 'composio.connected_account.expired',
    timestamp: now(),
    metadata: { project_id: 'pr_fake', org_id: 'ok_fake' },
    data: {
      id: account?.id ?? o.connectedAccountId ?? nano('ca'),
      user_id: account?.userId ?? 'default',
      toolkit: { slug: account?.toolkit ?? 'gmail' },
      auth_config: { id: account?.authConfigId ?? 'ac_gmail', auth_scheme: 'OAUTH2' },
      status: 'EXPIRED',
      status_reason: reason,
    },
  };
}

export function makeTriggerDisabledEvent(state: FakeComposioState, o: { triggerId?: string; reason?: string } = {}): Record<string, unknown> {
  const trigger = o.triggerId ? state.triggers.get(o.triggerId) : defaultGmailTrigger(state);
  if (trigger) {
    trigger.disabledAt = now();
    trigger.updatedAt = now();
  }
  return {
    id: `msg_${randomUUID()}`,
    type: 'composio.trigger.disabled',
    timestamp: now(),
    metadata: { project_id: 'pr_fake', org_id: 'ok_fake' },
    data: {
      trigger_id: trigger?.id ?? o.triggerId ?? nano('ti'),
      trigger_slug: trigger?.slug ?? GMAIL_TRIGGER,
      connected_account_id: trigger?.connectedAccountId ?? '',
      user_id: trigger?.userId ?? 'default',
      disabled_reason: o.reason ?? 'connection_expired',
    },
  };
}
