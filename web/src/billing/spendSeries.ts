// Turns ledger rows into credits spent per day for the chart: spends count, refunds give back.
// A capture (a spend of reserved credits, delta 0) counts its reserved_delta: that is when the
// credits were spent. Holds and releases only move credits between available and reserved.
import type { LedgerEntry } from './billingTypes.ts';
import { dbTimeValue, parseDbTime } from '../lib/dbTime.ts';

export interface SpendPoint {
  /** Day as YYYY-MM-DD in UTC. */
  day: string;
  spent: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function dayKey(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** One point per day for the last `days` days ending at `now`, oldest first, zero-filled. */
export function spendSeries(entries: Pick<LedgerEntry, 'delta' | 'reserved_delta' | 'kind' | 'created_at'>[], days: number, now: Date): SpendPoint[] {
  const totals = new Map<string, number>();
  for (const entry of entries) {
    if (entry.kind !== 'spend' && entry.kind !== 'refund') continue;
    // A date no Date can hold ('infinity', year 294276) is on no day of the chart; toISOString
    // of it would throw.
    const time = dbTimeValue(parseDbTime(entry.created_at));
    if (!Number.isFinite(time)) continue;
    const key = dayKey(time);
    totals.set(key, (totals.get(key) ?? 0) - entry.delta - (entry.kind === 'spend' ? entry.reserved_delta : 0));
  }
  const points: SpendPoint[] = [];
  for (let offset = days - 1; offset >= 0; offset -= 1) {
    const day = dayKey(now.getTime() - offset * DAY_MS);
    points.push({ day, spent: Math.max(0, totals.get(day) ?? 0) });
  }
  return points;
}
