// Tools: the schemas the fake advertises and executing one against the fake mailbox and calendar.
import { addCalendarHandlers } from './calendar';
import { addGmailHandlers } from './gmail';
import { firstActive } from './accounts';
import type { FakeContext, RouteResult, ToolHandler } from './state';
import { error, FakeHttpError, nano, now, str, toolkitOfSlug } from './state';

/** Input schemas the fake advertises; names follow Composio's Gmail and Google Calendar toolkits. */
const TOOL_PARAMS: Record<string, { description: string; properties: Record<string, { type: string; description?: string }>; required: string[] }> = {
  GMAIL_SEND_EMAIL: {
    description: 'Sends an email via Gmail.',
    properties: { recipient_email: { type: 'string' }, subject: { type: 'string' }, body: { type: 'string' }, cc: { type: 'array' }, bcc: { type: 'array' }, extra_recipients: { type: 'array' }, is_html: { type: 'boolean' } },
    required: ['recipient_email', 'body'],
  },
  GMAIL_CREATE_EMAIL_DRAFT: {
    description: 'Creates a Gmail draft.',
    properties: { recipient_email: { type: 'string' }, subject: { type: 'string' }, body: { type: 'string' }, thread_id: { type: 'string' }, cc: { type: 'array' }, bcc: { type: 'array' } },
    required: ['recipient_email', 'body'],
  },
  GMAIL_REPLY_TO_THREAD: {
    description: 'Replies to a Gmail thread.',
    properties: { thread_id: { type: 'string' }, message_body: { type: 'string' }, recipient_email: { type: 'string' }, cc: { type: 'array' }, bcc: { type: 'array' }, is_html: { type: 'boolean' } },
    required: ['thread_id', 'message_body', 'recipient_email'],
  },
  GMAIL_FETCH_EMAILS: {
    description: 'Fetches emails, optionally filtered by a Gmail search query.',
    properties: { query: { type: 'string' }, max_results: { type: 'integer' }, label_ids: { type: 'array' }, page_token: { type: 'string' }, include_payload: { type: 'boolean' } },
    required: [],
  },
  GMAIL_FETCH_MESSAGE_BY_THREAD_ID: {
    description: 'Fetches all messages of a thread.',
    properties: { thread_id: { type: 'string' } },
    required: ['thread_id'],
  },
  GMAIL_ADD_LABEL_TO_EMAIL: {
    description: 'Adds or removes labels on a message (remove INBOX to archive).',
    properties: { message_id: { type: 'string' }, add_label_ids: { type: 'array' }, remove_label_ids: { type: 'array' } },
    required: ['message_id'],
  },
  GOOGLECALENDAR_EVENTS_LIST: {
    description: 'Lists calendar events in a time range.',
    properties: { calendarId: { type: 'string' }, timeMin: { type: 'string' }, timeMax: { type: 'string' }, q: { type: 'string' }, maxResults: { type: 'integer' } },
    required: [],
  },
  GOOGLECALENDAR_FIND_FREE_SLOTS: {
    description: 'Finds free and busy slots in a time range.',
    properties: { time_min: { type: 'string' }, time_max: { type: 'string' }, items: { type: 'array' }, timezone: { type: 'string' } },
    required: [],
  },
  GOOGLECALENDAR_CREATE_EVENT: {
    description: 'Creates a calendar event.',
    properties: {
      start_datetime: { type: 'string' }, end_datetime: { type: 'string' }, event_duration_hour: { type: 'integer' }, event_duration_minutes: { type: 'integer' },
      summary: { type: 'string' }, description: { type: 'string' }, location: { type: 'string' }, attendees: { type: 'array' }, timezone: { type: 'string' }, calendar_id: { type: 'string' },
    },
    required: ['start_datetime'],
  },
  GOOGLECALENDAR_UPDATE_EVENT: {
    description: 'Updates a calendar event.',
    properties: {
      event_id: { type: 'string' }, start_datetime: { type: 'string' }, end_datetime: { type: 'string' }, event_duration_hour: { type: 'integer' }, event_duration_minutes: { type: 'integer' },
      summary: { type: 'string' }, description: { type: 'string' }, location: { type: 'string' }, attendees: { type: 'array' }, timezone: { type: 'string' }, calendar_id: { type: 'string' },
    },
    required: ['event_id'],
  },
};

const toolView = (slug: string, toolkitVersion: string) => {
  const params = TOOL_PARAMS[slug] ?? { description: `${slug} (test handler)`, properties: {}, required: [] };
  const toolkit = toolkitOfSlug(slug);
  return {
    slug,
    name: slug.toLowerCase().replace(/_/g, ' '),
    description: params.description,
    input_parameters: { type: 'object', properties: params.properties, required: params.required },
    output_parameters: { type: 'object', properties: { data: { type: 'object' }, error: { type: 'string' }, successful: { type: 'boolean' } } },
    toolkit: { slug: toolkit, name: toolkit, logo: 'https://logos.composio.dev/api/' + toolkit },
    version: toolkitVersion,
    available_versions: [toolkitVersion],
    deprecated: { is_deprecated: false },
    no_auth: false,
    tags: [],
    scopes: [],
  };
};

export function defaultHandlers(): Map<string, ToolHandler> {
  const h = new Map<string, ToolHandler>();
  addGmailHandlers(h);
  addCalendarHandlers(h);
  return h;
}

export async function routeTools(ctx: FakeContext, method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): Promise<RouteResult> {
  const { state, handlers, executed, toolkitVersion } = ctx;
  let m: RegExpExecArray | null;
  if ((m = /^\/api\/v3\.1\/tools\/execute\/([^/]+)$/.exec(path)) && method === 'POST') {
    const slug = decodeURIComponent(m[1]!).toUpperCase();
    const handler = handlers.get(slug);
    if (!handler) return [404, error(404, `Tool ${slug} not found`, 'Tool_NotFound')];
    const userId = str(body.user_id) ?? 'default';
    const version = str(body.version);
    if (!version || version === 'latest') {
      return [400, error(400, 'Toolkit version is required for manual tool execution; pin it or pass version', 'Tool_VersionRequired')];
    }
    const toolkit = toolkitOfSlug(slug);
    const accountId = str(body.connected_account_id);
    const account = accountId ? state.accounts.get(accountId) : firstActive(state, userId, toolkit);
    if (!account || account.status !== 'ACTIVE' || account.toolkit !== toolkit) {
      return [400, error(400, `No active ${toolkit} connected account found for user ${userId}`, 'ConnectedAccount_NotFound')];
    }
    const args = (body.arguments as Record<string, unknown> | undefined) ?? {};
    executed.push({ slug, userId, arguments: structuredClone(args), version, connectedAccountId: account.id, at: now() });
    const logId = nano('log');
    try {
      const data = await handler(args, { userId, version, state });
      return [200, { data, error: null, successful: true, log_id: logId }];
    } catch (err) {
      if (err instanceof FakeHttpError) return [err.status, error(err.status, err.message, 'Tool_ExecutionFailed')];
      return [200, { data: {}, error: (err as Error).message, successful: false, log_id: logId }];
    }
  }
  if ((m = /^\/api\/v3\.1\/tools\/([^/]+)$/.exec(path)) && method === 'GET') {
    const slug = decodeURIComponent(m[1]!).toUpperCase();
    if (!handlers.has(slug)) return [404, error(404, `Tool ${slug} not found`, 'Tool_NotFound')];
    return [200, toolView(slug, toolkitVersion)];
  }
  return undefined;
}
