import { describe, expect, it } from 'vitest';
import { portalOutcome } from './portalOutcome.ts';
import type { SubscriptionRow } from './subscriptionApi.ts';
import { formatDate } from '../lib/format.ts';

const END = '2027-02-08T10:00:00+00:00';
const row = (status: string): SubscriptionRow => ({
  id: 's', team_id: null, plan_id: 'sub_pro_monthly', status, current_period_start: null, current_period_end: END,
  cancel_at_period_end: false, canceled_at: null, checkout_session_id: null,
});

describe('portalOutcome', () => {
  it('renew: a new period, or the failed payment paid, or the end of a subscription set to end', () => {
    expect(portalOutcome('renew', row('active'), row('active'), 'x')).toBe(`Renewed: a new period started, and it renews next on ${formatDate(END)}.`);
    expect(portalOutcome('renew', row('past_due'), row('active'), 'x')).toBe(`The failed payment went through: the subscription is active again and renews on ${formatDate(END)}.`);
    expect(portalOutcome('renew', row('active'), row('canceled'), 'x')).toBe('The period ended, and the subscription with it (it was set to end at period end).');
  });

  it('the portal\'s own buttons', () => {
    expect(portalOutcome('change_plan', row('active'), row('active'), 'Pro yearly')).toBe('Changed to Pro yearly.');
    expect(portalOutcome('cancel_now', row('active'), row('canceled'), 'x')).toBe('Cancelled now: the subscription has ended.');
  });
});
