// Side effects waiting for the user's yes: each shown as it will happen. Bodies are drafted from
// untrusted email, so they are shown as text, and edits go back as validated JSON arguments.
import { useState } from 'preact/hooks';
import { Empty, LoadGate, PageHeader, useBusy } from '../components/common';
import { Icon } from '../components/icons';
import { absoluteTime, relativeTime } from '../format';
import { href } from '../route';
import { decide, loadApprovals, pendingApprovals, store } from '../state';
import { useStore } from '../store';
import type { Approval } from '../types';
import { describeSource } from '../../../src/shared/provenance-text';

const KIND_LABEL: Record<Approval['preview']['kind'], string> = { email: 'Send email', event: 'Create event', other: 'Action' };
const LONG_TEXT_KEYS = /^(body|text|content|description|message|html|notes?)$/i;

function eventWhen(start?: string, end?: string): string {
  if (!start) return '';
  const s = absoluteTime(start);
  if (!end) return s;
  const sameDay = new Date(start).toDateString() === new Date(end).toDateString();
  const e = sameDay ? new Date(end).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : absoluteTime(end);
  return `${s} – ${e}`;
}

function Preview({ a }: { a: Approval }) {
  const p = a.preview;
  return (
    <div class="preview" data-testid="approval-preview">
      {p.kind === 'email' && (
        <dl class="fields">
          <div>
            <dt>To</dt>
            <dd data-testid="approval-to">{p.to || '—'}</dd>
          </div>
          {p.cc && (
            <div>
              <dt>Cc</dt>
              <dd data-testid="approval-cc">{p.cc}</dd>
            </div>
          )}
          <div>
            <dt>Subject</dt>
            <dd data-testid="approval-subject">{p.subject || '(no subject)'}</dd>
          </div>
        </dl>
      )}
      {p.kind === 'event' && (
        <dl class="fields">
          <div>
            <dt>Event</dt>
            <dd data-testid="approval-title">{p.title || p.summary}</dd>
          </div>
          <div>
            <dt>When</dt>
            <dd data-testid="approval-when">{eventWhen(p.start, p.end) || '—'}</dd>
          </div>
          {p.to && (
            <div>
              <dt>Guests</dt>
              <dd>{p.to}</dd>
            </div>
          )}
        </dl>
      )}
      {p.summary && p.kind !== 'event' && <p class="preview-summary plain">{p.summary}</p>}
      {p.kind === 'event' && p.title && p.summary && p.summary !== p.title && <p class="preview-summary plain">{p.summary}</p>}
      {p.body && (
        <pre class="letter plain" data-testid="approval-body">
          {p.body}
        </pre>
      )}
      {p.kind === 'other' && !p.body && <pre class="letter code">{JSON.stringify(a.args, null, 2)}</pre>}
    </div>
  );
}

type Drafts = Record<string, string | boolean>;

function toDrafts(args: Record<string, unknown>): Drafts {
  const d: Drafts = {};
  for (const [k, v] of Object.entries(args)) {
    if (typeof v === 'boolean') d[k] = v;
    else if (typeof v === 'string') d[k] = v;
    else if (typeof v === 'number') d[k] = String(v);
    else d[k] = JSON.stringify(v, null, 2);
  }
  return d;
}

/** Turns the form back into arguments of the original types; returns errors by field instead. */
function fromDrafts(original: Record<string, unknown>, drafts: Drafts): { args?: Record<string, unknown>; errors: Record<string, string> } {
  const args: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [k, orig] of Object.entries(original)) {
    const v = drafts[k];
    if (typeof orig === 'boolean') args[k] = Boolean(v);
    else if (typeof orig === 'string') args[k] = String(v ?? '');
    else if (typeof orig === 'number') {
      const n = Number(v);
      if (String(v).trim() === '' || Number.isNaN(n)) errors[k] = 'must be a number';
      else args[k] = n;
    } else {
      try {
        args[k] = JSON.parse(String(v ?? 'null'));
      } catch (err) {
        errors[k] = `not valid JSON: ${(err as Error).message}`;
      }
    }
  }
  return Object.keys(errors).length ? { errors } : { args, errors };
}

