// Tool calls and agents: what runs, what finished, how long it took, and a way out (cancel) and in
// (the run in the Temporal UI).
import { useEffect, useRef, useState } from 'preact/hooks';
import { Empty, LoadGate, PageHeader, useBusy } from '../components/common';
import { Icon } from '../components/icons';
import { WhyLink } from '../components/WhyLink';
import { absoluteTime, duration, parseTime, relativeTime } from '../format';
import { ApiError } from '../api';
import { cancelTask, loadTasks, runningTasks, store } from '../state';
import { useStore } from '../store';
import type { Health, Task } from '../types';

/** Re-renders every `ms` while `active`, for live durations. */
function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return now;
}

const STATUS_LABEL: Record<Task['status'], string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The list gives temporalUrl; a task first seen on the stream gets one built from /api/health. */
function temporalUrl(t: Task, health: Health | undefined): string | undefined {
  if (t.temporalUrl) return t.temporalUrl;
  if (!t.workflowId || !health?.temporalUiUrl) return undefined;
  const ns = health.temporal.namespace ?? 'default';
  return `${health.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(ns)}/workflows/${encodeURIComponent(t.workflowId)}`;
}

function TaskItem({ t, highlighted, now }: { t: Task; highlighted: boolean; now: number }) {
  const health = useStore(store, (s) => s.health);
  const runUrl = temporalUrl(t, health);
  const ref = useRef<HTMLLIElement>(null);
  const [expanded, setExpanded] = useState(false);
  const [busy, error, run] = useBusy();
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [highlighted]);
  const start = parseTime(t.startedAt);
  const end = parseTime(t.finishedAt) ?? (t.status === 'running' ? now : undefined);
  const took = start !== undefined && end !== undefined ? duration(end - start) : undefined;
  const long = (t.result?.length ?? 0) > 280;
  const cancel = () =>
    run(async () => {
      try {
        await cancelTask(t.id);
      } catch (err) {
        if (err instanceof ApiError && err.notAvailable) throw new Error('Cancelling is not available yet in this version of the server.');
        throw err;
      }
    });
  return (
    <li
      ref={ref}
      id={`task-${t.id}`}
      class={`card task task-${t.status}${highlighted ? ' highlighted' : ''}`}
      data-testid="task"
      data-id={t.id}
      data-status={t.status}
    >
      <div class="task-head">
        <span class={`status status-${t.status}`} data-testid="task-status">
          {t.status === 'running' && <span class="spinner spinner-small" aria-hidden="true" />}
          {STATUS_LABEL[t.status] ?? t.status}
        </span>
        <h3 class="task-title">{t.title || t.tool}</h3>
      </div>
      <dl class="task-meta">
        <div>
          <dt>Tool</dt>
          <dd>
            <code>{t.tool}</code>
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd title={absoluteTime(t.startedAt)}>{relativeTime(t.startedAt, now)}</dd>
        </div>
        {took && (
          <div>
            <dt>{t.status === 'running' ? 'Running for' : 'Took'}</dt>
            <dd data-testid="task-duration">{took}</dd>
          </div>
        )}
      </dl>
      {t.progress && t.status === 'running' && (
        <p class="task-progress plain" data-testid="task-progress">
          {t.progress}
        </p>
      )}
      {t.result && (
        <div class="task-result">
          <span class="label">{t.status === 'failed' ? 'Error' : 'Result'}</span>
          <p class={`plain${long && !expanded ? ' clamped' : ''}`} data-testid="task-result">
            {t.result}
          </p>
          {long && (
            <button type="button" class="link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
              {expanded ? 'Show less' : 'Show more'}
            </button>
          )}
        </div>
      )}
      <div class="task-actions">
        {runUrl && (
          <a class="link" href={runUrl} target="_blank" rel="noopener noreferrer" data-testid="temporal-link">
            Open in Temporal UI <Icon name="external" size={14} />
          </a>
        )}
        <WhyLink auditRef={`task:${t.id}`} />
        <span class="spacer" />
        {t.status === 'running' && (
          <button type="button" class="btn btn-small btn-danger-ghost" disabled={busy} onClick={() => void cancel()} data-testid="cancel-task">
            <Icon name="x" size={14} /> {busy ? 'Cancelling…' : 'Cancel'}
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

export function TasksView({ focus }: { focus?: string }) {
  const { tasks, running, state, error } = useStore(store, (s) => ({ tasks: s.tasks, running: runningTasks(s), state: s.tasksState, error: s.tasksError }));
  const [onlyRunning, setOnlyRunning] = useState(false);
  const now = useNow(running > 0);
  const shown = onlyRunning ? tasks.filter((t) => t.status === 'running') : tasks;
  return (
    <section class="page" aria-label="Tasks">
      <PageHeader title="Tasks" subtitle={running ? `${running} running` : 'Nothing running right now'}>
        <div class="segmented" role="group" aria-label="Show">
          <button type="button" aria-pressed={!onlyRunning} onClick={() => setOnlyRunning(false)}>
            All
          </button>
          <button type="button" aria-pressed={onlyRunning} onClick={() => setOnlyRunning(true)}>
            Running
          </button>
        </div>
        <button type="button" class="btn btn-small btn-ghost" onClick={() => void loadTasks()} aria-label="Refresh tasks">
          <Icon name="refresh" size={16} />
        </button>
      </PageHeader>
      <LoadGate state={state} error={error} what="tasks" onRetry={() => void loadTasks()}>
        {shown.length === 0 ? (
          <Empty title={onlyRunning ? 'Nothing is running' : 'No tasks yet'} icon="tasks">
            When Paprika sets a reminder, researches something or drafts an email, the work shows up here.
          </Empty>
        ) : (
          <ul class="list" data-testid="task-list">
            {shown.map((t) => (
              <TaskItem key={t.id} t={t} highlighted={t.id === focus} now={now} />
            ))}
          </ul>
        )}
      </LoadGate>
    </section>
  );
}
