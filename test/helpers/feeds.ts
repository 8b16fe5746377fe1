// A stack with the fake Composio behind the real SDK, Gmail linked and its trigger in place.
// HOME points at a temp folder so the SDK cannot read a developer's ~/.composio files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { linkAccount } from '../../src/integrations/composio/client';
import { ensureGmailTrigger } from '../../src/integrations/composio/triggers';
import { type FakeComposio, type GmailMessageInput, startFakeComposio } from '../fakes/composio/server';
import { type Stack, type StackOptions, startStack } from './stack';

export const TOOLKIT_VERSIONS = 'gmail=20250909_00,googlecalendar=20250909_00';

export interface FeedStack {
  stack: Stack;
  composio: FakeComposio;
  /** POST /api/feeds/composio, signed as Composio signs it. */
  deliver(message: GmailMessageInput, version?: 'V1' | 'V2' | 'V3'): Promise<{ status: number; body: any; headers: Record<string, string>; raw: string }>;
  post(headers: Record<string, string>, body: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startFeedStack(opts: StackOptions & { linkCalendar?: boolean } = {}): Promise<FeedStack> {
  const home = fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? os.tmpdir(), 'home-'));
  const previousHome = process.env.HOME;
  process.env.HOME = home;
  const composio = await startFakeComposio();
  const stack = await startStack({
    ...opts,
    env: {
      COMPOSIO_API_KEY: composio.apiKey,
      COMPOSIO_BASE_URL: composio.url,
      COMPOSIO_WEBHOOK_SECRET: composio.webhookSecret,
      COMPOSIO_AUTH_CONFIG_GMAIL: 'ac_gmail',
      COMPOSIO_TOOLKIT_VERSIONS: TOOLKIT_VERSIONS,
      ...(opts.linkCalendar ? { COMPOSIO_AUTH_CONFIG_CALENDAR: 'ac_calendar' } : {}),
      ...opts.env,
    },
  });
  const gmail = await linkAccount(stack.config, stack.userId, 'gmail');
  composio.activateAccount(gmail.connectedAccountId);
  await ensureGmailTrigger(stack.config, stack.userId, gmail.connectedAccountId);
  if (opts.linkCalendar) composio.activateAccount((await linkAccount(stack.config, stack.userId, 'googlecalendar')).connectedAccountId);

  const url = `${stack.baseUrl}/api/feeds/composio`;
  const post = async (headers: Record<string, string>, body: string) => {
    const res = await fetch(url, { method: 'POST', headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as any };
  };
  return {
    stack,
    composio,
    post,
    async deliver(message, version = 'V3') {
      const signed = composio.signWebhook(composio.makeGmailMessageEvent(message, { version }));
      return { ...(await post(signed.headers, signed.body)), headers: signed.headers, raw: signed.body };
    },
    async stop() {
      await stack.paprika.feeds.deleteSchedules(stack.userId).catch(() => undefined);
      await stack.stop();
      await composio.close();
      process.env.HOME = previousHome;
    },
  };
}
