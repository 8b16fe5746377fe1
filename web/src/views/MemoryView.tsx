// What Paprika knows about the user: remembered facts (add, forget) and the profile it keeps.
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api';
import { ApiError } from '../api';
import { Empty, LoadGate, PageHeader, TagList, useBusy } from '../components/common';
import { Icon } from '../components/icons';
import { absoluteTime, relativeTime } from '../format';
import type { LoadState } from '../state';
import type { Fact, Profile } from '../types';

/** Loads something once per mount into local state, with the same states the shared lists use. */
export function useLoad<T>(load: () => Promise<T>): { data?: T; state: LoadState; error?: string; reload: () => void; setData: (d: T) => void } {
  const [data, setData] = useState<T | undefined>();
  const [state, setState] = useState<LoadState>('loading');
  const [error, setError] = useState<string | undefined>();
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => {
        if (!live) return;
        setData(d);
        setState('ready');
      },
      (err) => {
        if (!live) return;
        if (err instanceof ApiError && err.notAvailable) setState('unavailable');
        else {
          setState('error');
          setError(err instanceof Error ? err.message : String(err));
        }
      },
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render; reloading is driven by the counter alone.
  }, [n]);
  return { data, state, error, reload: () => setN(n + 1), setData };
}

function Facts() {
  const { data, state, error, reload, setData } = useLoad(() => api.getMemory().then((r) => r.facts));
  const [text, setText] = useState('');
  const [busy, actionError, run] = useBusy();
  const facts = data ?? [];
  const add = (e: Event) => {
    e.preventDefault();
    const t = text.trim();
    if (!t) return;
    void run(async () => {
      const { fact } = await api.addFact(t);
      setData([fact, ...facts.filter((f) => f.id !== fact.id)]);
      setText('');
    });
  };
  const forget = (f: Fact) =>
    run(async () => {
      await api.deleteFact(f.id);
      setData(facts.filter((x) => x.id !== f.id));
    });
  return (
    <section class="panel" aria-labelledby="facts-title">
      <h2 id="facts-title" class="panel-title">
        Things Paprika remembers
      </h2>
      <LoadGate state={state} error={error} what="memory" onRetry={reload}>
        <form class="inline-form" onSubmit={add}>
          <label for="new-fact" class="sr-only">
            Something to remember
          </label>
          <input id="new-fact" type="text" maxLength={2000} placeholder="e.g. I prefer meetings after 10am" value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="fact-input" />
          <button type="submit" class="btn btn-primary btn-small" disabled={busy || !text.trim()} data-testid="fact-add">
            Remember
          </button>
        </form>
        {actionError && (
          <p class="error small" role="alert">
            {actionError}
          </p>
        )}
        {facts.length === 0 ? (
          <Empty title="Nothing remembered yet" icon="memory">
            Paprika learns from your conversations; you can also tell it things here.
          </Empty>
        ) : (
          <ul class="facts" data-testid="fact-list">
            {facts.map((f) => (
              <li key={f.id} class="fact" data-testid="fact">
                <p class="plain">{f.text}</p>
                <time class="muted small" dateTime={f.createdAt} title={absoluteTime(f.createdAt)}>
                  {relativeTime(f.createdAt)}
                </time>
                <button type="button" class="btn btn-small btn-danger-ghost icon-only" disabled={busy} onClick={() => void forget(f)} aria-label={`Forget: ${f.text}`} data-testid="fact-delete">
                  <Icon name="trash" size={16} />
                </button>
              </li>
            ))}
          </ul>
        )}
      </LoadGate>
    </section>
  );
}

const TEXT_FIELDS: { key: 'name' | 'role' | 'organisation' | 'tone'; label: string; placeholder: string }[] = [
  { key: 'name', label: 'Name', placeholder: 'Ada Lovelace' },
  { key: 'role', label: 'Role', placeholder: 'Head of research' },
  { key: 'organisation', label: 'Organisation', placeholder: 'Analytical Engines Ltd' },
  { key: 'tone', label: 'Preferred tone', placeholder: 'brief and friendly' },
];

function ProfileForm() {
  const { data, state, error, reload, setData } = useLoad(() => api.getProfile().then((r) => r.profile ?? {}));
  const [draft, setDraft] = useState<Profile | undefined>();
  const [busy, saveError, run] = useBusy();
  const [saved, setSaved] = useState(false);
  const p = draft ?? data ?? {};
  const change = (patch: Partial<Profile>) => {
    setDraft({ ...p, ...patch });
    setSaved(false);
  };
  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const { profile } = await api.putProfile(p);
      setData(profile ?? p);
      setDraft(undefined);
      setSaved(true);
    });
  };
  return (
    <section class="panel" aria-labelledby="profile-title">
      <h2 id="profile-title" class="panel-title">
        Profile
      </h2>
      <LoadGate state={state} error={error} what="profile" onRetry={reload}>
        <form onSubmit={save} data-testid="profile-form">
          <div class="grid-2">
            {TEXT_FIELDS.map((f) => (
              <div class="field" key={f.key}>
                <label for={`profile-${f.key}`}>{f.label}</label>
                <input id={`profile-${f.key}`} type="text" value={p[f.key] ?? ''} placeholder={f.placeholder} onInput={(e) => change({ [f.key]: e.currentTarget.value })} />
              </div>
            ))}
          </div>
          <TagList label="Important contacts" values={p.contacts ?? []} onChange={(contacts) => change({ contacts })} placeholder="name or email, then Enter" />
          <TagList label="Commitments" values={p.commitments ?? []} onChange={(commitments) => change({ commitments })} placeholder="e.g. Board report due Fridays" />
          {saveError && (
            <p class="error" role="alert">
              {saveError}
            </p>
          )}
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy || !draft} data-testid="profile-save">
              {busy ? 'Saving…' : 'Save profile'}
            </button>
            <span class="muted small" aria-live="polite">
              {saved ? 'Saved.' : draft ? 'Unsaved changes' : ''}
            </span>
          </div>
        </form>
      </LoadGate>
    </section>
  );
}

export function MemoryView() {
  return (
    <section class="page" aria-label="Memory and profile">
      <PageHeader title="Memory & profile" subtitle="What Paprika knows about you. Edit or remove anything." />
      <Facts />
      <ProfileForm />
    </section>
  );
}
