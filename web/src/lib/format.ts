// Formatting shared by every feature, so numbers and dates read the same on every page.
import { formatCount, NOUNS } from './plural.ts';

export { formatNumber } from './plural.ts';

export function formatCredits(credits: number): string {
  return formatCount(credits, NOUNS.credit);
}

export function formatMinutes(minutes: number): string {
  return formatCount(minutes, NOUNS.minute);
}

export function formatMoney(amountCents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amountCents / 100);
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

/** A day without the time ("Jan 3, 2027"), in the same en-US style as formatDateTime. */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(new Date(iso));
}

/** "today at 3:04 PM" when `iso` falls on the same local day as `now`, else "on Jan 3, 2027". */
export function formatDayOrTime(iso: string, now: Date): string {
  const when = new Date(iso);
  if (when.toDateString() === now.toDateString()) {
    return `today at ${new Intl.DateTimeFormat('en-US', { timeStyle: 'short' }).format(when)}`;
  }
  return `on ${formatDate(iso)}`;
}
