import { describe, expect, it } from 'vitest';
import { creditValidity } from './creditValidity.ts';

describe('creditValidity', () => {
  it('says how long a plan\'s credits last, or that they never expire', () => {
    expect(creditValidity(null)).toBe('Credits never expire');
    expect(creditValidity('365 days')).toBe('Credits last 365 days');
    expect(creditValidity('1 year')).toBe('Credits last 1 year');
    expect(creditValidity('6 mons')).toBe('Credits last 6 months');
    expect(creditValidity('1 day')).toBe('Credits last 1 day');
  });
});
