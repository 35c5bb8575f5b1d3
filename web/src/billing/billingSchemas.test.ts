// billing_summary as any database could send it: the schema must turn it into something the page
// can show, never refuse it (a refused summary is an error on the page) and never pass on what a
// component cannot render.
import { describe, expect, it } from 'vitest';
import { billingSummarySchema, creditHistoryPageSchema } from './billingSchemas.ts';

const summary = {
  balance: 3, available: 3, reserved: 0, interviews_created: 1,
  total_purchased: 0, total_spent: 0, total_refunded: 0, total_granted: 3,
  total_adjusted_added: 0, total_adjusted_removed: 0, total_reversed: 0, total_expired: 0,
  expiring: [], recent: [],
};

describe('billingSummarySchema', () => {
  it('a lot that expires at infinity (never) carries no expiry notice; the rest is kept, soonest first', () => {
    const parsed = billingSummarySchema.parse({ ...summary, expiring: [
      { expires_at: '2027-01-03T12:00:00+00:00', credits: 2 },
      { expires_at: '294276-12-31T23:59:59+00:00', credits: 4 },
      { expires_at: 'infinity', credits: 5 },
    ] });
    expect(parsed.expiring).toEqual([
      { expires_at: '2027-01-03T12:00:00+00:00', credits: 2 },
      { expires_at: '294276-12-31T23:59:59+00:00', credits: 4 },
    ]);
  });

  it('items that are no lot at all (null date, no credits, not an object) are dropped, not fatal', () => {
    const parsed = billingSummarySchema.safeParse({ ...summary, expiring: [
      { expires_at: null, credits: 2 }, { expires_at: '2027-01-03T12:00:00+00:00', credits: 0 }, 'x', null,
    ] });
    expect(parsed.success && parsed.data.expiring).toEqual([]);
  });

  it('huge totals (a bigint past 2^53 arrives as an inexact number) still parse', () => {
    const parsed = billingSummarySchema.safeParse(JSON.parse(JSON.stringify(summary).replace('"total_granted":3', '"total_granted":9223372036854775807')));
    expect(parsed.success).toBe(true);
    expect(parsed.success && parsed.data.total_granted).toBeGreaterThan(9e18);
  });

  it('a negative total (an older server) is shown as 0, never "-3 credits"', () => {
    const parsed = billingSummarySchema.parse({ ...summary, total_spent: -3, total_adjusted_removed: -1 });
    expect(parsed.total_spent).toBe(0);
    expect(parsed.total_adjusted_removed).toBe(0);
  });

  it('support\'s corrections are two totals, each >= 0, defaulting to 0', () => {
    const { total_adjusted_added: _added, total_adjusted_removed: _removed, ...older } = summary;
    const parsed = billingSummarySchema.parse(older);
    expect([parsed.total_adjusted_added, parsed.total_adjusted_removed]).toEqual([0, 0]);
  });
});

describe('creditHistoryPageSchema', () => {
  it('ledger rows with extreme dates and huge ids parse (the history formats them)', () => {
    // 2^53 + 1 as JSON carries it: JSON.parse makes it an inexact number.
    const row = { id: JSON.parse('9007199254740993') as number, delta: 1, balance_after: 1, reserved_delta: 0, reserved_after: 0, kind: 'grant',
      reason: null, reference: null, interview_id: null, payment_id: null, created_at: 'infinity' };
    const parsed = creditHistoryPageSchema.safeParse({ entries: [row, { ...row, created_at: '294276-12-31T23:59:59+00:00' }], next_before_id: null });
    expect(parsed.success).toBe(true);
  });
});
