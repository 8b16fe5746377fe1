// Deadlines written in an email ("needed by Friday 5pm", "due October 15"), read with chrono.
import * as chrono from 'chrono-node';

export interface Deadline {
  date: Date;
  /** The words that named the date, as written. */
  text: string;
}

/** Words that, just before a date, make it something to be done by. */
export const DEADLINE_CUE = /\b(by|due|before|deadline|no later than|until|till|latest)\b[^.!?\n]{0,20}$/i;

/** A date that the text asks for something by ("needed by Friday 5pm", "due October 15"). */
export function findDeadline(subject: string, head: string, sent: Date, offset: number): Deadline | undefined {
  for (const text of [subject, head]) {
    for (const r of chrono.parse(text, { instant: sent, timezone: offset }, { forwardDate: true })) {
      const before = text.slice(Math.max(0, r.index - 40), r.index);
      if (!DEADLINE_CUE.test(before)) continue;
      let date = r.start.date();
      // "due October 15" means the end of that day, not chrono's implied noon.
      if (!r.start.isCertain('hour')) {
        const y = r.start.get('year')!;
        const m = r.start.get('month')!;
        const d = r.start.get('day')!;
        date = new Date(Date.UTC(y, m - 1, d, 23, 59, 59) - offset * 60_000);
      }
      // A date well before the message was sent is a reference ("by March 3 we had..."), not a deadline.
      if (date.getTime() < sent.getTime() - 24 * 3_600_000) continue;
      return { date, text: r.text };
    }
  }
  return undefined;
}

export function describeDeadline(date: Date, offset: number): string {
  const local = new Date(date.getTime() + offset * 60_000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][local.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][local.getUTCMonth()];
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  const off = `UTC${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return `${day} ${local.getUTCDate()} ${month} ${local.getUTCFullYear()} ${hh}:${mm} ${off}`;
}

/** The UTC offset in minutes an ISO date was written with, if any. */
export function offsetOf(iso: string): number | undefined {
  const m = iso.match(/([+-])(\d{2}):(\d{2})$/);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : undefined;
}
