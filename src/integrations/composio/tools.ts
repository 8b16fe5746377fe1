// Running Composio tools (send mail, create an event, ...) at the toolkit version pinned in config.
import type { Config } from '../../config';
import { createComposio, requireSetting } from './client';

export interface ToolResult {
  successful: boolean;
  data: Record<string, unknown>;
  error: string | null;
  logId?: string;
}

/** Composio slugs start with their toolkit: GMAIL_SEND_EMAIL → gmail, GOOGLECALENDAR_CREATE_EVENT → googlecalendar. */
export function toolkitOf(slug: string): string {
  return slug.split('_')[0]!.toLowerCase();
}

/**
 * Runs one Composio tool at the toolkit version pinned in config (COMPOSIO_TOOLKIT_VERSIONS).
 * The SDK sends the execute request without retries, so one call is at most one side effect;
 * a tool-level failure comes back as `successful: false`, transport errors throw.
 */
export async function executeComposioTool(
  config: Config,
  call: { userId: string; slug: string; arguments: Record<string, unknown>; connectedAccountId?: string; signal?: AbortSignal },
): Promise<ToolResult> {
  const toolkit = toolkitOf(call.slug);
  const version = requireSetting(
    config.composio.toolkitVersions[toolkit],
    'COMPOSIO_TOOLKIT_VERSIONS',
    `no version pinned for toolkit "${toolkit}" (e.g. COMPOSIO_TOOLKIT_VERSIONS="${toolkit}=20250909_00")`,
  );
  const composio = createComposio(config);
  const result = await composio.tools.execute(
    call.slug,
    { userId: call.userId, arguments: call.arguments, version, ...(call.connectedAccountId ? { connectedAccountId: call.connectedAccountId } : {}) },
    call.signal ? { signal: call.signal } : undefined,
  );
  return { successful: result.successful, data: result.data, error: result.error, logId: result.logId };
}
