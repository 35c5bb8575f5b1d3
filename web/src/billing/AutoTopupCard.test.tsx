// The "Auto top-up" card on the billing page, on the real stack: without a saved card it says how
// to get one; with one the recruiter turns it on (the server has it on); a stop says why.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { db, signUpUser } from '../../test/stack.ts';

afterEach(() => cleanup());

describe('AutoTopupCard', () => {
  it('says how to save a card, turns auto top-up on, and shows why it stopped', async () => {
    const user = await signUpUser('auto-topup-card');
    const first = renderApp(user.client, '/billing');
    const card = await screen.findByTestId('auto-topup', {}, { timeout: 10_000 });
    await within(card).findByText(/Buy credits once with a card/);
    first.unmount();

    await db().query(`insert into public.billing_customers (wallet_id, provider, provider_customer_id, default_payment_method)
                      values ($1, 'local', $2, 'pm_card_visa')`, [user.userId, `cus_local_${user.userId.replaceAll('-', '')}`]);
    renderApp(user.client, '/billing');
    const again = await screen.findByTestId('auto-topup', {}, { timeout: 10_000 });
    await userEvent.click(await within(again).findByRole('button', { name: 'Turn on auto top-up' }));
    await waitFor(() => expect(within(again).getByTestId('auto-topup-status').getAttribute('data-status')).toBe('on'));
    const { rows } = await db().query('select status, threshold, plan_id from public.auto_topup_settings where wallet_id = $1', [user.userId]);
    expect(rows).toEqual([{ status: 'on', threshold: 5, plan_id: 'pack_5' }]);
    expect(within(again).getByTestId('auto-topup-month').textContent).toMatch(/Charged this month: \$0\.00 of \$50\.00/);
    cleanup();

    await db().query(`update public.auto_topup_settings set status = 'stopped', stopped_reason = 'declined', stopped_at = now()
                       where wallet_id = $1`, [user.userId]);
    renderApp(user.client, '/billing');
    const stopped = await screen.findByTestId('auto-topup', {}, { timeout: 10_000 });
    await within(stopped).findByText(/Stopped: the saved card was declined/);
  });
});
