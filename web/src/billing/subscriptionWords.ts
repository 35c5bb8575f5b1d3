// The words a subscription is described in, shared by the billing page's card, the plans offered
// and the local portal: its state, how often it renews, and what happens to unused credits at the
// end of a period (plans.period_end_policy, rollover_cap, rollover_expires_after).
import { formatCount, pluralNoun, type Noun } from '../lib/plural.ts';

const LABELS: Record<string, string> = {
  active: 'Active',
  trialing: 'Trial',
  past_due: 'Payment failed',
  unpaid: 'Unpaid',
  paused: 'Paused',
  incomplete: 'Waiting for payment',
  incomplete_expired: 'Never started',
  canceled: 'Ended',
};

/** The state as a short label; one that will end at period end reads "Ending" while it still runs. */
export function statusLabel(status: string, cancelAtPeriodEnd: boolean): string {
  if (cancelAtPeriodEnd && (status === 'active' || status === 'trialing')) return 'Ending';
  return LABELS[status] ?? 'Unknown state';
}

export function everyInterval(interval: string | null | undefined): string {
  return interval === 'month' || interval === 'year' ? `every ${interval}` : 'every period';
}

/** "/month", "/year": after a price. */
export function perInterval(interval: string | null | undefined): string {
  return interval === 'month' || interval === 'year' ? `/${interval}` : '';
}

const UNITS: Record<string, Noun> = {
  day: { one: 'day', other: 'days' },
  mon: { one: 'month', other: 'months' },
  year: { one: 'year', other: 'years' },
};

/** A Postgres interval as PostgREST sends it ("1 mon", "3 mons", "90 days") in words; null when unreadable. */
export function intervalWords(interval: string | null | undefined): string | null {
  const match = interval ? /^(\d+) (day|mon|year)s?$/.exec(interval.trim()) : null;
  return match ? formatCount(Number(match[1]), UNITS[match[2]]) : null;
}

export interface PeriodEndTerms {
  billing_interval: string | null;
  period_end_policy: string | null;
  rollover_cap: number | null;
  rollover_expires_after: string | null;
}

const ROLL: Noun = { one: 'rolls', other: 'roll' };
const LAST: Noun = { one: 'lasts', other: 'last' };

/** What a plan does with the credits of a period that are left at its end, in one sentence. */
export function periodEndTerms(plan: PeriodEndTerms): string {
  const period = plan.billing_interval === 'month' || plan.billing_interval === 'year' ? plan.billing_interval : 'period';
  if (plan.period_end_policy !== 'rollover' || !plan.rollover_cap) return `Unused credits expire at the end of each ${period}.`;
  const cap = plan.rollover_cap;
  const lasting = intervalWords(plan.rollover_expires_after);
  return `Up to ${formatCount(cap, { one: 'unused credit', other: 'unused credits' })} ${pluralNoun(cap, ROLL)} over`
    + `${lasting ? `, and ${pluralNoun(cap, LAST)} ${lasting} more` : ''}.`;
}
