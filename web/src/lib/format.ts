// Formatting shared by every feature, so numbers and dates read the same on every page. None of
// these throws, whatever the database holds: a date no browser can hold is shown as written
// ("Dec 31, 294276"), 'infinity' as "never", anything else unreadable as "—" (lib/dbTime.ts).
import { formatCount, NOUNS } from './plural.ts';
import { parseDbTime, type DbTime } from './dbTime.ts';

export { formatNumber } from './plural.ts';

export function formatCredits(credits: number): string {
  return formatCount(credits, NOUNS.credit);
}

export function formatMinutes(minutes: number): string {
  return formatCount(minutes, NOUNS.minute);
}

export function formatMoney(amountCents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amountCents / 100);
  } catch {
    // Not a well-formed currency code: the amount and the code as stored, rather than no page.
    return `${(amountCents / 100).toFixed(2)} ${String(currency).toUpperCase()}`;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The words for a value that is no date a browser can format, or null for an ordinary date. */
function notADate(time: DbTime): string | null {
  switch (time.kind) {
    case 'date': return null;
    case 'beyond': return `${MONTHS[time.month - 1]} ${time.day}, ${time.year}${time.bc ? ' BC' : ''}`;
    case 'never': return 'never';
    case 'always': return 'long ago';
    default: return '—';
  }
}

/** Date and time ("12/7/26, 8:12 PM") of a database timestamp; never throws. */
export function formatDateTime(iso: string | null | undefined): string {
  const time = parseDbTime(iso);
  return time.kind === 'date'
    ? new Intl.DateTimeFormat('en-US', { dateStyle: 'short', timeStyle: 'short' }).format(time.date)
    : notADate(time)!;
}

/** A day without the time ("Jan 3, 2027"), in the same en-US style as formatDateTime; never throws. */
export function formatDate(iso: string | null | undefined): string {
  const time = parseDbTime(iso);
  return time.kind === 'date' ? new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(time.date) : notADate(time)!;
}

/**
 * The day a monthly limit starts counting again ("Jan 1, 2027 (UTC)"): limits count calendar
 * months in UTC, so the day is the UTC one; in the browser's zone midnight UTC on Jan 1 would read
 * "Dec 31" anywhere west of Greenwich.
 */
export function formatUtcDay(iso: string | null | undefined): string {
  const time = parseDbTime(iso);
  return time.kind === 'date'
    ? `${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(time.date)} (UTC)`
    : notADate(time)!;
}

/**
 * "today at 3:04 PM" when `iso` falls on the same local day as `now`, else "on Jan 3, 2027";
 * "never" for 'infinity', "on Dec 31, 294276" beyond a Date's range, "on an unknown date" when unreadable.
 */
export function formatDayOrTime(iso: string | null | undefined, now: Date): string {
  const time = parseDbTime(iso);
  if (time.kind === 'never' || time.kind === 'always') return notADate(time)!;
  if (time.kind === 'unknown') return 'on an unknown date';
  if (time.kind === 'date' && time.date.toDateString() === now.toDateString()) {
    return `today at ${new Intl.DateTimeFormat('en-US', { timeStyle: 'short' }).format(time.date)}`;
  }
  return `on ${formatDate(iso)}`;
}
