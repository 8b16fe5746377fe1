// Times in the user's own zone (their `timezone` setting): for reading dates in text and for
// showing them back. Plain Intl, so it works wherever Node has ICU.

type FormatOptions = Omit<Intl.DateTimeFormatOptions, 'timeZone'>;
// Building a DateTimeFormat costs ~65 µs (ICU loads the zone's rules); formatting with one costs
// a few. Only zones that exist are cached (the constructor throws for others), so the cache
// is bounded by the IANA list times the few formats below.
const formats = new Map<string, Intl.DateTimeFormat>();

/** A DateTimeFormat for `timeZone`, built once per zone and format; throws RangeError for an unknown zone. */
export function dateTimeFormat(locale: 'en-US' | 'en-GB', timeZone: string, options: FormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    dateTimeFormat('en-US', timeZone, {});
    return true;
  } catch {
    return false;
  }
}

const OFFSET_PARTS: FormatOptions = { hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' };

/** The UTC offset of an IANA zone at an instant, in minutes east of UTC (0 for an unknown zone). */
export function tzOffsetMinutes(timeZone: string, at: Date): number {
  try {
    const parts = dateTimeFormat('en-US', timeZone, OFFSET_PARTS).formatToParts(at);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  } catch {
    return 0;
  }
}

/** "Tue 24 Nov, 20:22" in the given zone. */
export function localTime(at: Date | string, timeZone: string): string {
  return dateTimeFormat('en-GB', timeZone, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    typeof at === 'string' ? new Date(at) : at,
  );
}
