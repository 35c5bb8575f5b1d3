// The billing page's Subscription card in each state a workspace's subscription can be in, from
// subscription_status's answer (no server: the billing context is given): active on a plan whose
// credits expire, on a rollover plan, past due, ending at period end, none (plans offered to those
// who may buy, not to a team's members), and Manage taking the user to the portal's url.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { BillingContext, type BillingValue } from './BillingContext.ts';
import { SubscriptionCard } from './SubscriptionCard.tsx';
import { SupabaseContext } from '../lib/SupabaseContext.ts';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import type { Plan } from './billingTypes.ts';
import { subscriptionStatusSchema, type SubscriptionStatus } from './subscriptionSchemas.ts';
import { redirectToCheckout } from './redirectToCheckout.ts';
import { formatDate } from '../lib/format.ts';
import { fakeBilling } from '../../test/billingValue.ts';

vi.mock('./redirectToCheckout.ts', () => ({ redirectToCheckout: vi.fn() }));

const END = '2027-01-07T10:00:00+00:00';
const ROLLOVER_END = '2027-02-07T10:00:00+00:00';

const plan = (id: string, name: string, credits: number, price: number, interval: 'month' | 'year', policy: 'expire' | 'rollover', cap: number | null, lasts: string | null): Plan => ({
  id, name, kind: 'subscription', credits, price_cents: price, currency: 'usd', active: true, sort_order: 10, description: null,
  credits_expire_after: null, provider_price_id: null, created_at: END, updated_at: END,
  billing_interval: interval, period_end_policy: policy, rollover_cap: cap, rollover_expires_after: lasts,
} as Plan);
const PLANS = [
  plan('sub_starter_monthly', 'Starter', 30, 2500, 'month', 'expire', null, null),
  plan('sub_pro_monthly', 'Pro', 100, 7900, 'month', 'rollover', 50, '1 mon'),
  plan('sub_pro_yearly', 'Pro yearly', 1200, 79000, 'year', 'rollover', 300, '3 mons'),
];

// Through the same schema the server's answer goes through, so the test speaks its shape.
const status = (fields: Record<string, unknown>): SubscriptionStatus => subscriptionStatusSchema.parse({
  subscription_id: 'sub-1', plan_id: 'sub_starter_monthly', plan_name: 'Starter', status: 'active', billing_interval: 'month',
  credits_per_period: 30, current_period_start: '2026-12-07T10:00:00+00:00', current_period_end: END, cancel_at_period_end: false,
  period_end_policy: 'expire', expiring_at_period_end: 12, rolling_over_at_period_end: 0, rollover_expires_at: null, can_manage: true,
  ...fields,
});

const invoke = vi.fn(async () => ({ data: { url: 'http://127.0.0.1:5173/portal/local?subscription=sub-1' }, error: null }));
const client = { functions: { invoke } } as unknown as AppSupabaseClient;

