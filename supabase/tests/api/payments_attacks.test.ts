// Attacks on and failure modes of the payment path over HTTP: a user squatting the system's
// idempotency keys, malformed or refused events (recorded as rejected, answered 2xx, never
// retried forever), and a refund kept under an intent the completion did not name.
import { afterAll, describe, expect, it } from 'vitest';
import { anonClient, balanceOf, closeDb, db, serviceClient, signUpUser } from '../../../test-support/stack.ts';
import { chargeRefunded, checkoutCompleted, deliver, eventId, startCheckout } from './payments_events.ts';

afterAll(closeDb);

async function pending(planId: string) {
  const buyer = await signUpUser('attack');
  const { session_id, payment_id } = await startCheckout(buyer.client, planId);
  return { buyer, sessionId: session_id, paymentId: payment_id, paymentIntent: `pi_test_${session_id.slice(-12)}` };
}

describe('idempotency key namespaces', () => {
  it("a user who takes the purchase's and the refund's ledger keys first cannot block either", async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_10');
    await serviceClient().rpc('add_credits', { user_id: buyer.user.id, amount: 3, kind: 'grant' });
    // The user can read their own payment id, so they know the keys the system will use.
    const { data: own } = await buyer.client.from('payments').select('id').eq('provider_session_id', sessionId).single();
    const pid = (own as { id: string }).id;
    const squat1 = await buyer.client.rpc('deduct_credits', { amount: 1, idempotency_key: `payment:${pid}:reversal:900` });
    const squat2 = await buyer.client.rpc('create_interview', { job_position: 'Trap', idempotency_key: `payment:${pid}:purchase` });
    expect([squat1.error, squat2.error]).toEqual([null, null]);
    expect(await balanceOf(buyer.user.id)).toBe(1);

    const paid = await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 900, paymentIntent }));
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ action: 'checkout_paid', credited: 10, balance: 11 });
    const refund = await deliver(chargeRefunded({ paymentIntent, amount: 900, amountRefunded: 900 }));
    expect(refund.status).toBe(200);
    expect(refund.body).toMatchObject({ action: 'charge_refunded', status: 'refunded', credits_reversed: 10 });
    expect(await balanceOf(buyer.user.id)).toBe(1);

    const { data: summary } = await buyer.client.rpc('billing_summary');
    // The squatting interview holds its credit (reserved, not spent); the refund takes back only
    // the payment's own lot, never the granted credits.
    expect(summary).toMatchObject({ total_granted: 3, total_purchased: 10, total_reversed: 10, total_spent: 1, balance: 1, available: 1, reserved: 1 });
    const s = summary as Record<string, number>;
    expect(s.total_purchased + s.total_granted + s.total_refunded + s.total_adjusted_added - s.total_adjusted_removed - s.total_spent - s.total_reversed - s.total_expired)
      .toBe(s.balance + s.reserved);
  });
});

describe('events that can never be applied', () => {
  it('a signed but malformed event is answered 200 rejected, recorded with its reason, and replays', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_5');
    const event = checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent });
    delete (event.data.object as Partial<typeof event.data.object>).amount_total;
    const first = await deliver(event);
    expect([first.status, first.body.action]).toEqual([200, 'rejected']);
    const { rows } = await db().query('select event_type, outcome from billing.processed_events where event_id = $1', [event.id]);
    expect(rows[0].event_type).toBe('checkout.session.completed');
    expect(rows[0].outcome).toMatchObject({ status: 'rejected', rejected: true });
    expect(rows[0].outcome.reason).toMatch(/amount_total/);
    expect((await deliver(event)).body).toMatchObject({ action: 'rejected', replayed: true });
    expect(await balanceOf(buyer.user.id)).toBe(0);
  });

  it('a bad or missing signature is still a 400 and records nothing', async () => {
    const event = chargeRefunded({ paymentIntent: 'pi_forged', amount: 500, amountRefunded: 500 });
    expect((await deliver(event, { secret: 'whsec_not_ours' })).status).toBe(400);
    const { rows } = await db().query('select 1 from billing.processed_events where event_id = $1', [event.id]);
    expect(rows).toEqual([]);
  });

  it('a refund in another currency is answered 200 rejected and reverses nothing', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_5');
    await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent }));
    const refund = chargeRefunded({ paymentIntent, amount: 500, amountRefunded: 500 });
    (refund.data.object as { currency: string }).currency = 'eur';
    const answer = await deliver(refund);
    expect([answer.status, answer.body.action, answer.body.reason]).toEqual([200, 'rejected', 'currency_mismatch: refund in eur, payment in usd']);
    expect(await balanceOf(buyer.user.id)).toBe(5);
  });
});

