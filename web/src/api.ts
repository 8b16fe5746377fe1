// The one way the page talks to the API: JSON in, JSON out, errors as ApiError with the server's
// `{error}` text. A 401 tells the app to ask for the token (see login()); a 404 on an endpoint of a
// later issue is reported as `notAvailable` so views can show a calm empty state instead of a failure.
import type {
  Approval,
  ApprovalDecision,
  AuditEntryView,
  ChatAnswer,
  Fact,
  Health,
  Notification,
  Profile,
  Settings,
  SourceHealth,
  Task,
  TranscriptMessage,
} from './types';
import type { FeedbackRule, FeedbackRuleInput } from '../../src/shared/feed';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    readonly body?: unknown,
  ) {
    super(message);
  }
  get notAvailable(): boolean {
    return this.status === 404;
  }
}

type AuthListener = () => void;
const authListeners = new Set<AuthListener>();

/** Called whenever the API answers 401: the app shows the token form. */
export function onAuthRequired(listener: AuthListener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Health answers 503 with a useful body; let the caller read it instead of throwing. */
  acceptStatus?: number[];
}

async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const init: RequestInit = {
    method: opts.method ?? 'GET',
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  };
  if (opts.body !== undefined) {
    init.body = JSON.stringify(opts.body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError('Cannot reach the Paprika API', 0);
  }
  const body = await readBody(res);
  if (res.ok || opts.acceptStatus?.includes(res.status)) return body as T;
  if (res.status === 401) for (const l of authListeners) l();
  const message =
    body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string'
      ? (body as { error: string }).error
      : res.status === 404
        ? 'Not available yet'
        : `${res.status} ${res.statusText || 'request failed'}`;
  throw new ApiError(message, res.status, body);
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const enc = encodeURIComponent;

/**
 * Trades the API token or a login link's one-time code for a session: an HttpOnly cookie with an
 * opaque ID that the page (and EventSource) then sends. The page never stores either secret.
 */
export const login = (credential: { token: string } | { code: string }) =>
  request<{ ok: boolean; expiresAt: string }>('/api/login', { method: 'POST', body: credential });
export const logout = () => request<{ ok: true }>('/api/logout', { method: 'POST' });

export const getHealth = () => request<Health>('/api/health', { acceptStatus: [503] });

export const getConversation = (opts: { limit?: number; before?: string } = {}) => {
  const q = new URLSearchParams({ limit: String(opts.limit ?? 100) });
  if (opts.before) q.set('before', opts.before);
  return request<{ messages: TranscriptMessage[] }>(`/api/conversation?${q}`);
};

export const sendChat = (message: string, id: string) =>
  request<ChatAnswer>('/api/chat', { method: 'POST', body: { message, id } });

export const getNotifications = (limit = 200) =>
  request<{ notifications: Notification[]; unread: number }>(`/api/notifications?limit=${limit}`);
export const markNotificationRead = (id: string) =>
  request<{ ok: true }>(`/api/notifications/${enc(id)}/read`, { method: 'POST' });
export const markAllNotificationsRead = () => request<{ ok: true }>('/api/notifications/read-all', { method: 'POST' });

export const getTasks = () => request<{ tasks: Task[] }>('/api/tasks');
export const cancelTask = (id: string) => request<{ ok: true }>(`/api/tasks/${enc(id)}/cancel`, { method: 'POST' });

export const getApprovals = () => request<{ approvals: Approval[] }>('/api/approvals');
export const decideApproval = (id: string, decision: ApprovalDecision) =>
  request<{ ok: true; approval: Approval }>(`/api/approvals/${enc(id)}`, { method: 'POST', body: decision });

export const getMemory = () => request<{ facts: Fact[] }>('/api/memory');
export const addFact = (text: string) => request<{ fact: Fact }>('/api/memory', { method: 'POST', body: { text } });
export const deleteFact = (id: string) => request<{ ok: true }>(`/api/memory/${enc(id)}`, { method: 'DELETE' });

export const getProfile = () => request<{ profile: Profile }>('/api/profile');
export const putProfile = (profile: Profile) => request<{ profile: Profile }>('/api/profile', { method: 'PUT', body: profile });

type SettingsAnswer = { settings: Settings; sources: SourceHealth[] };
export const getSettings = () => request<SettingsAnswer>('/api/settings');
export const putSettings = (settings: Settings) => request<SettingsAnswer>('/api/settings', { method: 'PUT', body: settings });

/** "Not important" / "Always tell me" on a notification: makes (or changes) a rule about its sender by default. */
export const sendFeedback = (id: string, verdict: 'not_important' | 'always_tell_me', scope?: FeedbackRule['scope'], value?: string) =>
  request<{ rule: FeedbackRule }>(`/api/notifications/${enc(id)}/feedback`, { method: 'POST', body: { verdict, ...(scope ? { scope } : {}), ...(value ? { value } : {}) } });
export const getRules = () => request<{ rules: FeedbackRule[] }>('/api/rules');
export const putRule = (id: string, rule: FeedbackRuleInput) => request<{ rule: FeedbackRule }>(`/api/rules/${enc(id)}`, { method: 'PUT', body: rule });
export const deleteRule = (id: string) => request<{ ok: true }>(`/api/rules/${enc(id)}`, { method: 'DELETE' });

/** One page of the audit log, newest first; `next` is the `before` of the following page. */
export const getAudit = (opts: { before?: number; limit?: number } = {}) => {
  const q = new URLSearchParams({ limit: String(opts.limit ?? 50) });
  if (opts.before !== undefined) q.set('before', String(opts.before));
  return request<{ entries: AuditEntryView[]; next?: number }>(`/api/audit?${q}`);
};
export const getAuditEntry = (id: string) => request<{ entry: AuditEntryView }>(`/api/audit/${enc(id)}`);
/** The entry a notification's or task's ref points at; 404 (ApiError.notAvailable) when nothing was done. */
export const getAuditWhy = (ref: string) => request<{ entry: AuditEntryView }>(`/api/audit/why?ref=${enc(ref)}`);

type ForgetCounts = { contextItems: number; notifications: number; streamEvents: number };
export const forgetItem = (id: string) => request<{ ok: true; removed: ForgetCounts }>(`/api/context/${enc(id)}`, { method: 'DELETE' });
export const forgetSender = (address: string) =>
  request<{ ok: true; removed: ForgetCounts }>('/api/context/forget-sender', { method: 'POST', body: { address } });
