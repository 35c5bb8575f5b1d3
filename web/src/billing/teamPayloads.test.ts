// The team parts of billing that need no server: the membership message and the limits left.
import { describe, expect, it } from 'vitest';
import { limitsChangedFromPayload, membershipEndedFromPayload } from './balancePayload.ts';
import { monthlyLimitLeft } from './monthlyLimitLeft.ts';

describe('membershipEndedFromPayload', () => {
  it('reads {team_id, removed: true}; anything else is no membership change', () => {
    expect(membershipEndedFromPayload({ team_id: 't1', removed: true })).toBe('t1');
    expect(membershipEndedFromPayload({ team_id: 't1', removed: false })).toBeNull();
    expect(membershipEndedFromPayload({ team_id: 7, removed: true })).toBeNull();
    expect(membershipEndedFromPayload({ credits: 3 })).toBeNull();
    expect(membershipEndedFromPayload(null)).toBeNull();
  });
});

describe('limitsChangedFromPayload', () => {
  it('reads the team a limit change names; anything else is none', () => {
    expect(limitsChangedFromPayload({ team_id: 't1' })).toBe('t1');
    expect(limitsChangedFromPayload({ team_id: 1 })).toBeNull();
    expect(limitsChangedFromPayload('t1')).toBeNull();
    expect(limitsChangedFromPayload(null)).toBeNull();
  });
});

describe('monthlyLimitLeft', () => {
  const limit = (remaining: number | null) => ({ monthly_limit: remaining === null ? null : 10, used: 0, remaining });
  it('is the smaller of the member\'s and the team\'s, or null when neither applies', () => {
    expect(monthlyLimitLeft({ member: limit(null), team: limit(null), resets_at: null })).toBeNull();
    expect(monthlyLimitLeft({ member: limit(3), team: limit(null), resets_at: null })).toBe(3);
    expect(monthlyLimitLeft({ member: limit(null), team: limit(5), resets_at: null })).toBe(5);
    expect(monthlyLimitLeft({ member: limit(8), team: limit(2), resets_at: null })).toBe(2);
    expect(monthlyLimitLeft({ member: limit(0), team: limit(9), resets_at: null })).toBe(0);
  });
});
