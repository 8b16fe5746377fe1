// How Paprika filters and when it speaks up: VIPs, muted senders, the notify threshold, the morning
// briefing, the timezone; plus the connected sources and whether they are healthy.
import { useMemo, useState } from 'preact/hooks';
import * as api from '../api';
import { Empty, LoadGate, PageHeader, TagList, useBusy } from '../components/common';
import type { Priority, Settings, SourceHealth } from '../types';
import type { FeedbackRule } from '../../../src/shared/feed';
import { logOut } from '../state';
import { useLoad } from './MemoryView';

const THRESHOLDS: { value: Priority; label: string }[] = [
  { value: 'urgent', label: 'Only urgent things' },
  { value: 'high', label: 'High and urgent' },
  { value: 'normal', label: 'Normal and above' },
  { value: 'low', label: 'Everything, even low priority' },
];

function timezones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

function Sources({ sources }: { sources: SourceHealth[] }) {
  if (!sources.length)
    return (
      <Empty title="No sources connected" icon="settings">
        Connect Gmail or Calendar (see the README) and they will show up here with their health.
      </Empty>
    );
  return (
    <ul class="sources" data-testid="source-list">
      {sources.map((s) => {
        const tone = !s.connected ? 'off' : s.healthy ? 'ok' : 'bad';
        const label = !s.connected ? 'Not connected' : s.healthy ? 'Healthy' : 'Needs attention';
        return (
          <li key={s.name} class="source" data-testid="source" data-state={tone}>
            <span class={`dot dot-${tone}`} aria-hidden="true" />
            <span class="source-name">{s.name}</span>
            <span class={`status status-${tone}`}>{label}</span>
            {s.detail && <span class="source-detail muted small plain">{s.detail}</span>}
          </li>
        );
      })}
    </ul>
  );
}

const SCOPES: { value: FeedbackRule['scope']; label: string }[] = [
  { value: 'sender', label: 'Sender' },
  { value: 'domain', label: 'Domain' },
  { value: 'keyword', label: 'Keyword' },
];

// The form styles make selects full width; in a rule's row the value needs the room.
const NARROW = { flex: '0 1 auto', width: 'auto' };

