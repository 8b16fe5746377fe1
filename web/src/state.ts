// The page's shared state and the actions that change it. Lists are merged by id, so the initial
// GET, the live stream and its replays can overlap without showing anything twice.
import * as api from './api';
import { ApiError } from './api';
import { credentialFrom, takeLoginCode } from './login-link';
import { newId } from './format';
import { createStore } from './store';
import { LiveStream, type StreamStatus } from './stream';
import type { StreamEvent } from '../../src/shared/types';
import type { Approval, ApprovalDecision, ChatAnswer, Health, Notification, Task, TranscriptMessage } from './types';

/** 'unavailable' = the endpoint answered 404 (it belongs to a later issue). */
export type LoadState = 'loading' | 'ready' | 'unavailable' | 'error';

export interface ChatMessage extends TranscriptMessage {
  /** Set on the user's own message until the server has it. */
  local?: 'sending' | 'failed' | 'sent';
  error?: string;
  toolCalls?: ChatAnswer['toolCalls'];
}

interface Toast {
  id: string;
  title: string;
  priority: Notification['priority'];
}

interface AppState {
  auth: 'ok' | 'required';
  /** Why the sign-in form is shown again, e.g. a login link that was used already. */
  authError?: string;
  health?: Health;
  /** Set when /api/health itself could not be reached. */
  apiDown: boolean;
  stream: StreamStatus;
  messages: ChatMessage[];
  messagesState: LoadState;
  messagesError?: string;
  hasEarlier: boolean;
  thinking: number;
  notifications: Notification[];
  notificationsState: LoadState;
  notificationsError?: string;
  tasks: Task[];
  tasksState: LoadState;
  tasksError?: string;
  approvals: Approval[];
  approvalsState: LoadState;
  approvalsError?: string;
  toasts: Toast[];
  /** The view on screen, so live notifications only toast elsewhere. */
  view: string;
}

const PAGE_SIZE = 100;

export const store = createStore<AppState>({
  auth: 'ok',
  apiDown: false,
  stream: 'stopped',
  messages: [],
  messagesState: 'loading',
  hasEarlier: false,
  thinking: 0,
  notifications: [],
  notificationsState: 'loading',
  tasks: [],
  tasksState: 'loading',
  approvals: [],
  approvalsState: 'loading',
  toasts: [],
  view: 'chat',
});

export const visibleNotifications = (s: AppState) => s.notifications.filter((n) => n.priority !== 'ignore');
export const unreadCount = (s: AppState) => visibleNotifications(s).filter((n) => !n.read).length;
export const pendingApprovals = (s: AppState) => s.approvals.filter((a) => a.status === 'pending').length;
export const runningTasks = (s: AppState) => s.tasks.filter((t) => t.status === 'running').length;

function stateOf(err: unknown): { state: LoadState; error?: string } {
  if (err instanceof ApiError && err.notAvailable) return { state: 'unavailable' };
  return { state: 'error', error: err instanceof Error ? err.message : String(err) };
}

// A GET that started before a stream event can answer without it; remember what the stream
// brought and when, so a reload merges instead of dropping it.
const streamArrivals = new Map<string, number>();
function arrivedSince(started: number): Set<string> {
  const ids = new Set<string>();
  for (const [id, at] of streamArrivals) if (at >= started) ids.add(id);
  return ids;
}
function keepStreamed<T extends { id: string }>(fresh: T[], current: T[], started: number): T[] {
  const recent = arrivedSince(started);
  if (!recent.size) return fresh;
  const have = new Set(fresh.map((x) => x.id));
  const extra = current.filter((x) => recent.has(x.id) && !have.has(x.id));
  const fresher = new Map(current.filter((x) => recent.has(x.id)).map((x) => [x.id, x]));
  return [...extra, ...fresh.map((x) => ({ ...x, ...fresher.get(x.id) }))];
}

// ---------- chat ----------

function upsertMessage(list: ChatMessage[], m: TranscriptMessage): ChatMessage[] {
  const at = list.findIndex((x) => x.id === m.id);
  if (at >= 0) return list.map((x, i) => (i === at ? { ...x, ...m, local: undefined, error: undefined } : x));
  if (m.role === 'user') {
    // The server's copy of a message we showed optimistically: replace ours in place.
    const mine = list.findIndex((x) => x.local && x.role === 'user' && x.text === m.text);
    if (mine >= 0) return list.map((x, i) => (i === mine ? { ...m, toolCalls: x.toolCalls } : x));
  }
  return [...list, m];
}

