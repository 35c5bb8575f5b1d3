// Refunds through the webhook over HTTP: after and before the completion, partial, and spent credits.
import { afterAll, describe, expect, it } from 'vitest';
import { balanceOf, closeDb, db, signUpUser } from '../../../test-support/stack.ts';
import { chargeRefunded, checkoutCompleted, deliver, startCheckout } from './payments_events.ts';

afterAll(closeDb);

async function pending(planId: string) {
  const buyer = await signUpUser('refund');
  const { session_id } = await startCheckout(buyer.client, planId);
  return { buyer, sessionId: session_id, paymentIntent: `pi_test_${session_id.slice(-12)}` };
}

async function payment(sessionId: string) {
  const { rows } = await db().query(
    `select status, amount_refunded_cents, credits_reversed, credits_unrecovered
       from public.payments where provider_session_id = $1`, [sessionId]);
  return rows[0];
}

describe('refunds', () => {
  it('a refund after the completion takes the credits back', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_5');
    await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent }));
    expect(await balanceOf(buyer.user.id)).toBe(5);

    const refund = chargeRefunded({ paymentIntent, amount: 500, amountRefunded: 500 });
    const answer = await deliver(refund);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ action: 'charge_refunded', status: 'refunded', credits_reversed: 5 });
    expect(await balanceOf(buyer.user.id)).toBe(0);

    expect((await deliver(refund)).body.replayed).toBe(true);
    expect(await balanceOf(buyer.user.id)).toBe(0);
  });

  it('a refund that arrives before its completion still ends with the credits reversed', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_10');
    const early = await deliver(chargeRefunded({ paymentIntent, amount: 900, amountRefunded: 900 }));
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ status: 'deferred' });
    expect(await balanceOf(buyer.user.id)).toBe(0);

    const completion = await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 900, paymentIntent }));
    expect(completion.body).toMatchObject({ status: 'refunded', credits_reversed: 10, balance: 0 });
    expect(await balanceOf(buyer.user.id)).toBe(0);
    const { data: ledger } = await buyer.client.from('credit_ledger').select('delta, kind').order('id');
    expect(ledger).toEqual([{ delta: 10, kind: 'purchase' }, { delta: -10, kind: 'reversal' }]);
  });

  it('a partial refund takes back its share, rounded down', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_10');
    await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 900, paymentIntent }));
    await deliver(chargeRefunded({ paymentIntent, amount: 900, amountRefunded: 500 }));
    // 10 credits * 500/900 = 5.55… → 5 taken back.
    expect(await balanceOf(buyer.user.id)).toBe(5);
    expect(await payment(sessionId)).toEqual({ status: 'partially_refunded', amount_refunded_cents: 500, credits_reversed: 5, credits_unrecovered: 0 });
  });

  it('spent credits are not clawed below zero; the shortfall is recorded', async () => {
    const { buyer, sessionId, paymentIntent } = await pending('pack_5');
    await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent }));
    const spend = await buyer.client.rpc('deduct_credits', { amount: 3, reason: 'interviews' });
    expect(spend.error).toBeNull();

    await deliver(chargeRefunded({ paymentIntent, amount: 500, amountRefunded: 500 }));
    expect(await balanceOf(buyer.user.id)).toBe(0);
    expect(await payment(sessionId)).toEqual({ status: 'refunded', amount_refunded_cents: 500, credits_reversed: 2, credits_unrecovered: 3 });
  });

  it('a refund racing its completion always ends refunded with nothing left over', async () => {
    const races = await Promise.all(Array.from({ length: 8 }, () => pending('pack_5')));
    await Promise.all(races.map(({ buyer, sessionId, paymentIntent }) => Promise.all([
      deliver(chargeRefunded({ paymentIntent, amount: 500, amountRefunded: 500 })),
      deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 500, paymentIntent })),
    ])));
    for (const { buyer, sessionId } of races) {
      expect(await balanceOf(buyer.user.id)).toBe(0);
      expect(await payment(sessionId)).toEqual({ status: 'refunded', amount_refunded_cents: 500, credits_reversed: 5, credits_unrecovered: 0 });
    }
  });
});