function EditForm({ a, onDone }: { a: Approval; onDone: () => void }) {
  const [drafts, setDrafts] = useState(() => toDrafts(a.args));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, error, run] = useBusy();
  const set = (k: string, v: string | boolean) => setDrafts({ ...drafts, [k]: v });
  const submit = (e: Event) => {
    e.preventDefault();
    const result = fromDrafts(a.args, drafts);
    setErrors(result.errors);
    if (!result.args) return;
    const args = result.args;
    void run(async () => {
      await decide(a.id, { decision: 'edit', args });
      onDone();
    });
  };
  const keys = Object.keys(a.args);
  return (
    <form class="edit-form" onSubmit={submit} data-testid="approval-edit-form" aria-label="Edit before approving">
      {keys.length === 0 && <p class="muted">This action has no arguments to edit.</p>}
      {keys.map((k) => {
        const orig = a.args[k];
        const id = `arg-${a.id}-${k}`;
        const v = drafts[k];
        const err = errors[k];
        const common = { id, name: k, 'aria-invalid': err ? true : undefined, 'aria-describedby': err ? `${id}-err` : undefined, 'data-testid': `arg-${k}` };
        return (
          <div class="field" key={k}>
            {typeof orig === 'boolean' ? (
              <label class="check">
                <input type="checkbox" {...common} checked={Boolean(v)} onChange={(e) => set(k, e.currentTarget.checked)} /> {k}
              </label>
            ) : (
              <>
                <label for={id}>
                  {k}
                  {typeof orig === 'object' && orig !== null && <span class="muted small"> (JSON)</span>}
                </label>
                {typeof orig === 'string' && !LONG_TEXT_KEYS.test(k) && !String(v).includes('\n') && String(v).length < 120 ? (
                  <input type="text" {...common} value={String(v)} onInput={(e) => set(k, e.currentTarget.value)} />
                ) : typeof orig === 'number' ? (
                  <input type="number" step="any" {...common} value={String(v)} onInput={(e) => set(k, e.currentTarget.value)} />
                ) : (
                  <textarea
                    {...common}
                    class={typeof orig === 'string' ? undefined : 'code'}
                    rows={Math.min(12, Math.max(3, String(v).split('\n').length + 1))}
                    value={String(v)}
                    onInput={(e) => set(k, e.currentTarget.value)}
                  />
                )}
              </>
            )}
            {err && (
              <p class="error small" id={`${id}-err`} role="alert">
                {k}: {err}
              </p>
            )}
          </div>
        );
      })}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="edit-submit">
          {busy ? 'Saving…' : 'Save and approve'}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RejectForm({ a, onDone }: { a: Approval; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, error, run] = useBusy();
  const id = `reason-${a.id}`;
  return (
    <form
      class="edit-form"
      aria-label="Reject"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await decide(a.id, reason.trim() ? { decision: 'reject', reason: reason.trim() } : { decision: 'reject' });
          onDone();
        });
      }}
    >
      <div class="field">
        <label for={id}>Reason (optional, Paprika will see it)</label>
        <textarea id={id} rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-testid="reject-reason" />
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-danger" disabled={busy} data-testid="reject-submit">
          {busy ? 'Rejecting…' : 'Reject'}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type Source = NonNullable<Approval['provenance']>['sources'][number];

