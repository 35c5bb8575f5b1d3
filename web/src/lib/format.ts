// Formatting shared by every feature, so numbers and dates read the same on every page.
import { formatCount, NOUNS } from './plural.ts';

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
