// The billing page when its reads fail: it says so (with a way to retry) instead of claiming
// there are no plans or no credit activity.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp.tsx';
import { clientWithStoredSession, closeDb, closedUrl, db, grantCredits, serviceClient, signUpUser, type TestUser } from '../../test/stack.ts';
import { formatDate } from '../lib/format.ts';

let user: TestUser;
beforeEach(async () => { user = await signUpUser('billing-page'); });
afterEach(async () => {
  cleanup();
  await user.client.removeAllChannels();
});
afterAll(closeDb);

describe('BillingPage', () => {
  // postgrest-js retries failed reads with backoff, so the failures take seconds to surface.
  it('network down: plans and history show the error with "Try again", not an empty state', { timeout: 45_000 }, async () => {
    const session = (await user.client.auth.getSession()).data.session;
    if (!session) throw new Error('no session');
    const offline = await clientWithStoredSession(session, await closedUrl());
    renderApp(offline, '/billing');
    const history = (await screen.findByRole('heading', { name: 'History' })).closest('section');
    const plans = (await screen.findByRole('heading', { name: 'Bigger packs' })).closest('section');
    if (!history || !plans) throw new Error('cards not found');
    await waitFor(() => expect(within(history).getByRole('alert').getAttribute('data-error-code')).toBe('network'), { timeout: 20_000 });
    await waitFor(() => expect(within(plans).getByRole('alert').getAttribute('data-error-code')).toBe('network'), { timeout: 20_000 });
    expect(within(history).getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(within(plans).getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(screen.queryByText(/no credit activity yet/i)).toBeNull();
    expect(screen.queryByText(/no plans are available/i)).toBeNull();
    expect(screen.getByTestId('quick-add-unavailable').textContent).toMatch(/prices could not be loaded/i);
    await offline.removeAllChannels();
  });

  it('explains the balance: free credits appear beside purchases and spends', async () => {
    await grantCredits(user.userId, 4);
    renderApp(user.client, '/billing');
    const card = (await screen.findByRole('heading', { name: 'Current credits' })).closest('section');
    if (!card) throw new Error('balance card not found');
    await waitFor(() => expect(within(card).getByText('Free credits').nextSibling?.textContent).toBe('4 credits'));
    expect(within(card).getByText('Purchased').nextSibling?.textContent).toBe('0 credits');
    expect(within(card).queryByText('Support adjustments')).toBeNull();
  });

  it('shows available and reserved apart, and what expires next', async () => {
    const expiresAt = new Date(Date.now() + 40 * 24 * 3600 * 1000).toISOString();
    const service = await serviceClient();
    const grant = await service.rpc('add_credits', { user_id: user.userId, amount: 12, kind: 'grant', reason: 'Promo', expires_at: expiresAt });
    expect(grant.error).toBeNull();
    await grantCredits(user.userId, 3);
    const created = await user.client.rpc('create_interview', { job_position: 'Data Engineer', duration_minutes: 60, interview_type: 'technical' });
    expect(created.error).toBeNull();
    renderApp(user.client, '/billing');
    await waitFor(() => expect(screen.getByTestId('billing-balance').textContent).toBe('13'));
    await waitFor(() => expect(screen.getByTestId('billing-reserved').textContent)
      .toBe('2 credits reserved for scheduled interviews: spent when they take place, returned if you cancel.'));
    // The hold took its credits from the soonest-expiring lot first, so 10 of the 12 are left to expire.
    await waitFor(() => expect(screen.getByTestId('expiry-notice').textContent).toBe(`10 credits expire on ${formatDate(expiresAt)}.`));
  });

  it('no reserved line and no expiry notice when nothing is held and nothing expires', async () => {
    await grantCredits(user.userId, 4);
    renderApp(user.client, '/billing');
    await waitFor(() => expect(screen.getByTestId('billing-balance').textContent).toBe('4'));
    // The totals have loaded (the expiry notice comes with them), and say nothing expires.
    await screen.findByText('Purchased');
    expect(screen.queryByTestId('billing-reserved')).toBeNull();
    expect(screen.queryByTestId('expiry-notice')).toBeNull();
  });

  it('says how long each plan\'s credits last, from the plans table (packs never expire, tiers last 365 days)', async () => {
    renderApp(user.client, '/billing');
    await waitFor(() => expect(screen.getByTestId('plan-validity-tier_starter').textContent).toBe('Credits last 365 days'));
    expect(screen.getByTestId('quick-add-intro').textContent).toBe('Top up in one step with a one-time payment. Credits never expire.');
    expect(screen.getByTestId('plans-one-time').textContent).not.toMatch(/never expire/);
  });

  // A support edit set a lot's expiry to 'infinity' and the page showed only "Something went wrong"
  // (RangeError: Invalid time value). The database now refuses that edit; the page must still show
  // whatever the database can hold, such as the last year of its range, reached here the way the
  // credit functions write (the guard refuses it to a hand edit).
  it('a lot expiring in the year 294276 is shown as written; the page does not crash', async () => {
    const service = await serviceClient();
    const grant = await service.rpc('add_credits', { user_id: user.userId, amount: 5, kind: 'grant', reason: 'Promo',
      expires_at: new Date(Date.now() + 24 * 3600 * 1000).toISOString() });
    expect(grant.error).toBeNull();
    await db().query(`with flag as (select pg_catalog.set_config('billing.applying_ledger', 'on', true))
                      update public.credit_lots set expires_at = '294276-12-31 23:59:59+00' from flag where user_id = $1`, [user.userId]);
    renderApp(user.client, '/billing');
    await waitFor(() => expect(screen.getByTestId('expiry-notice').textContent).toBe('5 credits expire on Dec 31, 294276.'));
    expect(screen.getByTestId('billing-balance').textContent).toBe('5');
    expect(screen.queryByText(/something went wrong/i)).toBeNull();
  });

  it('goodwill credits read "Added by support"; a goodwill "refund" is refused; spent is never negative', async () => {
    const service = await serviceClient();
    const refund = await service.rpc('add_credits', { user_id: user.userId, amount: 3, kind: 'refund', reason: 'Goodwill refund' });
    expect(refund.error?.code).toBe('22023');
    expect(refund.error?.message).toBe('invalid_kind');
    const goodwill = await service.rpc('add_credits', { user_id: user.userId, amount: 3, kind: 'adjustment', reason: 'Goodwill: sorry' });
    expect(goodwill.error).toBeNull();
    renderApp(user.client, '/billing');
    await waitFor(() => expect(screen.getByTestId('summary-support-added').textContent).toBe('3 credits'));
    expect(screen.getByTestId('summary-spent').textContent).toBe('0 credits');
    expect(screen.queryByTestId('summary-support-removed')).toBeNull();
  });
});

