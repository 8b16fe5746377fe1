// Small formatting helpers for times and durations, in the user's locale.

export function parseTime(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

const rtf = typeof Intl !== 'undefined' && 'RelativeTimeFormat' in Intl ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : undefined;

export function relativeTime(iso: string | undefined, now = Date.now()): string {
  const t = parseTime(iso);
  if (t === undefined) return '';
  const diff = (t - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return diff <= 0 ? 'just now' : 'in a moment';
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['minute', 60],
    ['hour', 3600],
    ['day', 86400],
  ];
  for (const [unit, secs] of units.reverse()) {
    if (abs >= secs) return rtf ? rtf.format(Math.round(diff / secs), unit) : new Date(t).toLocaleString();
  }
  return rtf ? rtf.format(Math.round(diff / 60), 'minute') : new Date(t).toLocaleString();
}

export function absoluteTime(iso: string | undefined): string {
  const t = parseTime(iso);
  if (t === undefined) return iso ?? '';
  return new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function clockTime(iso: string | undefined): string {
  const t = parseTime(iso);
  if (t === undefined) return '';
  return new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function duration(ms: number): string {
  if (ms < 0) ms = 0;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

export function newId(prefix: string): string {
  const c = globalThis.crypto;
  const rand = c && 'randomUUID' in c ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  return `${prefix}-${rand}`;
}
