// The Composio SDK client and account linking. The other Composio modules (tools, triggers,
// webhooks, accounts) build on the one client made here, so swapping Composio for another provider
// touches this folder only.
//
// The SDK is used unchanged. It talks to `${baseURL}/api/v3.1/...` with the `x-api-key` header;
// see test/fakes/composio/server.ts for the endpoints it uses.
import { Composio } from '@composio/core';
import type { Config } from '../../config';

/** A configuration value Composio needs is missing; the message names the variable. */
export class ComposioConfigError extends Error {
  override name = 'ComposioConfigError';
}

const clients = new WeakMap<Config, Composio>();

export function requireSetting(value: string | undefined, variable: string, why: string): string {
  if (!value) throw new ComposioConfigError(`${variable} is not set: ${why}`);
  return value;
}

/** The one place a Composio SDK client is made. Cached per config object. */
export function createComposio(config: Config): Composio {
  const cached = clients.get(config);
  if (cached) return cached;
  const client = new Composio({
    apiKey: requireSetting(config.composio.apiKey, 'COMPOSIO_API_KEY', 'create one at https://platform.composio.dev (Settings → API keys)'),
    baseURL: config.composio.baseUrl,
    // Mail metadata is personal: no usage analytics leave the machine.
    allowTracking: false,
    // The app pins its dependencies; a runtime npm lookup only adds a network call.
    disableVersionCheck: true,
    // Tool and trigger versions are pinned in config, never "latest", so behaviour cannot shift underneath us.
    toolkitVersions: Object.keys(config.composio.toolkitVersions).length ? config.composio.toolkitVersions : undefined,
  });
  clients.set(config, client);
  return client;
}

export interface AccountLink {
  /** The URL the user opens to grant access; null when the account was already connected. */
  redirectUrl: string | null;
  connectedAccountId: string;
  alreadyConnected: boolean;
  /** Resolves with the connected account id once the user has finished (polls Composio). */
  wait(timeoutMs?: number): Promise<string>;
}

export type LinkableToolkit = 'gmail' | 'googlecalendar';

const AUTH_CONFIG_VARIABLE: Record<LinkableToolkit, { variable: string; read: (c: Config) => string | undefined; label: string }> = {
  gmail: { variable: 'COMPOSIO_AUTH_CONFIG_GMAIL', read: (c) => c.composio.authConfigGmail, label: 'Gmail' },
  googlecalendar: { variable: 'COMPOSIO_AUTH_CONFIG_CALENDAR', read: (c) => c.composio.authConfigCalendar, label: 'Google Calendar' },
};

/** Starts linking one of the user's accounts, or reports the connection that already exists. */
export async function linkAccount(config: Config, userId: string, toolkit: LinkableToolkit, opts: { callbackUrl?: string } = {}): Promise<AccountLink> {
  const setting = AUTH_CONFIG_VARIABLE[toolkit];
  const authConfigId = requireSetting(
    setting.read(config),
    setting.variable,
    `create a ${setting.label} auth config in the Composio dashboard (Auth Configs) and put its id (ac_…) here`,
  );
  const composio = createComposio(config);
  // The SDK's link() refuses when an ACTIVE account exists; reusing it makes the command safe to repeat.
  const existing = await composio.connectedAccounts.list({ userIds: [userId], authConfigIds: [authConfigId], statuses: ['ACTIVE'] });
  const active = existing.items[0];
  if (active) {
    return { redirectUrl: null, connectedAccountId: active.id, alreadyConnected: true, wait: async () => active.id };
  }
  const request = await composio.connectedAccounts.link(userId, authConfigId, opts.callbackUrl ? { callbackUrl: opts.callbackUrl } : undefined);
  return {
    redirectUrl: request.redirectUrl ?? null,
    connectedAccountId: request.id,
    alreadyConnected: false,
    wait: async (timeoutMs = 5 * 60_000) => {
      try {
        const account = await request.waitForConnection(timeoutMs);
        return account.id;
      } catch (err) {
        if ((err as Error).name === 'ConnectionRequestTimeoutError') {
          throw new Error(`${setting.label} was not connected within ${Math.round(timeoutMs / 1000)} s; run the command again and open the new link`);
        }
        throw err;
      }
    },
  };
}

/** Starts linking the user's Gmail (COMPOSIO_AUTH_CONFIG_GMAIL). */
export function linkGmail(config: Config, userId: string, opts: { callbackUrl?: string } = {}): Promise<AccountLink> {
  return linkAccount(config, userId, 'gmail', opts);
}
