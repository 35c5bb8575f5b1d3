import { describe, expect, it } from 'vitest';
import { netSpent } from './spentNet.ts';

describe('netSpent', () => {
  it('is what interviews were charged minus what was refunded of those charges', () => {
    expect(netSpent({ total_spent: 7, total_refunded: 2 })).toBe(5);
  });

  it('is never below zero ("Spent on interviews (net of refunds) -3 credits" was a goodwill "refund")', () => {
    expect(netSpent({ total_spent: 0, total_refunded: 3 })).toBe(0);
  });
});
