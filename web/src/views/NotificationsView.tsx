// Notifications, live over the stream, grouped by priority. Their text comes from emails and feeds,
// so it is shown as text only, never as HTML.
import { useState } from 'preact/hooks';
import * as api from '../api';
import { capitalise, Empty, InlineError, LoadGate, PageHeader, useBusy } from '../components/common';
import { Icon } from '../components/icons';
import { WhyLink } from '../components/WhyLink';
import { absoluteTime, relativeTime } from '../format';
import { href } from '../route';
import { forgetItem, forgetSender, loadNotifications, markAllRead, markRead, setChatDraft, store, unreadCount, visibleNotifications } from '../state';
import { useStore } from '../store';
import { type Notification, SHOWN_PRIORITIES } from '../types';

interface SourceLink {
  href: string;
  label: string;
  external?: boolean;
}

/** Where a notification came from, as a link when the page can show it. */
function sourceLink(n: Notification): SourceLink | undefined {
  const ref = n.ref?.trim();
  if (ref) {
    const task = /^(?:task|tool|call):(.+)$/i.exec(ref);
    if (task) return { href: href('tasks', task[1]), label: 'Open task' };
    if (/^approval:/i.test(ref)) return { href: href('approvals'), label: 'Open approvals' };
    if (/^https?:\/\//i.test(ref)) return { href: ref, label: 'Open source', external: true };
  }
  if (n.source && /^(task|tasks|tool|agent)$/i.test(n.source)) return { href: href('tasks', ref), label: 'Open task' };
  return undefined;
}

/** The two answers that teach Paprika; each becomes a rule the user can edit in Settings. */
function Feedback({ n }: { n: Notification }) {
  const [busy, error, run] = useBusy();
  const [made, setMade] = useState<string | undefined>();
  const answer = (verdict: 'not_important' | 'always_tell_me') =>
    run(async () => {
      const { rule } = await api.sendFeedback(n.id, verdict);
      setMade(`${verdict === 'not_important' ? 'Won’t notify' : 'Will always tell you about'} mail from ${rule.value}. Edit in Settings → Rules.`);
      if (verdict === 'not_important' && !n.read) await markRead(n.id);
    });
  if (made)
    return (
      <span class="muted small" role="status" data-testid="feedback-done">
        {made}
      </span>
    );
  return (
    <>
      <button type="button" class="btn btn-small btn-ghost" disabled={busy} onClick={() => void answer('not_important')} data-testid="not-important">
        Not important
      </button>
      <button type="button" class="btn btn-small btn-ghost" disabled={busy} onClick={() => void answer('always_tell_me')} data-testid="always-tell-me">
        Always tell me
      </button>
      <InlineError error={error} />
    </>
  );
}

const ITEM_WORDS: Record<NonNullable<Notification['item']>['kind'], string> = { email: 'mail', event: 'event', webhook: 'item', note: 'item' };

/** The user's right to make Paprika forget: the item behind a notification, or all from its sender. */
function Forget({ n }: { n: Notification }) {
  const [busy, error, run] = useBusy();
  if (!n.item || !n.ref) return null;
  const what = ITEM_WORDS[n.item.kind] ?? 'item';
  const ref = n.ref;
  const sender = n.item.sender;
  const forgetThis = () => {
    if (!confirm(`Forget this ${what} (“${n.title}”)? Paprika deletes it and everything it made of it.`)) return;
    void run(() => forgetItem(ref));
  };
  const forgetAll = () => {
    if (!sender || !confirm(`Forget everything from ${sender}? Paprika deletes all their mail and everything it made of it.`)) return;
    void run(() => forgetSender(sender));
  };
  return (
    <>
      <button type="button" class="btn btn-small btn-danger-ghost" disabled={busy} onClick={forgetThis} data-testid="forget-item">
        <Icon name="trash" size={14} /> Forget this {what}
      </button>
      {sender && (
        <button type="button" class="btn btn-small btn-danger-ghost" disabled={busy} onClick={forgetAll} data-testid="forget-sender" title={`Everything from ${sender}`}>
          Forget this sender
        </button>
      )}
      <InlineError error={error} />
    </>
  );
}

function NotificationItem({ n }: { n: Notification }) {
  const [expanded, setExpanded] = useState(false);
  const [busy, error, run] = useBusy();
  const link = sourceLink(n);
  const long = n.body.length > 220 || n.body.split('\n').length > 3;
  return (
    <li class={`card notification prio-${n.priority}${n.read ? ' read' : ' unread'}`} data-testid="notification" data-id={n.id} data-priority={n.priority} data-read={String(n.read)}>
      <div class="notification-head">
        {!n.read && <span class="unread-dot" title="Unread" aria-label="Unread" />}
        <h3 class="notification-title">{n.title}</h3>
        <time class="muted small" dateTime={n.createdAt} title={absoluteTime(n.createdAt)}>
          {relativeTime(n.createdAt)}
        </time>
      </div>
      {n.body && (
        <p class={`notification-body plain${long && !expanded ? ' clamped' : ''}`} data-testid="notification-body">
          {n.body}
        </p>
      )}
      <div class="notification-foot">
        {n.source && (
          <span class="chip chip-static" title={n.ref ? `Reference: ${n.ref}` : undefined} data-testid="notification-source">
            {n.source}
          </span>
        )}
        {link &&
          (link.external ? (
            <a class="link" href={link.href} target="_blank" rel="noopener noreferrer nofollow">
              {link.label} <Icon name="external" size={14} />
            </a>
          ) : (
            <a class="link" href={link.href}>
              {link.label}
            </a>
          ))}
        {!link && n.ref && (
          <a class="link" href={href('chat')} onClick={() => setChatDraft(`Tell me more about “${n.title}” (ref ${n.ref})`)}>
            Ask Paprika about it
          </a>
        )}
        {long && (
          <button type="button" class="link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
            {expanded ? 'Show less' : 'Show more'}
          </button>
        )}
        {n.ref && <WhyLink auditRef={n.ref} />}
        <span class="spacer" />
        {!link && n.ref && n.source !== 'briefing' && <Feedback n={n} />}
        <Forget n={n} />
        {!n.read && (
          <button type="button" class="btn btn-small btn-ghost" disabled={busy} onClick={() => void run(() => markRead(n.id))} data-testid="mark-read">
            <Icon name="check" size={14} /> Mark read
          </button>
        )}
      </div>
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

export function NotificationsView() {
  const { all, unread, state, error } = useStore(store, (s) => ({
    all: visibleNotifications(s),
    unread: unreadCount(s),
    state: s.notificationsState,
    error: s.notificationsError,
  }));
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [busy, markError, run] = useBusy();
  const shown = onlyUnread ? all.filter((n) => !n.read) : all;
  return (
    <section class="page" aria-label="Notifications">
      <PageHeader title="Notifications" subtitle={unread ? `${unread} unread` : 'All caught up'}>
        <div class="segmented" role="group" aria-label="Show">
          <button type="button" aria-pressed={!onlyUnread} onClick={() => setOnlyUnread(false)}>
            All
          </button>
          <button type="button" aria-pressed={onlyUnread} onClick={() => setOnlyUnread(true)}>
            Unread
          </button>
        </div>
        <button type="button" class="btn btn-small" disabled={busy || unread === 0} onClick={() => void run(markAllRead)} data-testid="mark-all-read">
          Mark all read
        </button>
      </PageHeader>
      {markError && (
        <p class="notice notice-error" role="alert">
          {markError}
        </p>
      )}
      <LoadGate state={state} error={error} what="notifications" onRetry={() => void loadNotifications()}>
        {shown.length === 0 ? (
          <Empty title={onlyUnread ? 'No unread notifications' : 'No notifications yet'} icon="bell">
            When something in your inbox or calendar needs you, it shows up here — live.
          </Empty>
        ) : (
          SHOWN_PRIORITIES.map((p) => {
            const group = shown.filter((n) => n.priority === p);
            if (!group.length) return null;
            return (
              <section class="group" key={p} aria-labelledby={`prio-${p}`} data-testid={`notification-group-${p}`}>
                <h2 class={`group-title prio-text-${p}`} id={`prio-${p}`}>
                  {capitalise(p)} <span class="count">{group.length}</span>
                </h2>
                <ul class="list" data-testid="notification-list">
                  {group.map((n) => (
                    <NotificationItem key={n.id} n={n} />
                  ))}
                </ul>
              </section>
            );
          })
        )}
      </LoadGate>
    </section>
  );
}
