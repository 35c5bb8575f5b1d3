import { describe, expect, it } from 'vitest';
import { everyInterval, periodEndTerms, statusLabel } from './subscriptionWords.ts';

describe('subscription words', () => {
  it('names each state in plain words, an unknown one included', () => {
    expect(statusLabel('active', false)).toBe('Active');
    expect(statusLabel('active', true)).toBe('Ending');
    expect(statusLabel('past_due', false)).toBe('Payment failed');
    expect(statusLabel('trialing', false)).toBe('Trial');
    expect(statusLabel('canceled', false)).toBe('Ended');
    expect(statusLabel('something_new', false)).toBe('Unknown state');
  });

  it('says how often it renews', () => {
    expect(everyInterval('month')).toBe('every month');
    expect(everyInterval('year')).toBe('every year');
    expect(everyInterval(null)).toBe('every period');
  });

  it('says what a plan does with unused credits at period end', () => {
    expect(periodEndTerms({ billing_interval: 'month', period_end_policy: 'expire', rollover_cap: null, rollover_expires_after: null }))
      .toBe('Unused credits expire at the end of each month.');
    expect(periodEndTerms({ billing_interval: 'month', period_end_policy: 'rollover', rollover_cap: 50, rollover_expires_after: '1 mon' }))
      .toBe('Up to 50 unused credits roll over, and last 1 month more.');
    expect(periodEndTerms({ billing_interval: 'year', period_end_policy: 'rollover', rollover_cap: 1, rollover_expires_after: '3 mons' }))
      .toBe('Up to 1 unused credit rolls over, and lasts 3 months more.');
    expect(periodEndTerms({ billing_interval: 'year', period_end_policy: 'rollover', rollover_cap: 300, rollover_expires_after: '90 days' }))
      .toBe('Up to 300 unused credits roll over, and last 90 days more.');
  });
});