describe('early refunds', () => {
  it('a refund kept under an intent the completion did not name is applied when a later event names it', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_5');
    expect((await deliver(chargeRefunded({ paymentIntent, amount: 500, amountRefunded: 500 }))).body.status).toBe('deferred');
    const withoutIntent = checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent: 'unused' });
    (withoutIntent.data.object as { payment_intent: string | null }).payment_intent = null;
    expect((await deliver(withoutIntent)).body).toMatchObject({ status: 'paid', credited: 5 });
    expect(await balanceOf(buyer.user.id)).toBe(5);

    const succeeded = checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent, id: eventId() });
    succeeded.type = 'checkout.session.async_payment_succeeded';
    const answer = await deliver(succeeded);
    expect(answer.body).toMatchObject({ status: 'refunded', credits_reversed: 5, already_settled: true });
    expect(await balanceOf(buyer.user.id)).toBe(0);
    const { rows } = await db().query('select event_type from billing.processed_events where event_id = $1', [succeeded.id]);
    expect(rows[0].event_type).toBe('checkout.session.async_payment_succeeded');
  });

  it('two early refunds of one payment, by intent and by session, reverse once by the higher total', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_10');
    await deliver(chargeRefunded({ paymentIntent, amount: 900, amountRefunded: 300 }));
    // A refund naming the session id (as support tools may) while the payment is still pending.
    const bySession = await serviceClient().rpc('refund_payment', { event_id: eventId(), payment_ref: sessionId, amount_refunded: 600 });
    expect(bySession.data).toMatchObject({ status: 'pending', amount_refunded_cents: 600 });
    const paid = await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 900, paymentIntent }));
    expect(paid.body).toMatchObject({ status: 'partially_refunded', credits_reversed: 6, amount_refunded_cents: 600 });
    expect(await balanceOf(buyer.user.id)).toBe(4);
  });

  it('a refund of a failed (expired) payment reverses nothing', async () => {
    const { buyer, sessionId } = await pending('pack_5');
    await serviceClient().rpc('fail_checkout', { event_id: eventId(), provider_session_id: sessionId, reason: 'expired' });
    const refund = await serviceClient().rpc('refund_payment', { event_id: eventId(), payment_ref: sessionId, amount_refunded: 500 });
    expect(refund.data).toMatchObject({ status: 'failed', credits_reversed: 0 });
    expect(await balanceOf(buyer.user.id)).toBe(0);
  });
});

describe('payment functions refuse browsers', () => {
  it('anon (401) and a signed-in user (403) get 42501 from every payment function', async () => {
    const { buyer, sessionId } = await pending('pack_5');
    const other = await signUpUser('attack');
    const calls: Array<[string, Record<string, unknown>]> = [
      ['record_checkout', { user_id: buyer.user.id, plan_id: 'pack_5', provider: 'local', provider_session_id: 'cs_local_forged' }],
      ['complete_checkout', { event_id: eventId(), provider_session_id: sessionId, amount_total: 500, currency: 'usd', user_id: buyer.user.id, plan_id: 'pack_5' }],
      ['refund_payment', { event_id: eventId(), payment_ref: sessionId, amount_refunded: 500 }],
      ['fail_checkout', { event_id: eventId(), provider_session_id: sessionId, reason: 'expired' }],
      ['reject_event', { event_id: eventId(), event_type: 'charge.refunded', reason: 'x' }],
    ];
    for (const [client, status] of [[other.client, 403], [buyer.client, 403], [anonClient(), 401]] as const) {
      for (const [fn, args] of calls) {
        const answer = await client.rpc(fn, args);
        expect([answer.status, answer.error?.code], `${fn}`).toEqual([status, '42501']);
      }
    }
    const { rows } = await db().query('select status from public.payments where provider_session_id = $1', [sessionId]);
    expect(rows[0].status).toBe('pending');
    expect(await balanceOf(buyer.user.id)).toBe(0);
  });
});
