// The billing page after a checkout: pending until the webhook lands, then success; or cancelled.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { renderApp } from '../../test/renderApp.tsx';
import { serverBalance, signUpUser, type TestUser } from '../../test/stack.ts';
import { completeLocalCheckout, startCheckout } from './billingApi.ts';

let user: TestUser;
beforeEach(async () => { user = await signUpUser('status'); });
afterEach(async () => {
  cleanup();
  await user.client.removeAllChannels();
});

const state = () => document.querySelector('[data-checkout-state]')?.getAttribute('data-checkout-state');

describe('CheckoutStatus', () => {
  it('says credits are arriving until the payment is confirmed, then shows success', async () => {
    const checkout = await startCheckout(user.client, 'pack_5');
    if (!checkout.ok) throw new Error(checkout.error.code);
    renderApp(user.client, `/billing?checkout=success&session_id=${checkout.data.session_id}`);
    await waitFor(() => expect(state()).toBe('pending'));
    expect(screen.getByText('Payment received — adding credits…')).toBeTruthy();
    // Still pending a while later: nothing has paid yet.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(state()).toBe('pending');

    const paid = await completeLocalCheckout(user.client, checkout.data.session_id);
    expect(paid.ok).toBe(true);
    await waitFor(() => expect(state()).toBe('success'), { timeout: 5000 });
    expect(screen.getByText('5 credits added to your balance.')).toBeTruthy();
    // Never "Payment complete" beside totals read before the payment.
    expect(screen.getByText('Purchased').nextElementSibling?.textContent).toBe('5 credits');
    await waitFor(() => expect(screen.getByTestId('billing-balance').textContent).toBe('5'));
    expect(await serverBalance(user.userId)).toBe(5);

    // Opening the same success URL again (a reload) does not announce the payment a second time.
    cleanup();
    renderApp(user.client, `/billing?checkout=success&session_id=${checkout.data.session_id}`);
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/billing'), { timeout: 5000 });
    expect(state()).toBeUndefined();
    expect(screen.queryByText('Payment complete')).toBeNull();
  });

  it('keeps Dismiss inside the cancelled banner, and dismissing clears it', async () => {
    renderApp(user.client, '/billing?checkout=cancelled');
    const alert = await screen.findByRole('alert');
    const dismiss = screen.getByRole('button', { name: 'Dismiss' });
    expect(alert.contains(dismiss)).toBe(true);
    dismiss.click();
    await waitFor(() => expect(state()).toBeUndefined());
  });

  it('shows nothing about checkouts on a plain visit', async () => {
    renderApp(user.client, '/billing');
    await screen.findByRole('heading', { name: 'Billing' });
    await waitFor(() => expect(screen.getByTestId('billing-balance').textContent).toBe('0'));
    expect(state()).toBeUndefined();
  });
});
