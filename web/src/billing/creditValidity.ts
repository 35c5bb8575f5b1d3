// How long a plan's credits last, from plans.credits_expire_after (a Postgres interval as
// PostgREST sends it: null, "365 days", "1 year", "6 mons"), in the words a recruiter reads.
import { formatCount, type Noun } from '../lib/plural.ts';

const UNITS: Record<string, Noun> = {
  day: { one: 'day', other: 'days' },
  mon: { one: 'month', other: 'months' },
  year: { one: 'year', other: 'years' },
};

export function creditValidity(interval: string | null): string {
  if (interval === null) return 'Credits never expire';
  const match = /^(\d+) (day|mon|year)s?$/.exec(interval.trim());
  if (!match) return `Credits expire after ${interval}`;
  return `Credits last ${formatCount(Number(match[1]), UNITS[match[2]])}`;
}
