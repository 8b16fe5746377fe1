// Small building blocks shared by the views.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { LoadState } from '../state';
import { Icon, type IconName } from './icons';

export function Empty({ title, children, icon = 'chat' }: { title: string; children?: ComponentChildren; icon?: IconName }) {
  return (
    <div class="empty" role="status">
      <div class="empty-icon">
        <Icon name={icon} size={28} />
      </div>
      <p class="empty-title">{title}</p>
      {children && <p class="empty-text">{children}</p>}
    </div>
  );
}

/** What a view shows instead of its list while loading, on error, or when the endpoint is not there yet. */
export function LoadGate({
  state,
  error,
  what,
  onRetry,
  children,
}: {
  state: LoadState;
  error?: string;
  what: string;
  onRetry?: () => void;
  children: ComponentChildren;
}) {
  if (state === 'loading') return <div class="loading" role="status">Loading {what}…</div>;
  if (state === 'unavailable')
    return (
      <Empty title={`${capitalise(what)}: not available yet`} icon="refresh">
        This part of Paprika is not switched on in this version of the server. Everything else keeps working.
      </Empty>
    );
  if (state === 'error')
    return (
      <div class="notice notice-error" role="alert">
        <span>
          Could not load {what}: {error}
        </span>
        {onRetry && (
          <button type="button" class="btn btn-small" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    );
  return <>{children}</>;
}

/** An action's error, beside the buttons that caused it. */
export function InlineError({ error }: { error?: string }) {
  return error ? (
    <span class="error small" role="alert">
      {error}
    </span>
  ) : null;
}

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function PageHeader({ title, children, subtitle }: { title: string; subtitle?: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <div>
        <h1 class="page-title">{title}</h1>
        {subtitle && <p class="page-subtitle">{subtitle}</p>}
      </div>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}

/** An editable list of short strings (VIP addresses, muted senders, contacts). */
export function TagList({
  label,
  values,
  onChange,
  placeholder,
  testid,
}: {
  label: string;
  values: string[];
  onChange: (v: string[]) => void;
  placeholder?: string;
  testid?: string;
}) {
  const [draft, setDraft] = useState('');
  const id = `tag-${label.replace(/\W+/g, '-').toLowerCase()}`;
  const add = () => {
    const parts = draft
      .split(/[,\n]/)
      .map((p) => p.trim())
      .filter((p) => p && !values.includes(p));
    if (parts.length) onChange([...values, ...parts]);
    setDraft('');
  };
  return (
    <div class="field" data-testid={testid}>
      <label for={id}>{label}</label>
      {values.length > 0 && (
        <ul class="tags" aria-label={label}>
          {values.map((v) => (
            <li class="tag" key={v}>
              <span>{v}</span>
              <button type="button" class="tag-remove" aria-label={`Remove ${v}`} onClick={() => onChange(values.filter((x) => x !== v))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="inline-form">
        <input
          id={id}
          type="text"
          value={draft}
          placeholder={placeholder}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" class="btn btn-small" onClick={add} disabled={!draft.trim()}>
          Add
        </button>
      </div>
    </div>
  );
}

export function useBusy(): [boolean, string | undefined, (fn: () => Promise<unknown>) => Promise<void>, (e?: string) => void] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return [busy, error, run, setError];
}