/** One rule, edited in place: what it matches and whether it silences or always notifies. */
function RuleRow({ rule, onChanged }: { rule: FeedbackRule; onChanged: () => void }) {
  const [draft, setDraft] = useState({ scope: rule.scope, value: rule.value, effect: rule.effect });
  const [busy, error, run] = useBusy();
  const dirty = draft.scope !== rule.scope || draft.value !== rule.value || draft.effect !== rule.effect;
  return (
    <li class="rule" data-testid="rule" data-id={rule.id} data-effect={rule.effect}>
      <div class="inline-form">
        <select aria-label="Applies to" style={NARROW} value={draft.scope} onChange={(e) => setDraft({ ...draft, scope: e.currentTarget.value as FeedbackRule['scope'] })} data-testid="rule-scope">
          {SCOPES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <input aria-label="Matches" type="text" style={{ flex: '2 1 14rem', minWidth: '10rem' }} value={draft.value} onInput={(e) => setDraft({ ...draft, value: e.currentTarget.value })} data-testid="rule-value" />
        <select aria-label="Effect" style={NARROW} value={draft.effect} onChange={(e) => setDraft({ ...draft, effect: e.currentTarget.value as FeedbackRule['effect'] })} data-testid="rule-effect">
          <option value="never_notify">Not important (never notify)</option>
          <option value="always_notify">Always tell me</option>
        </select>
        <button type="button" class="btn btn-small" disabled={busy || !dirty} onClick={() => void run(async () => (await api.putRule(rule.id, draft), onChanged()))} data-testid="rule-save">
          Save
        </button>
        <button type="button" class="btn btn-small btn-ghost" disabled={busy} onClick={() => void run(async () => (await api.deleteRule(rule.id), onChanged()))} data-testid="rule-delete">
          Delete
        </button>
      </div>
      {rule.note && <p class="hint plain">{rule.note}</p>}
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** The rules made from "Not important" / "Always tell me"; they apply before Paprika's own rules. */
function RulesPanel() {
  const { data, state, error, reload } = useLoad(api.getRules);
  return (
    <section class="panel" aria-labelledby="rules-title" data-testid="rules-panel">
      <h2 class="panel-title" id="rules-title">
        Rules
      </h2>
      <p class="hint">Made from your answers to notifications. They apply before Paprika’s own judgement.</p>
      <LoadGate state={state} error={error} what="rules" onRetry={reload}>
        {data?.rules.length ? (
          <ul class="list" data-testid="rule-list">
            {data.rules.map((r) => (
              <RuleRow key={`${r.id}:${r.updatedAt}`} rule={r} onChanged={reload} />
            ))}
          </ul>
        ) : (
          <Empty title="No rules yet" icon="settings">
            Answer “Not important” or “Always tell me” on a notification and the rule shows up here.
          </Empty>
        )}
      </LoadGate>
    </section>
  );
}

export function SettingsView() {
  const { data, state, error, reload, setData } = useLoad(api.getSettings);
  const [draft, setDraft] = useState<Settings | undefined>();
  const [busy, saveError, run] = useBusy();
  const [saved, setSaved] = useState(false);
  const zones = useMemo(timezones, []);
  const s: Settings = draft ?? data?.settings ?? {};
  const change = (patch: Partial<Settings>) => {
    setDraft({ ...s, ...patch });
    setSaved(false);
  };
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const save = (e: Event) => {
    e.preventDefault();
    if (s.briefingTime && !/^([01]\d|2[0-3]):[0-5]\d$/.test(s.briefingTime)) return;
    void run(async () => {
      const answer = await api.putSettings(s);
      setData(answer?.settings ? answer : { settings: s, sources: data?.sources ?? [] });
      setDraft(undefined);
      setSaved(true);
    });
  };
  return (
    <section class="page" aria-label="Settings">
      <PageHeader title="Settings" subtitle="Who matters, what can wait, and when Paprika speaks up." />
      <LoadGate state={state} error={error} what="settings" onRetry={reload}>
        <form onSubmit={save} data-testid="settings-form">
          <section class="panel" aria-labelledby="people-title">
            <h2 class="panel-title" id="people-title">
              People
            </h2>
            <TagList label="VIPs (always notify)" values={s.vips ?? []} onChange={(vips) => change({ vips })} placeholder="boss@example.com, then Enter" testid="vips" />
            <TagList label="Muted senders (never notify)" values={s.muted ?? []} onChange={(muted) => change({ muted })} placeholder="newsletter@example.com" testid="muted" />
          </section>
          <section class="panel" aria-labelledby="notify-title">
            <h2 class="panel-title" id="notify-title">
              Notifications and briefing
            </h2>
            <div class="grid-2">
              <div class="field">
                <label for="threshold">Notify me about</label>
                <select id="threshold" value={s.notifyThreshold ?? 'normal'} onChange={(e) => change({ notifyThreshold: e.currentTarget.value as Priority })} data-testid="notify-threshold">
                  {THRESHOLDS.map((t) => (
                    <option key={t.value} value={t.value}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="briefing">Daily briefing at</label>
                <input id="briefing" type="time" value={s.briefingTime ?? ''} onInput={(e) => change({ briefingTime: e.currentTarget.value })} data-testid="briefing-time" />
              </div>
              <div class="field field-wide">
                <label for="timezone">Timezone</label>
                <div class="inline-form">
                  <input id="timezone" type="text" list="timezones" value={s.timezone ?? ''} placeholder={browserZone} onInput={(e) => change({ timezone: e.currentTarget.value })} data-testid="timezone" />
                  {browserZone && s.timezone !== browserZone && (
                    <button type="button" class="btn btn-small btn-ghost" onClick={() => change({ timezone: browserZone })}>
                      Use {browserZone}
                    </button>
                  )}
                </div>
                <datalist id="timezones">
                  {zones.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
                {s.timezone && zones.length > 0 && !zones.includes(s.timezone) && s.timezone !== 'UTC' && <p class="hint">Not a timezone this browser knows; the server will check it.</p>}
              </div>
            </div>
          </section>
          {saveError && (
            <p class="notice notice-error" role="alert">
              {saveError}
            </p>
          )}
          <div class="form-actions sticky-actions">
            <button type="submit" class="btn btn-primary" disabled={busy || !draft} data-testid="settings-save">
              {busy ? 'Saving…' : 'Save settings'}
            </button>
            <span class="muted small" aria-live="polite">
              {saved ? 'Saved.' : draft ? 'Unsaved changes' : ''}
            </span>
          </div>
        </form>
        <RulesPanel />
        <section class="panel" aria-labelledby="sources-title">
          <h2 class="panel-title" id="sources-title">
            Connected sources
          </h2>
          <Sources sources={data?.sources ?? []} />
        </section>
        <section class="panel" aria-labelledby="session-title">
          <h2 class="panel-title" id="session-title">
            This browser
          </h2>
          <button type="button" class="btn" onClick={() => void logOut()} data-testid="logout-button">
            Sign out
          </button>
        </section>
      </LoadGate>
    </section>
  );
}
