// Formatting shared by every feature, so numbers and dates read the same on every page.
export function formatCredits(credits: number): string {
  return `${credits} ${Math.abs(credits) === 1 ? 'credit' : 'credits'}`;
}

export function formatMoney(amountCents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amountCents / 100);
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}
