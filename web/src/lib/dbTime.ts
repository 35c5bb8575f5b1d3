// A timestamp as the database sends it, read without ever throwing. Postgres can hold values no
// JavaScript Date can: 'infinity' and '-infinity', years up to 294276 (a Date ends in 275760) and
// dates BC ("4713-01-01T00:00:00+00:00 BC"); `new Date()` of those is an Invalid Date, and
// Intl.DateTimeFormat.format of an Invalid Date throws RangeError, which took a whole page down.
// Every date the SPA shows from the database goes through parseDbTime (via lib/format.ts).

export type DbTime =
  /** A moment a browser can hold. */
  | { kind: 'date'; date: Date }
  /** A real calendar date outside a Date's range: shown as written. */
  | { kind: 'beyond'; year: number; month: number; day: number; bc: boolean }
  /** 'infinity': later than any date (for an expiry: never). */
  | { kind: 'never' }
  /** '-infinity': earlier than any date. */
  | { kind: 'always' }
  /** Null, not a string, or not a timestamp at all. */
  | { kind: 'unknown' };

// YYYY[YY]-MM-DD, then anything (time, zone), then an optional " BC" as Postgres writes it.
const CALENDAR = /^(\d{4,6})-(\d{2})-(\d{2})(.*?)( BC)?$/;

export function parseDbTime(value: unknown): DbTime {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? { kind: 'date', date: value } : { kind: 'unknown' };
  if (typeof value !== 'string') return { kind: 'unknown' };
  const text = value.trim();
  const lower = text.toLowerCase();
  if (lower === 'infinity' || lower === '+infinity') return { kind: 'never' };
  if (lower === '-infinity') return { kind: 'always' };
  const match = CALENDAR.exec(text);
  if (!match) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? { kind: 'date', date: new Date(ms) } : { kind: 'unknown' };
  }
  const [, yearText, monthText, dayText, rest, bc] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (month < 1 || month > 12 || day < 1 || day > 31) return { kind: 'unknown' };
  if (!bc) {
    // A year of more than 4 digits is written +YYYYYY in ISO 8601's extended form, the only one
    // Date.parse reads; beyond 275760 it still gives NaN, and the date is shown as written.
    const iso = yearText.length > 4 ? `+${yearText.padStart(6, '0')}-${monthText}-${dayText}${rest}` : text;
    const ms = Date.parse(iso);
    if (Number.isFinite(ms)) return { kind: 'date', date: new Date(ms) };
  }
  return { kind: 'beyond', year, month, day, bc: Boolean(bc) };
}

/** Milliseconds since the epoch; +Infinity / -Infinity for dates beyond a Date's range; NaN when unknown. */
export function dbTimeValue(time: DbTime): number {
  switch (time.kind) {
    case 'date': return time.date.getTime();
    case 'never': return Infinity;
    case 'always': return -Infinity;
    case 'beyond': return time.bc ? -Infinity : Infinity;
    default: return NaN;
  }
}
