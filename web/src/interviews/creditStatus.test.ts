import { describe, expect, it } from 'vitest';
import { interviewCreditExplanation, interviewCreditStatus } from './creditStatus.ts';

const base = {
  cost: 2, refunded_credits: 0, created_at: '2026-03-01T10:00:00Z', hold_expires_at: '2026-03-31T10:00:00Z', cancellation_reason: null,
};

describe('interviewCreditStatus', () => {
  it('scheduled: reserved, not spent', () => {
    expect(interviewCreditStatus({ ...base, status: 'scheduled' })).toBe('2 credits reserved');
    expect(interviewCreditExplanation({ ...base, status: 'scheduled' })).toMatch(/returned to your balance if you cancel/);
  });

  it('in progress: still reserved, no longer returnable', () => {
    expect(interviewCreditStatus({ ...base, status: 'in_progress' })).toBe('In progress: 2 credits reserved');
    expect(interviewCreditExplanation({ ...base, status: 'in_progress' })).toMatch(/can no longer be cancelled/);
  });

  it('completed: spent', () => {
    expect(interviewCreditStatus({ ...base, status: 'completed', cost: 1 })).toBe('1 credit spent');
  });

  it('cancelled by the recruiter: returned', () => {
    expect(interviewCreditStatus({ ...base, status: 'cancelled', cancellation_reason: 'recruiter', refunded_credits: 2 })).toBe('2 credits returned');
  });

  it('cancelled because the hold lapsed: says it was not held in 30 days', () => {
    expect(interviewCreditStatus({ ...base, status: 'cancelled', cancellation_reason: 'hold_lapsed' }))
      .toBe('Not held in 30 days: 2 credits returned');
  });

  it('a hold dated infinity (a value the database can hold) reads as the usual lifetime, not "NaN days"', () => {
    expect(interviewCreditStatus({ ...base, status: 'cancelled', cancellation_reason: 'hold_lapsed', hold_expires_at: 'infinity' }))
      .toBe('Not held in 30 days: 2 credits returned');
  });
});

