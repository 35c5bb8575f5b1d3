// Subscriptions through the local provider, end to end below the browser: the checkout function
// in subscription mode, the local checkout page, the signed events to the real webhook, the
// Subscription card; then the local portal page's buttons, each read back from the server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { serverBalance, signUpUser, type TestUser } from '../../test/stack.ts';
import { subscribeLocally } from '../../test/subscriptions.ts';
import { addTeamMember, createTeamAs } from '../../test/teams.ts';
import { startCheckout } from './billingApi.ts';
import { fetchSubscription, localSubscription } from './subscriptionApi.ts';
import { formatDate } from '../lib/format.ts';

let user: TestUser;
beforeEach(async () => { user = await signUpUser('subscribe'); });
afterEach(async () => {
  cleanup();
  await user.client.removeAllChannels();
});

async function periodEnd(id: string): Promise<string> {
  const row = await fetchSubscription(user.client, id);
  if (!row.ok || !row.data?.current_period_end) throw new Error('subscription not readable');
  return row.data.current_period_end;
}

describe('local subscription checkout and portal', () => {
  it('subscribes on the local checkout page and lands on billing with the plan and its credits', async () => {
    const checkout = await startCheckout(user.client, 'sub_pro_monthly');
    if (!checkout.ok) throw new Error(checkout.error.code);
    const url = new URL(checkout.data.url);
    expect(url.searchParams.get('mode')).toBe('subscription');
    renderApp(user.client, `${url.pathname}${url.search}`);
    expect((await screen.findByTestId('checkout-plan')).textContent).toBe('Pro monthly');
    expect(screen.getByTestId('checkout-credits').textContent).toBe('100 credits every month');
    expect(screen.getByTestId('checkout-terms').textContent).toMatch(/^Up to 50 unused credits roll over, and last 1 month more\./);
    await userEvent.click(screen.getByRole('button', { name: 'Subscribe for $79.00/month' }));
    await waitFor(() => expect(document.querySelector('[data-checkout-state="success"]')).not.toBeNull(), { timeout: 10_000 });
    expect(screen.getByText('Subscription started')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('billing-balance').textContent).toBe('100'));
    const card = screen.getByTestId('subscription-card');
    await waitFor(() => expect(within(card).getByTestId('subscription-plan').textContent).toBe('Pro monthly'));
    expect(within(card).getByTestId('subscription-status').textContent).toBe('Active');
    expect(within(card).getByTestId('subscription-period-end').textContent).toMatch(/: 50 credits roll over and stay usable until .+; 50 credits expire unless used\.$/);
    expect(within(card).queryByTestId('subscription-plans')).toBeNull();
    expect(await serverBalance(user.userId)).toBe(100);
  });

  it('portal: renew now moves the renewal date and adds the credits; cancel at period end, then resume', async () => {
    const id = await subscribeLocally(user.client, 'sub_starter_monthly');
    const before = await periodEnd(id);
    renderApp(user.client, `/portal/local?subscription=${id}`);
    expect((await screen.findByTestId('portal-period-end')).textContent).toBe(formatDate(before));
    await userEvent.click(screen.getByRole('button', { name: 'Renew now' }));
    const outcome = await screen.findByTestId('portal-outcome', {}, { timeout: 10_000 });
    const after = await periodEnd(id);
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    expect(outcome.textContent).toBe(`Renewed: a new period started, and it renews next on ${formatDate(after)}.`);
    expect(screen.getByTestId('portal-period-end').textContent).toBe(formatDate(after));
    expect(await serverBalance(user.userId)).toBe(60);

    await userEvent.click(screen.getByRole('button', { name: 'Cancel at period end' }));
    await waitFor(() => expect(screen.getByTestId('portal-status').textContent).toBe('Ending'), { timeout: 5000 });
    expect(screen.getByText('Ends on')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Resume subscription' }));
    await waitFor(() => expect(screen.getByTestId('portal-status').textContent).toBe('Active'), { timeout: 5000 });
    expect(screen.getByText('Renews on')).toBeTruthy();
  });

  it('portal: a failed renewal is past due (and the card says so), a plan change, then cancel now ends it', async () => {
    const id = await subscribeLocally(user.client, 'sub_starter_monthly');
    renderApp(user.client, `/portal/local?subscription=${id}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Fail the renewal' }));
    await waitFor(() => expect(screen.getByTestId('portal-status').textContent).toBe('Payment failed'), { timeout: 5000 });

    await userEvent.selectOptions(screen.getByLabelText('Change plan'), 'sub_pro_monthly');
    await userEvent.click(screen.getByRole('button', { name: 'Change' }));
    await waitFor(() => expect(screen.getByTestId('portal-plan').textContent).toBe('Pro monthly'), { timeout: 5000 });

    await userEvent.click(screen.getByRole('link', { name: 'Back to billing' }));
    const card = await screen.findByTestId('subscription-card');
    await waitFor(() => expect(within(card).getByTestId('subscription-past-due').textContent).toMatch(/^Your last payment failed — update your card/));
    // Live: the plan change's `subscription` event re-reads the card the portal's provider already held.
    await waitFor(() => expect(within(card).getByTestId('subscription-plan').textContent).toBe('Pro monthly'), { timeout: 5000 });

    cleanup();
    renderApp(user.client, `/portal/local?subscription=${id}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel now' }));
    await waitFor(() => expect(screen.getByTestId('portal-status').textContent).toBe('Ended'), { timeout: 5000 });
    expect(screen.queryByRole('button', { name: 'Renew now' })).toBeNull();
  });

  it('the billing page follows the subscription live: ending at period end, then a failed renewal, without a reload', async () => {
    const id = await subscribeLocally(user.client, 'sub_starter_monthly');
    renderApp(user.client, '/billing');
    const card = await screen.findByTestId('subscription-card');
    await waitFor(() => expect(within(card).getByTestId('subscription-status').textContent).toBe('Active'));
    // Neither changes the balance: the page hears the wallet's `subscription` event.
    expect((await localSubscription(user.client, { action: 'cancel_at_period_end', subscription_id: id })).ok).toBe(true);
    await waitFor(() => expect(within(card).getByTestId('subscription-ends').textContent).toMatch(/^Ends on .+; your credits last until then\./), { timeout: 5000 });
    expect((await localSubscription(user.client, { action: 'resume', subscription_id: id })).ok).toBe(true);
    expect((await localSubscription(user.client, { action: 'fail_renewal', subscription_id: id })).ok).toBe(true);
    await waitFor(() => expect(within(card).getByTestId('subscription-past-due')).toBeTruthy(), { timeout: 5000 });
    expect(within(card).queryByTestId('subscription-ends')).toBeNull();
  });

  it('a team: the admin subscribes for it and manages it; a member sees the plan and its credits but no Manage, no Subscribe', async () => {
    const teamId = await createTeamAs(user.client, 'Subscribers');
    await subscribeLocally(user.client, 'sub_starter_monthly', teamId);
    const member = await signUpUser('subscribe-member');
    await addTeamMember(teamId, member.userId, 'member');
    renderApp(member.client, `/billing?workspace=${teamId}`);
    // The card of the team (the tab starts on Personal and switches to the linked workspace).
    await waitFor(() => expect(within(screen.getByTestId('subscription-card')).getByTestId('subscription-plan').textContent).toBe('Starter monthly'), { timeout: 10_000 });
    const card = screen.getByTestId('subscription-card');
    await waitFor(() => expect(screen.getByTestId('billing-balance').textContent).toBe('30'));
    expect(within(card).getByTestId('subscription-admins-manage')).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Manage subscription' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Subscribe/ })).toBeNull();
    cleanup();
    await member.client.removeAllChannels();

    renderApp(user.client, `/billing?workspace=${teamId}`);
    await waitFor(() => expect(within(screen.getByTestId('subscription-card')).getByRole('button', { name: 'Manage subscription' })).toBeTruthy(), { timeout: 10_000 });
  });
});