export async function loadConversation(): Promise<void> {
  const started = Date.now();
  try {
    const { messages } = await api.getConversation({ limit: PAGE_SIZE });
    store.set((s) => {
      // Keep messages still in flight or just streamed; the server's list is otherwise the truth.
      const recent = arrivedSince(started);
      const have = new Set(messages.map((m) => m.id));
      let list: ChatMessage[] = messages;
      for (const m of s.messages) if ((m.local && m.local !== 'sent') || (recent.has(m.id) && !have.has(m.id))) list = [...list, m];
      return { messages: list, messagesState: 'ready', messagesError: undefined, hasEarlier: messages.length >= PAGE_SIZE };
    });
  } catch (err) {
    const { state, error } = stateOf(err);
    store.set({ messagesState: state, messagesError: error });
  }
}

export async function loadEarlier(): Promise<void> {
  const first = store.get().messages.find((m) => !m.local);
  if (!first) return;
  const { messages } = await api.getConversation({ limit: PAGE_SIZE, before: first.createdAt });
  store.set((s) => {
    const known = new Set(s.messages.map((m) => m.id));
    return { messages: [...messages.filter((m) => !known.has(m.id)), ...s.messages], hasEarlier: messages.length >= PAGE_SIZE };
  });
}

/** Sends a chat message; `retryId` resends a failed one with the same id (the API makes that idempotent). */
export async function sendMessage(text: string, retryId?: string): Promise<void> {
  const id = retryId ?? newId('web');
  store.set((s) => {
    if (retryId) return { messages: s.messages.map((m) => (m.id === id ? { ...m, local: 'sending', error: undefined } : m)), thinking: s.thinking + 1 };
    const mine: ChatMessage = { id, userId: '', role: 'user', text, createdAt: new Date().toISOString(), local: 'sending' };
    return { messages: [...s.messages, mine], thinking: s.thinking + 1 };
  });
  try {
    const answer = await api.sendChat(text, id);
    store.set((s) => {
      // The chips for tasks the message started go under the reply, or under the message if there is none.
      const chipsOnMine = !answer.reply && answer.toolCalls?.length ? answer.toolCalls : undefined;
      let list = s.messages.map((m) => (m.id === id && m.local ? { ...m, local: 'sent' as const, toolCalls: chipsOnMine } : m));
      if (answer.reply) list = upsertMessage(list, answer.reply);
      if (answer.reply && answer.toolCalls?.length) {
        list = list.map((m) => (m.id === answer.reply!.id ? { ...m, toolCalls: answer.toolCalls } : m));
      }
      return { messages: list, thinking: Math.max(0, s.thinking - 1) };
    });
    if (answer.toolCalls?.length) void loadTasks();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    store.set((s) => ({
      messages: s.messages.map((m) => (m.id === id ? { ...m, local: 'failed', error: message } : m)),
      thinking: Math.max(0, s.thinking - 1),
    }));
  }
}

let chatDraft = '';
/** Leaves text in the chat box for when the Chat view opens next. */
export function setChatDraft(text: string): void {
  chatDraft = text;
}
export function takeChatDraft(): string {
  const d = chatDraft;
  chatDraft = '';
  return d;
}

// ---------- notifications ----------

function upsertById<T extends { id: string }>(list: T[], item: T): { list: T[]; isNew: boolean } {
  const at = list.findIndex((x) => x.id === item.id);
  if (at >= 0) return { list: list.map((x, i) => (i === at ? { ...x, ...item } : x)), isNew: false };
  return { list: [item, ...list], isNew: true };
}

const byNewest = (a: { createdAt?: string; startedAt?: string }, b: { createdAt?: string; startedAt?: string }) =>
  (b.createdAt ?? b.startedAt ?? '').localeCompare(a.createdAt ?? a.startedAt ?? '');

/**
 * Notifications the user marked read on this page. A list fetched while that request was on its way
 * still says unread; nothing marks a notification unread again, so the page's word wins.
 */
const readHere = new Set<string>();