function renderCard(value: Partial<BillingValue>, canBuy = true) {
  return render(
    <SupabaseContext.Provider value={client}>
      <BillingContext.Provider value={fakeBilling({ plans: PLANS, ...value })}>
        <MemoryRouter><SubscriptionCard canBuy={canBuy} /></MemoryRouter>
      </BillingContext.Provider>
    </SupabaseContext.Provider>,
  );
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('SubscriptionCard', () => {
  it('active on a plan whose credits expire: plan, price, renewal date, what expires, Manage', () => {
    renderCard({ subscription: status({}) });
    expect(screen.getByTestId('subscription-plan').textContent).toBe('Starter');
    expect(screen.getByTestId('subscription-status').textContent).toBe('Active');
    expect(screen.getByTestId('subscription-credits').textContent).toBe('30 credits every month · $25.00/month');
    expect(screen.getByTestId('subscription-renews').textContent).toBe(`Renews on ${formatDate(END)}.`);
    expect(screen.getByTestId('subscription-period-end').textContent).toBe(`At the end of this period (${formatDate(END)}): 12 credits expire unless used.`);
    expect(screen.getByRole('button', { name: 'Manage subscription' })).toBeTruthy();
    expect(screen.queryByTestId('subscription-plans')).toBeNull();
    expect(screen.queryByTestId('subscription-past-due')).toBeNull();
    expect(screen.queryByTestId('subscription-ends')).toBeNull();
  });

  it('rollover: what rolls over, until when, and what expires', () => {
    renderCard({ plans: [], subscription: status({
      plan_id: 'sub_pro_monthly', plan_name: 'Pro', credits_per_period: 100, price_cents: 7900, currency: 'usd', period_end_policy: 'rollover',
      expiring_at_period_end: 20, rolling_over_at_period_end: 50, rollover_expires_at: ROLLOVER_END,
    }) });
    expect(screen.getByTestId('subscription-credits').textContent).toBe('100 credits every month · $79.00/month');
    expect(screen.getByTestId('subscription-period-end').textContent)
      .toBe(`At the end of this period (${formatDate(END)}): 50 credits roll over and stay usable until ${formatDate(ROLLOVER_END)}; 20 credits expire unless used.`);
  });

  it('nothing left of the period: says nothing expires', () => {
    renderCard({ subscription: status({ expiring_at_period_end: 0 }) });
    expect(screen.getByTestId('subscription-period-end').textContent).toBe(`None of this period’s credits are left, so nothing expires on ${formatDate(END)}.`);
  });

  it('past due: says the last payment failed and to update the card, Manage first; no renewal date', () => {
    renderCard({ subscription: status({ status: 'past_due' }) });
    expect(screen.getByTestId('subscription-status').textContent).toBe('Payment failed');
    const notice = screen.getByTestId('subscription-past-due');
    expect(notice.textContent).toMatch(/^Your last payment failed — update your card/);
    expect(notice.textContent).toMatch(/Use Manage subscription to pay with another card\./);
    expect(screen.queryByTestId('subscription-renews')).toBeNull();
    expect(screen.getByRole('button', { name: 'Manage subscription' }).className).toMatch(/button--primary/);
  });

  it('cancelled at period end: "Ends on …; your credits last until then", no renewal', () => {
    renderCard({ subscription: status({ cancel_at_period_end: true }) });
    expect(screen.getByTestId('subscription-status').textContent).toBe('Ending');
    expect(screen.getByTestId('subscription-ends').textContent).toBe(`Ends on ${formatDate(END)}; your credits last until then. Nothing more will be charged.`);
    expect(screen.queryByTestId('subscription-renews')).toBeNull();
    expect(screen.getByRole('button', { name: 'Manage subscription' })).toBeTruthy();
  });

  it('none: the monthly and yearly plans with Subscribe, which starts the checkout of that plan', async () => {
    const buyPlan = vi.fn(async () => ({ ok: true as const, data: null }));
    renderCard({ subscription: null, buyPlan });
    expect(screen.getByTestId('subscription-none').textContent).toMatch(/^You have no subscription\. Subscribe to get credits every month or year/);
    expect(screen.getByTestId('subscription-plan-sub_pro_yearly').textContent).toMatch(/\$790\.00\/year1,200 credits every yearUp to 300 unused credits roll over, and last 3 months more\./);
    expect(screen.getByTestId('subscription-plan-sub_starter_monthly').textContent).toMatch(/Unused credits expire at the end of each month\./);
    await userEvent.click(screen.getByRole('button', { name: 'Subscribe to Pro: 100 credits every month for $79.00' }));
    expect(buyPlan).toHaveBeenCalledWith('sub_pro_monthly');
    expect(screen.queryByRole('button', { name: 'Manage subscription' })).toBeNull();
  });

  it('an ended subscription offers the plans again, saying when it ended', () => {
    renderCard({ subscription: status({ status: 'canceled' }) });
    expect(screen.getByTestId('subscription-none').textContent).toMatch(new RegExp(`^The Starter subscription ended on ${formatDate(END)}\\.`));
    expect(screen.getByTestId('subscription-plans')).toBeTruthy();
  });

  it('a team member sees the team’s subscription but no Manage, and no plans when there is none', () => {
    const { unmount } = renderCard({ teamId: 'team-1', subscription: status({ can_manage: false }) }, false);
    expect(screen.getByTestId('subscription-plan').textContent).toBe('Starter');
    expect(screen.queryByRole('button', { name: 'Manage subscription' })).toBeNull();
    expect(screen.getByTestId('subscription-admins-manage').textContent).toBe('Only the team’s owners and admins manage its subscription.');
    unmount();
    renderCard({ teamId: 'team-1', subscription: null }, false);
    expect(screen.getByTestId('subscription-none').textContent).toBe('This team has no subscription. Only the team’s owners and admins can start one.');
    expect(screen.queryByRole('button', { name: /^Subscribe/ })).toBeNull();
  });

  it('Manage asks billing-portal (with the team) and goes to its url', async () => {
    renderCard({ teamId: 'team-1', subscription: status({}) });
    await userEvent.click(screen.getByRole('button', { name: 'Manage subscription' }));
    await waitFor(() => expect(redirectToCheckout).toHaveBeenCalledWith('http://127.0.0.1:5173/portal/local?subscription=sub-1'));
    expect(invoke).toHaveBeenCalledWith('billing-portal', { body: { team_id: 'team-1' } });
  });
});
