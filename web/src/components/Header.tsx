// The top bar: who we are, whether we are live, and where everything is (with counts).
import { href, type View } from '../route';
import { Icon, type IconName } from './icons';
import { pendingApprovals, runningTasks, store, unreadCount } from '../state';
import { useStore } from '../store';

const NAV: { view: View; label: string; short?: string; icon: IconName }[] = [
  { view: 'chat', label: 'Chat', icon: 'chat' },
  { view: 'notifications', label: 'Notifications', short: 'Alerts', icon: 'bell' },
  { view: 'tasks', label: 'Tasks', icon: 'tasks' },
  { view: 'approvals', label: 'Approvals', icon: 'approvals' },
  { view: 'audit', label: 'Audit log', short: 'Audit', icon: 'audit' },
  { view: 'memory', label: 'Memory', icon: 'memory' },
  { view: 'settings', label: 'Settings', icon: 'settings' },
];

export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <path d="M17 6c0-2 1.5-3.5 3.5-3.5" fill="none" stroke="#3f7d3a" stroke-width="2.4" stroke-linecap="round" />
      <path d="M12 8.5c2-1.6 5.5-2 8 .2 2.4-.4 5 1.4 5 4.6 0 7.4-6.8 15.2-13 15.2-3.8 0-6-2.6-6-6.2 0-5.4 3.4-7.6 6-13.8z" fill="#e0452b" />
      <path d="M11.5 13c-1.2 2.4-2 4.4-2 6.6" fill="none" stroke="#fff" stroke-opacity=".45" stroke-width="1.8" stroke-linecap="round" />
    </svg>
  );
}

function ConnectionPill() {
  const { stream, apiDown, health } = useStore(store, (s) => ({ stream: s.stream, apiDown: s.apiDown, health: s.health }));
  let tone = 'ok';
  let label = 'Live';
  if (apiDown) [tone, label] = ['bad', 'Offline'];
  else if (health && !health.ok) [tone, label] = ['warn', 'Degraded'];
  else if (stream !== 'open') [tone, label] = ['warn', stream === 'connecting' ? 'Connecting…' : 'Reconnecting…'];
  return (
    <span class={`pill pill-${tone}`} data-testid="connection-status" data-state={tone} title={healthTitle(apiDown, health, stream)}>
      <span class="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function healthTitle(apiDown: boolean, health: ReturnType<typeof store.get>['health'], stream: string): string {
  if (apiDown) return 'The API is not answering';
  if (!health) return 'Checking…';
  return [
    `Temporal: ${health.temporal.reachable ? 'reachable' : 'unreachable'}`,
    `Worker: ${health.worker.reachable ? 'running' : 'not running'}`,
    `Model: ${health.model}`,
    `Live updates: ${stream}`,
  ].join(' · ');
}

export function Header({ current }: { current: View }) {
  const counts = useStore(store, (s) => ({
    notifications: unreadCount(s),
    approvals: pendingApprovals(s),
    tasks: runningTasks(s),
  }));
  const model = useStore(store, (s) => s.health?.model);
  return (
    <header class="app-header">
      <div class="brand-row">
        <a class="brand" href={href('chat')}>
          <Logo />
          <span class="brand-name">Paprika</span>
        </a>
        {model === 'offline' && (
          <span class="pill pill-muted" title="No model is configured: Paprika answers with its built-in rules">
            offline rules
          </span>
        )}
        <ConnectionPill />
      </div>
      <nav class="nav" aria-label="Sections">
        {NAV.map((item) => {
          const count = counts[item.view as keyof typeof counts] ?? 0;
          const testid = item.view === 'notifications' ? 'unread-badge' : item.view === 'approvals' ? 'approvals-count' : `${item.view}-count`;
          return (
            <a
              key={item.view}
              class={`nav-link${current === item.view ? ' active' : ''}`}
              href={href(item.view)}
              aria-current={current === item.view ? 'page' : undefined}
              data-testid={`nav-${item.view}`}
            >
              <Icon name={item.icon} class="nav-icon" />
              <span class={`nav-label${item.short ? ' has-short' : ''}`}>{item.label}</span>
              {item.short && (
                <span class="nav-short" aria-hidden="true">
                  {item.short}
                </span>
              )}
              {count > 0 && (
                <span class={`badge${item.view === 'tasks' ? ' badge-soft' : ''}`} data-testid={testid} aria-label={badgeLabel(item.view, count)}>
                  {count}
                </span>
              )}
            </a>
          );
        })}
      </nav>
    </header>
  );
}

function badgeLabel(view: View, n: number): string {
  if (view === 'notifications') return `${n} unread`;
  if (view === 'approvals') return `${n} waiting for approval`;
  return `${n} running`;
}

/** A clear banner when something the page depends on is down; it disappears by itself on recovery. */
export function StatusBanner() {
  const { apiDown, health, stream, auth } = useStore(store, (s) => ({ apiDown: s.apiDown, health: s.health, stream: s.stream, auth: s.auth }));
  let text: string | undefined;
  let tone = 'warn';
  if (apiDown) {
    text = 'Cannot reach the Paprika API. Retrying every few seconds — your transcript is safe.';
    tone = 'bad';
  } else if (health && !health.temporal.reachable) {
    text = `Temporal is unreachable${health.temporal.address ? ` at ${health.temporal.address}` : ''}. Chat and tasks resume when it is back. Retrying…`;
    tone = 'bad';
  } else if (health && !health.worker.reachable) {
    text = `No worker is running${health.worker.taskQueue ? ` on task queue “${health.worker.taskQueue}”` : ''}: messages will wait until one starts. Retrying…`;
  } else if (stream === 'reconnecting' && auth === 'ok') {
    text = 'Live updates paused — reconnecting. Nothing will be missed.';
  }
  if (!text) return null;
  return (
    <div class={`banner banner-${tone}`} role="alert" data-testid="status-banner">
      <span class="spinner" aria-hidden="true" />
      {text}
    </div>
  );
}