export async function loadNotifications(): Promise<void> {
  const started = Date.now();
  try {
    const { notifications } = await api.getNotifications(200);
    for (const n of notifications) if (!n.read && readHere.has(n.id)) n.read = true;
    store.set((s) => ({
      notifications: keepStreamed(notifications, s.notifications, started).sort(byNewest),
      notificationsState: 'ready',
      notificationsError: undefined,
    }));
  } catch (err) {
    const { state, error } = stateOf(err);
    store.set({ notificationsState: state, notificationsError: error });
  }
}

export async function markRead(id: string): Promise<void> {
  const before = store.get().notifications;
  readHere.add(id);
  store.set({ notifications: before.map((n) => (n.id === id ? { ...n, read: true } : n)) });
  try {
    await api.markNotificationRead(id);
  } catch (err) {
    readHere.delete(id);
    store.set((s) => ({ notifications: s.notifications.map((n) => (n.id === id ? { ...n, read: false } : n)) }));
    throw err;
  }
}

export async function markAllRead(): Promise<void> {
  const unreadIds = new Set(store.get().notifications.filter((n) => !n.read).map((n) => n.id));
  for (const id of unreadIds) readHere.add(id);
  store.set((s) => ({ notifications: s.notifications.map((n) => ({ ...n, read: true })) }));
  try {
    await api.markAllNotificationsRead();
  } catch (err) {
    for (const id of unreadIds) readHere.delete(id);
    store.set((s) => ({ notifications: s.notifications.map((n) => (unreadIds.has(n.id) ? { ...n, read: false } : n)) }));
    throw err;
  }
}

/** Forgets the item a notification is about (and its distillation, everywhere): its notifications go. */
export async function forgetItem(ref: string): Promise<void> {
  await api.forgetItem(ref);
  store.set((s) => ({ notifications: s.notifications.filter((n) => n.ref !== ref) }));
  void loadNotifications();
}

/** Forgets everything stored from one sender; every notification about their items goes. */
export async function forgetSender(address: string): Promise<void> {
  await api.forgetSender(address);
  const gone = address.toLowerCase();
  store.set((s) => ({ notifications: s.notifications.filter((n) => n.item?.sender?.toLowerCase() !== gone) }));
  void loadNotifications();
}

function toast(n: Notification): void {
  const s = store.get();
  if (n.priority === 'ignore' || n.read || s.view === 'notifications') return;
  store.set({ toasts: [...s.toasts.filter((t) => t.id !== n.id), { id: n.id, title: n.title, priority: n.priority }].slice(-3) });
  setTimeout(() => dismissToast(n.id), n.priority === 'urgent' ? 15_000 : 7_000);
}

