// Buying credits through the local payment provider, end to end below the browser: the real
// checkout function, the local checkout page, the signed webhook, the payments row, the balance.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { serverBalance, signUpUser, type TestUser } from '../../test/stack.ts';
import { startCheckout } from './billingApi.ts';

let user: TestUser;
beforeEach(async () => { user = await signUpUser('checkout'); });
afterEach(async () => {
  cleanup();
  await user.client.removeAllChannels();
});

async function checkoutPath(planId: string): Promise<string> {
  const result = await startCheckout(user.client, planId);
  if (!result.ok) throw new Error(`checkout failed: ${result.error.code}`);
  const url = new URL(result.data.url);
  expect(url.pathname).toBe('/checkout/local');
  expect(url.searchParams.get('session_id')).toBe(result.data.session_id);
  return `${url.pathname}${url.search}`;
}

describe('local checkout', () => {
  it('shows the order, pays, and lands on billing with the credits added', async () => {
    const path = await checkoutPath('pack_10');
    renderApp(user.client, path);
    const credits = await screen.findByTestId('checkout-credits');
    expect(credits.getAttribute('data-plan-id')).toBe('pack_10');
    // A pack is named by its count: the order says "10 credits" once, not "Plan: 10 credits / Credits: 10".
    expect(credits.textContent).toBe('10 credits ($0.90 per credit, one-time payment)');
    expect(screen.queryByTestId('checkout-plan')).toBeNull();
    expect(document.querySelector('.order-summary')?.textContent?.match(/10 credits/g)).toHaveLength(1);
    expect(screen.getByTestId('checkout-amount').textContent).toBe('$9.00');
    await userEvent.click(screen.getByRole('button', { name: 'Pay $9.00' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toMatch(/^\/billing\?checkout=success&session_id=cs_/));
    await waitFor(() => expect(document.querySelector('[data-checkout-state="success"]')).not.toBeNull(), { timeout: 10_000 });
    expect(screen.getByText('10 credits added to your balance.')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('billing-balance').textContent).toBe('10'));
    expect(await serverBalance(user.userId)).toBe(10);
  });

  it('cancelling returns to billing with a cancelled message and adds nothing', async () => {
    const path = await checkoutPath('pack_5');
    renderApp(user.client, path);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/billing?checkout=cancelled'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/payment cancelled/i);
    expect(alert.textContent).toMatch(/you were not charged/i);
    expect(await serverBalance(user.userId)).toBe(0);
  });

  it('refuses an unknown session without showing a Pay button', async () => {
    renderApp(user.client, '/checkout/local?session_id=cs_local_does_not_exist');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/does not exist/i);
    expect(screen.queryByRole('button', { name: /pay/i })).toBeNull();
    // Not a dead end: a way back to billing.
    await userEvent.click(screen.getByRole('link', { name: 'Back to billing' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/billing'));
  });
});
