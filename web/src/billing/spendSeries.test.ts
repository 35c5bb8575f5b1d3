import { describe, expect, it } from 'vitest';
import { spendSeries } from './spendSeries.ts';

const now = new Date('2026-03-10T15:00:00Z');

describe('spendSeries', () => {
  it('sums spends per day, subtracts refunds and ignores purchases', () => {
    const points = spendSeries([
      { delta: -2, reserved_delta: 0, kind: 'spend', created_at: '2026-03-10T09:00:00Z' },
      { delta: -1, reserved_delta: 0, kind: 'spend', created_at: '2026-03-10T10:00:00Z' },
      { delta: 1, reserved_delta: 0, kind: 'refund', created_at: '2026-03-10T11:00:00Z' },
      { delta: 10, reserved_delta: 0, kind: 'purchase', created_at: '2026-03-10T08:00:00Z' },
      { delta: -4, reserved_delta: 0, kind: 'spend', created_at: '2026-03-08T08:00:00Z' },
    ], 3, now);
    expect(points).toEqual([
      { day: '2026-03-08', spent: 4 },
      { day: '2026-03-09', spent: 0 },
      { day: '2026-03-10', spent: 2 },
    ]);
  });

  it('drops activity older than the window and never goes below zero', () => {
    const points = spendSeries([
      { delta: -5, reserved_delta: 0, kind: 'spend', created_at: '2026-01-01T00:00:00Z' },
      { delta: 3, reserved_delta: 0, kind: 'refund', created_at: '2026-03-10T00:00:00Z' },
    ], 2, now);
    expect(points).toEqual([{ day: '2026-03-09', spent: 0 }, { day: '2026-03-10', spent: 0 }]);
  });

  it('counts a completed interview (a capture of reserved credits) as spent, and holds and releases as nothing', () => {
    const points = spendSeries([
      { delta: -3, reserved_delta: 3, kind: 'hold', created_at: '2026-03-10T09:00:00Z' },
      { delta: 0, reserved_delta: -3, kind: 'spend', created_at: '2026-03-10T10:00:00Z' },
      { delta: -2, reserved_delta: 2, kind: 'hold', created_at: '2026-03-10T11:00:00Z' },
      { delta: 2, reserved_delta: -2, kind: 'release', created_at: '2026-03-10T12:00:00Z' },
      { delta: -1, reserved_delta: 1, kind: 'hold', created_at: '2026-03-10T13:00:00Z' },
    ], 1, now);
    expect(points).toEqual([{ day: '2026-03-10', spent: 3 }]);
  });

  it('rows dated infinity or beyond a Date\'s range are on no day of the chart, and do not throw', () => {
    const points = spendSeries([
      { delta: -2, reserved_delta: 0, kind: 'spend', created_at: 'infinity' },
      { delta: -1, reserved_delta: 0, kind: 'spend', created_at: '294276-12-31T23:59:59+00:00' },
      { delta: -3, reserved_delta: 0, kind: 'spend', created_at: '2026-03-10T09:00:00Z' },
    ], 1, now);
    expect(points).toEqual([{ day: '2026-03-10', spent: 3 }]);
  });
});

