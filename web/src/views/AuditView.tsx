// The audit log: every action Paprika took or refused, newest first, with who asked, where the
// request came from, the approval and the run in the Temporal UI. Details and provenance quote
// mail subjects and senders, so everything is rendered as text, never as HTML.
import { useEffect, useRef } from 'preact/hooks';
import * as api from '../api';
import { capitalise, Empty, LoadGate, PageHeader, useBusy } from '../components/common';
import { Icon } from '../components/icons';
import { absoluteTime, relativeTime } from '../format';
import { href } from '../route';
import type { AuditEntryView, AuditOutcome } from '../types';
import { describeProvenance } from '../../../src/shared/provenance-text';
import { useLoad } from './MemoryView';

const OUTCOME: Record<AuditOutcome, { label: string; tone: string }> = {
  done: { label: 'Done', tone: 'ok' },
  refused: { label: 'Refused', tone: 'bad' },
  waiting_for_approval: { label: 'Waiting for approval', tone: 'pending' },
  approved: { label: 'Approved', tone: 'ok' },
  rejected: { label: 'Rejected', tone: 'bad' },
  expired: { label: 'Expired', tone: 'off' },
  failed: { label: 'Failed', tone: 'bad' },
};

/** `user`, `api`, `assistant`, `timer`, `task:<id>`, `agent:<name>` as a person says it. */
function Actor({ actor }: { actor: string }) {
  const [kind, ...rest] = actor.split(':');
  const value = rest.join(':');
  if (kind === 'task' && value)
    return (
      <a class="link" href={href('tasks', value)}>
        A task
      </a>
    );
  if (kind === 'agent' && value) return <>Agent “{value}”</>;
  const words: Record<string, string> = { user: 'You', api: 'You, on the page or the API', assistant: 'Paprika', timer: 'A timer' };
  return <>{words[actor] ?? actor}</>;
}

/** "create_event" → "Create event": the action names are code, the page speaks words. */
const actionWords = (action: string) => capitalise(action.replace(/[_-]+/g, ' '));

function AuditItem({ e, highlighted }: { e: AuditEntryView; highlighted?: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [highlighted]);
  const outcome = OUTCOME[e.outcome] ?? { label: e.outcome, tone: 'off' };
  return (
    <li ref={ref} class={`card audit-entry${highlighted ? ' highlighted' : ''}`} data-testid="audit-entry" data-id={e.id} data-outcome={e.outcome} data-focused={highlighted ? 'true' : undefined}>
      <div class="task-head">
        <span class={`status status-${outcome.tone}`} data-testid="audit-outcome">
          {outcome.label}
        </span>
        <h3 class="task-title" data-testid="audit-action">
          {actionWords(e.action)}
        </h3>
        <span class="spacer" />
        <time class="muted small" dateTime={e.at} title={absoluteTime(e.at)}>
          {relativeTime(e.at)}
        </time>
      </div>
      {e.detail && (
        <p class="plain" data-testid="audit-detail">
          {e.detail}
        </p>
      )}
      <dl class="task-meta">
        <div>
          <dt>Asked by</dt>
          <dd data-testid="audit-actor">
            <Actor actor={e.actor} />
          </dd>
        </div>
        <div>
          <dt>Came from</dt>
          <dd class="plain" data-testid="audit-provenance">
            {capitalise(describeProvenance(e.provenance))}
          </dd>
        </div>
        {e.approvalId && (
          <div>
            <dt>Approval</dt>
            <dd>
              <a class="link" href={href('approvals', e.approvalId)} data-testid="audit-approval">
                Open approvals
              </a>
            </dd>
          </div>
        )}
      </dl>
      {e.temporalUrl && (
        <div class="task-actions">
          <a class="link" href={e.temporalUrl} target="_blank" rel="noopener noreferrer" data-testid="audit-temporal-link">
            Open in Temporal <Icon name="external" size={14} />
          </a>
        </div>
      )}
    </li>
  );
}

/** The entry "Why did you do this?" opened when it is older than the loaded pages; keyed by its ID, so a new one loads afresh. */
function Focused({ id }: { id: string }) {
  const { data, state, error, reload } = useLoad(() => api.getAuditEntry(id).then((r) => r.entry));
  return (
    <section class="group" aria-labelledby="audit-why" data-testid="audit-focus-section">
      <h2 class="group-title" id="audit-why">
        Why this happened
      </h2>
      {state === 'unavailable' ? (
        <p class="notice" role="status">
          This entry is not in the audit log.
        </p>
      ) : (
        <LoadGate state={state} error={error} what="the entry" onRetry={reload}>
          <ul class="list">{data && <AuditItem e={data} highlighted />}</ul>
        </LoadGate>
      )}
    </section>
  );
}

export function AuditView({ focus }: { focus?: string }) {
  const { data, state, error, reload, setData } = useLoad(() => api.getAudit());
  const [busy, moreError, run] = useBusy();
  const entries = data?.entries ?? [];
  const more = () =>
    run(async () => {
      if (data?.next === undefined) return;
      const page = await api.getAudit({ before: data.next });
      const known = new Set(entries.map((e) => e.id));
      setData({ entries: [...entries, ...page.entries.filter((e) => !known.has(e.id))], ...(page.next !== undefined ? { next: page.next } : {}) });
    });
  return (
    <section class="page" aria-label="Audit log">
      <PageHeader title="Audit log" subtitle="Everything Paprika did or refused, newest first">
        <button type="button" class="btn btn-small btn-ghost" onClick={reload} aria-label="Refresh the audit log">
          <Icon name="refresh" size={16} />
        </button>
      </PageHeader>
      {focus && state === 'ready' && !entries.some((e) => e.id === focus) && <Focused key={focus} id={focus} />}
      <LoadGate state={state} error={error} what="the audit log" onRetry={reload}>
        {entries.length === 0 ? (
          <Empty title="Nothing done yet" icon="audit">
            When Paprika acts for you, or refuses to, it is written down here with who asked and why.
          </Empty>
        ) : (
          <>
            <ul class="list" data-testid="audit-list">
              {entries.map((e) => (
                <AuditItem key={e.id} e={e} highlighted={e.id === focus} />
              ))}
            </ul>
            {data?.next !== undefined && (
              <div class="load-more">
                <button type="button" class="btn btn-small" disabled={busy} onClick={() => void more()} data-testid="audit-load-more">
                  {busy ? 'Loading…' : 'Load more'}
                </button>
              </div>
            )}
            {moreError && (
              <p class="error small" role="alert">
                {moreError}
              </p>
            )}
          </>
        )}
      </LoadGate>
    </section>
  );
}