/** A web page links to itself; a feed item to the notification it raised. */
function SourceLink({ s }: { s: Source }) {
  const text = describeSource(s);
  if (!s.ref) return <span>{text}</span>;
  if (/^https?:\/\//.test(s.ref)) return <a href={s.ref} rel="noopener noreferrer nofollow" target="_blank">{text}</a>;
  return <a href={href('notifications', s.ref)}>{text}</a>;
}

/** Where the action came from, before the user decides: the point of the card for an injected request. */
function Origin({ a }: { a: Approval }) {
  const p = a.provenance;
  if (!p) return null;
  if (p.origin !== 'untrusted') {
    return (
      <p class="muted small" data-testid="approval-origin" data-origin={p.origin}>
        {p.origin === 'user' ? 'You asked for this.' : 'From something you scheduled.'}
      </p>
    );
  }
  return (
    <p class="error small" role="note" data-testid="approval-origin" data-origin="untrusted">
      <Icon name="x" size={14} /> Suggested by{' '}
      {p.sources.length
        ? p.sources.map((s, i) => (
            <span key={i}>
              {i > 0 && '; '}
              <SourceLink s={s} />
            </span>
          ))
        : 'untrusted content'}
      , not by you. Check it before approving.
    </p>
  );
}

function ApprovalItem({ a }: { a: Approval }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'reject'>('view');
  const [busy, error, run] = useBusy();
  const pending = a.status === 'pending';
  return (
    <li class={`card approval approval-${a.status}`} data-testid="approval" data-id={a.id} data-status={a.status}>
      <div class="approval-head">
        <span class="kind">{KIND_LABEL[a.preview.kind] ?? 'Action'}</span>
        <code class="muted small">{a.tool}</code>
        <span class="spacer" />
        {pending ? (
          <span class="muted small" title={absoluteTime(a.expiresAt)}>
            expires {relativeTime(a.expiresAt)}
          </span>
        ) : (
          <span class={`status status-${a.status}`}>{a.status}</span>
        )}
      </div>
      <Origin a={a} />
      <Preview a={a} />
      {a.reason && <p class="muted small">Reason: {a.reason}</p>}
      <div class="approval-foot muted small">
        Requested {relativeTime(a.createdAt)} · <a href={href('tasks', a.taskId)}>task</a>
      </div>
      {pending && mode === 'view' && (
        <div class="form-actions">
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void run(() => decide(a.id, { decision: 'approve' }))} data-testid="approve-button">
            <Icon name="check" size={16} /> {busy ? 'Approving…' : 'Approve'}
          </button>
          <button type="button" class="btn" disabled={busy} onClick={() => setMode('edit')} data-testid="edit-button">
            <Icon name="edit" size={16} /> Edit
          </button>
          <button type="button" class="btn btn-danger-ghost" disabled={busy} onClick={() => setMode('reject')} data-testid="reject-button">
            <Icon name="x" size={16} /> Reject
          </button>
        </div>
      )}
      {pending && mode === 'edit' && <EditForm a={a} onDone={() => setMode('view')} />}
      {pending && mode === 'reject' && <RejectForm a={a} onDone={() => setMode('view')} />}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

export function ApprovalsView() {
  const { approvals, waiting, state, error } = useStore(store, (s) => ({
    approvals: s.approvals,
    waiting: pendingApprovals(s),
    state: s.approvalsState,
    error: s.approvalsError,
  }));
  const pending = approvals.filter((a) => a.status === 'pending');
  const decided = approvals.filter((a) => a.status !== 'pending');
  return (
    <section class="page" aria-label="Approvals">
      <PageHeader title="Approvals" subtitle={waiting ? `${waiting} waiting for you` : 'Nothing waiting for you'}>
        <button type="button" class="btn btn-small btn-ghost" onClick={() => void loadApprovals()} aria-label="Refresh approvals">
          <Icon name="refresh" size={16} />
        </button>
      </PageHeader>
      <LoadGate state={state} error={error} what="approvals" onRetry={() => void loadApprovals()}>
        {pending.length === 0 ? (
          <Empty title="Nothing to approve" icon="approvals">
            Before Paprika sends an email or books an event for you, it asks here first.
          </Empty>
        ) : (
          <ul class="list" data-testid="approval-list">
            {pending.map((a) => (
              <ApprovalItem key={a.id} a={a} />
            ))}
          </ul>
        )}
        {decided.length > 0 && (
          <section class="group" aria-labelledby="decided-title">
            <h2 class="group-title" id="decided-title">
              Decided <span class="count">{decided.length}</span>
            </h2>
            <ul class="list list-compact">
              {decided.slice(0, 20).map((a) => (
                <ApprovalItem key={a.id} a={a} />
              ))}
            </ul>
          </section>
        )}
      </LoadGate>
    </section>
  );
}
