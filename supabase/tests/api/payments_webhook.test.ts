// The Stripe webhook over HTTP on the running stack: signature, replays (20 at once), amount checks.
import { afterAll, describe, expect, it } from 'vitest';
import { balanceOf, closeDb, db, signUpUser } from '../../../test-support/stack.ts';
import { checkoutCompleted, deliver, eventId, startCheckout } from './payments_events.ts';

afterAll(closeDb);

async function pending(planId = 'pack_5') {
  const buyer = await signUpUser('webhook');
  const { session_id } = await startCheckout(buyer.client, planId);
  return { buyer, sessionId: session_id, paymentIntent: `pi_test_${session_id.slice(-12)}` };
}

describe('stripe-webhook', () => {
  it('credits a paid checkout once', async () => {
    const { buyer, sessionId, paymentIntent } = await pending();
    const answer = await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ received: true, action: 'checkout_paid', status: 'paid', credited: 5, balance: 5, replayed: false });
    expect(await balanceOf(buyer.user.id)).toBe(5);
  });

  it('20 concurrent deliveries of one event credit once', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_10');
    const event = checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 900, paymentIntent });
    const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(event)));

    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.body.replayed === false)).toHaveLength(1);
    expect(await balanceOf(buyer.user.id)).toBe(10);
    const { rows } = await db().query(
      `select count(*)::int as purchases from public.credit_ledger where user_id = $1 and kind = 'purchase'`, [buyer.user.id]);
    expect(rows[0].purchases).toBe(1);
    const events = await db().query('select count(*)::int as n from billing.processed_events where event_id = $1', [event.id]);
    expect(events.rows[0].n).toBe(1);
  });

  it('20 different events for the same session, at once, still credit once', async () => {
    const { buyer, sessionId, paymentIntent } = await pending();
    const answers = await Promise.all(Array.from({ length: 20 }, () =>
      deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent, id: eventId() }))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.credited === 5)).toHaveLength(1);
    expect(await balanceOf(buyer.user.id)).toBe(5);
  });

  it('a bad or missing signature is a 400 and changes nothing', async () => {
    const { buyer, sessionId, paymentIntent } = await pending();
    const event = checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent });
    const forged = await deliver(event, { secret: 'whsec_not_the_real_one' });
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ error: { code: 'bad_signature' } });
    const unsigned = await deliver(event, { signature: '' });
    expect(unsigned.status).toBe(400);

    expect(await balanceOf(buyer.user.id)).toBe(0);
    const { rows } = await db().query('select status from public.payments where provider_session_id = $1', [sessionId]);
    expect(rows).toEqual([{ status: 'pending' }]);
    const events = await db().query('select count(*)::int as n from billing.processed_events where event_id = $1', [event.id]);
    expect(events.rows[0].n).toBe(0);
  });

  it('a paid amount that does not match the plan is rejected and recorded', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_10');
    const answer = await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 100, paymentIntent }));
    // 2xx: retrying cannot fix it, so Stripe should stop; support sees the reason.
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'failed', credited: 0 });
    expect(await balanceOf(buyer.user.id)).toBe(0);
    const { rows } = await db().query(
      'select status, failure_reason from public.payments where provider_session_id = $1', [sessionId]);
    expect(rows).toEqual([{ status: 'failed', failure_reason: 'amount_mismatch: paid 100 usd, expected 900 usd' }]);
    const { data } = await buyer.client.from('payments').select('status, failure_reason');
    expect(data).toEqual([{ status: 'failed', failure_reason: 'amount_mismatch: paid 100 usd, expected 900 usd' }]);
  });

  it('an event type it does not handle is acknowledged and ignored', async () => {
    const answer = await deliver({ id: eventId(), object: 'event', type: 'invoice.created', data: { object: { id: 'in_1', object: 'invoice' } } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ action: 'ignored', event_type: 'invoice.created' });
  });

  it('an expired checkout marks the payment failed; a late completion credits nothing', async () => {
    const { buyer, sessionId, paymentIntent } = await pending();
    const expired = await deliver({
      id: eventId(), object: 'event', type: 'checkout.session.expired',
      data: { object: { id: sessionId, object: 'checkout.session', amount_total: 500, currency: 'usd', payment_status: 'unpaid', payment_intent: null } },
    });
    expect(expired.status).toBe(200);
    expect(expired.body).toMatchObject({ action: 'checkout_failed', status: 'failed' });
    const late = await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent }));
    expect(late.body).toMatchObject({ credited: 0 });
    expect(await balanceOf(buyer.user.id)).toBe(0);
  });
});
