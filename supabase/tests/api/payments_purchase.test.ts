// Buying credits end to end with supabase-js: checkout, the local checkout page's Pay button
// (local-checkout-complete → a Stripe-signed event → stripe-webhook), and the balance rising once.
import { afterAll, describe, expect, it } from 'vitest';
import { balanceOf, closeDb, db, signUpUser, stackEnv } from '../../../test-support/stack.ts';
import { invokeErrorCode, startCheckout } from './payments_events.ts';

afterAll(closeDb);

describe('buying a credit pack (local provider, no Stripe account)', () => {
  it('checkout returns the local checkout page and records a pending payment', async () => {
    const alice = await signUpUser('buyer');
    const checkout = await startCheckout(alice.client, 'pack_5');
    expect(checkout.url).toBe(`${stackEnv().SITE_URL}/checkout/local?session_id=${checkout.session_id}`);

    const { data, error } = await alice.client.from('payments').select('id, status, amount_cents, credits, plan_id');
    expect(error).toBeNull();
    expect(data).toEqual([{ id: checkout.payment_id, status: 'pending', amount_cents: 500, credits: 5, plan_id: 'pack_5' }]);
  });

  it('paying credits the pack once, however often Pay is pressed', async () => {
    const alice = await signUpUser('buyer');
    const { session_id } = await startCheckout(alice.client, 'pack_10');

    const presses = await Promise.all([1, 2, 3].map(() =>
      alice.client.functions.invoke('local-checkout-complete', { body: { session_id } })));
    for (const press of presses) expect(press.error).toBeNull();
    expect(presses.map((p) => (p.data as { credited: number }).credited).sort()).toEqual([0, 0, 10]);

    expect(await balanceOf(alice.user.id)).toBe(10);
    const { data: ledger } = await alice.client.from('credit_ledger').select('delta, kind, balance_after');
    expect(ledger).toEqual([{ delta: 10, kind: 'purchase', balance_after: 10 }]);
    const { data: payments } = await alice.client.from('payments').select('status');
    expect(payments).toEqual([{ status: 'paid' }]);
  });

  it("a user cannot complete someone else's checkout", async () => {
    const owner = await signUpUser('owner');
    const intruder = await signUpUser('intruder');
    const { session_id } = await startCheckout(owner.client, 'pack_5');

    const { error } = await intruder.client.functions.invoke('local-checkout-complete', { body: { session_id } });
    expect(await invokeErrorCode(error)).toEqual({ status: 403, code: 'forbidden' });
    expect(await balanceOf(owner.user.id)).toBe(0);
    expect(await balanceOf(intruder.user.id)).toBe(0);
    const { rows } = await db().query('select status from public.payments where provider_session_id = $1', [session_id]);
    expect(rows).toEqual([{ status: 'pending' }]);
  });

  it('an unknown plan is refused with unknown_plan', async () => {
    const alice = await signUpUser('buyer');
    const { error } = await alice.client.functions.invoke('checkout', { body: { plan_id: 'pack_1000000' } });
    expect(await invokeErrorCode(error)).toEqual({ status: 400, code: 'unknown_plan' });
  });

  it('a visitor who is not signed in cannot start a checkout', async () => {
    const { anonClient } = await import('../../../test-support/stack.ts');
    const { error } = await anonClient().functions.invoke('checkout', { body: { plan_id: 'pack_5' } });
    expect((await invokeErrorCode(error))?.status).toBe(401);
  });

  it('the browser cannot settle its own payment through the API', async () => {
    const alice = await signUpUser('buyer');
    const { session_id } = await startCheckout(alice.client, 'pack_5');
    const { error } = await alice.client.rpc('complete_checkout', {
      event_id: 'evt_self_service', provider_session_id: session_id, amount_total: 500, currency: 'usd',
    });
    expect(error).not.toBeNull();
    expect(await balanceOf(alice.user.id)).toBe(0);
  });
});