export function dismissToast(id: string): void {
  store.set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

// ---------- tasks ----------

export async function loadTasks(): Promise<void> {
  const started = Date.now();
  try {
    const { tasks } = await api.getTasks();
    store.set((s) => ({ tasks: keepStreamed(tasks, s.tasks, started).sort(byNewest), tasksState: 'ready', tasksError: undefined }));
  } catch (err) {
    const { state, error } = stateOf(err);
    store.set({ tasksState: state, tasksError: error });
  }
}

export async function cancelTask(id: string): Promise<void> {
  await api.cancelTask(id);
  void loadTasks();
}

// ---------- approvals ----------

export async function loadApprovals(): Promise<void> {
  try {
    const { approvals } = await api.getApprovals();
    store.set({ approvals, approvalsState: 'ready', approvalsError: undefined });
  } catch (err) {
    const { state, error } = stateOf(err);
    store.set({ approvalsState: state, approvalsError: error });
  }
}

export async function decide(id: string, decision: ApprovalDecision): Promise<void> {
  const { approval } = await api.decideApproval(id, decision);
  store.set((s) => ({ approvals: s.approvals.map((a) => (a.id === id ? (approval ?? { ...a, status: decision.decision === 'reject' ? 'rejected' : 'approved' }) : a)) }));
  void loadTasks();
}

let approvalsSoon: ReturnType<typeof setTimeout> | undefined;
function refreshApprovalsSoon(): void {
  if (approvalsSoon) return;
  approvalsSoon = setTimeout(() => {
    approvalsSoon = undefined;
    if (store.get().approvalsState !== 'unavailable') void loadApprovals();
  }, 400);
}

let notificationsSoon: ReturnType<typeof setTimeout> | undefined;
function refreshNotificationsSoon(): void {
  if (notificationsSoon) return;
  notificationsSoon = setTimeout(() => {
    notificationsSoon = undefined;
    void loadNotifications();
  }, 400);
}

// ---------- live stream ----------

function applyEvent(ev: StreamEvent): void {
  streamArrivals.set(ev.data.id, Date.now());
  if (streamArrivals.size > 500) streamArrivals.delete(streamArrivals.keys().next().value!);
  if (ev.type === 'message') {
    store.set((s) => ({ messages: upsertMessage(s.messages, ev.data) }));
  } else if (ev.type === 'notification') {
    const { list, isNew } = upsertById(store.get().notifications, ev.data);
    store.set({ notifications: list.sort(byNewest) });
    if (isNew) toast(ev.data);
    // The stream's record does not say whether its ref is a stored item (for "Forget"); the list does.
    if (isNew && ev.data.ref) refreshNotificationsSoon();
  } else if (ev.type === 'task') {
    const existing = store.get().tasks.find((t) => t.id === ev.data.id);
    // The stream's record has no temporalUrl; keep the one the list gave us.
    const merged: Task = { ...existing, ...ev.data };
    store.set((s) => ({ tasks: upsertById(s.tasks, merged).list.sort(byNewest) }));
    // A task that starts may be waiting for approval; a finished one may have been decided.
    refreshApprovalsSoon();
  }
}

// ---------- boot, health, auth ----------

const stream = new LiveStream({
  onEvent: (ev) => applyEvent(ev),
  onStatus: (status) => {
    store.set({ stream: status });
    // A dropped stream is often the first sign that the API went away: say so without waiting.
    if (status === 'reconnecting') void checkHealth();
  },
  onReconnected: () => reloadAll(),
  // The server's event log was reset (new data directory): what is on screen may be gone.
  onReset: () => reloadAll(),
});

function reloadAll(): void {
  void loadConversation();
  void loadNotifications();
  void loadTasks();
  void loadApprovals();
}

let healthTimer: ReturnType<typeof setTimeout> | undefined;
let healthInFlight = false;
/** Polls /api/health: every 5 s while all is well, every 2 s while something is down. */
async function checkHealth(): Promise<void> {
  if (healthInFlight) return;
  healthInFlight = true;
  const wasDown = store.get().apiDown || (store.get().health ? !store.get().health!.ok : false);
  let next = 5_000;
  try {
    const health = await api.getHealth();
    store.set({ health, apiDown: false });
    if (!health.ok) next = 2_000;
    else if (wasDown) {
      reloadAll();
      stream.reconnectNow();
    }
  } catch {
    store.set({ apiDown: true });
    next = 2_000;
  }
  healthInFlight = false;
  if (healthTimer) clearTimeout(healthTimer);
  healthTimer = setTimeout(() => void checkHealth(), next);
}

/** Signs in with what was typed or pasted: the API token or a login link. */
export async function logIn(input: string): Promise<void> {
  await api.login(credentialFrom(input));
  store.set({ auth: 'ok', authError: undefined });
  reloadAll();
  stream.reconnectNow();
}

export async function logOut(): Promise<void> {
  await api.logout();
  store.set({ auth: 'required', authError: undefined });
}

/** Opened from the login link: trade its code for a session before anything else asks. */
async function useLoginLink(code: string): Promise<void> {
  try {
    await api.login({ code });
  } catch (err) {
    // A session from before may still be valid: the form shows (with this) only if the API says 401.
    const message = err instanceof ApiError ? err.message : 'Signing in failed';
    store.set({ authError: `${message}. Paste the API token, or run npm run login-link for a new link.` });
  }
}

let booted = false;
export function boot(): void {
  if (booted) return;
  booted = true;
  void start();
}

async function start(): Promise<void> {
  api.onAuthRequired(() => store.set({ auth: 'required' }));
  const code = takeLoginCode();
  if (code) await useLoginLink(code);
  void checkHealth();
  reloadAll();
  stream.start();
  // Approvals have no stream event of their own; a slow poll catches ones created by feeds.
  setInterval(() => {
    if (store.get().auth === 'ok' && store.get().approvalsState !== 'unavailable') void loadApprovals();
  }, 20_000);
}
