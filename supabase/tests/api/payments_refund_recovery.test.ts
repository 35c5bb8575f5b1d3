// Refunded money never stays spendable, over HTTP: Stripe-signed charge.refunded events posted to
// the real webhook, interviews created and cancelled with supabase-js. A refund voids what its
// payment's lot still has; credits of that lot held by interviews repay the rest
// (payments.credits_unrecovered) when a cancel releases them. Credits of other lots are never taken.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, describe, expect, it } from 'vitest';
import { balanceOf, closeDb, db, serviceClient, signUpUser, walletOf, type SignedUpUser } from '../../../test-support/stack.ts';
import { chargeRefunded, checkoutCompleted, deliver, startCheckout } from './payments_events.ts';

afterAll(closeDb);

const PRICE: Record<string, number> = { pack_5: 500, pack_10: 900 };

/** Buys a plan through checkout + a signed completion; the payment intent names it for refunds. */
async function buy(buyer: SignedUpUser, planId: string): Promise<{ sessionId: string; paymentIntent: string }> {
  const { session_id: sessionId } = await startCheckout(buyer.client, planId);
  const paymentIntent = `pi_test_${sessionId.slice(-12)}`;
  const paid = await deliver(checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: PRICE[planId], paymentIntent }));
  expect(paid.body).toMatchObject({ action: 'checkout_paid', status: 'paid' });
  return { sessionId, paymentIntent };
}

async function createInterviews(client: SupabaseClient, durations: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const duration_minutes of durations) {
    const { data, error } = await client.rpc('create_interview', { job_position: 'Engineer', duration_minutes });
    expect(error).toBeNull();
    ids.push((data as { interview_id: string }).interview_id);
  }
  return ids;
}

async function cancel(client: SupabaseClient, interviewId: string) {
  const { data, error } = await client.rpc('cancel_interview', { interview_id: interviewId });
  expect(error).toBeNull();
  return data as { refunded: number; recovered: number; balance: number; replayed: boolean };
}

/** The payment's own lot: what is left, held, spent and voided of it. */
async function lotOf(sessionId: string) {
  const { rows } = await db().query(`
    select l.amount, l.remaining, l.held, l.spent, l.voided from public.credit_lots l
      join public.payments p on p.id = l.payment_id where p.provider_session_id = $1`, [sessionId]);
  return rows[0];
}

async function debt(sessionId: string) {
  const { rows } = await db().query(
    'select status, credits_reversed, credits_unrecovered from public.payments where provider_session_id = $1', [sessionId]);
  return rows[0];
}

describe('refunded credits never come back spendable', () => {
  it('the issue\'s reproduction: pack_5, five interviews, full refund, five cancels ends at 0', async () => {
    const buyer = await signUpUser('recover');
    const { sessionId, paymentIntent } = await buy(buyer, 'pack_5');
    const interviews = await createInterviews(buyer.client, [30, 30, 30, 30, 30]);
    expect(await walletOf(buyer.user.id)).toEqual({ credits: 0, reserved: 5 });

    const refund = chargeRefunded({ paymentIntent, amount: 500, amountRefunded: 500 });
    const answer = await deliver(refund);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ action: 'charge_refunded', credits_reversed: 0, credits_unrecovered: 5 });

    for (const id of interviews) {
      expect(await cancel(buyer.client, id)).toMatchObject({ refunded: 1, released: 1, recovered: 1, balance: 0, replayed: false });
    }
    expect(await walletOf(buyer.user.id)).toEqual({ credits: 0, reserved: 0 });
    expect(await debt(sessionId)).toEqual({ status: 'refunded', credits_reversed: 5, credits_unrecovered: 0 });
    expect(await lotOf(sessionId)).toEqual({ amount: 5, remaining: 0, held: 0, spent: 0, voided: 5 });

    // The buyer's own ledger shows each repayment as a reversal naming the payment.
    const { data: reversals } = await buyer.client.from('credit_ledger')
      .select('delta, payment_id, interview_id').eq('kind', 'reversal').order('id');
    const { rows: [{ id: paymentId }] } = await db().query('select id from public.payments where provider_session_id = $1', [sessionId]);
    expect(reversals).toEqual(interviews.map((interview_id) => ({ delta: -1, payment_id: paymentId, interview_id })));

    // Replays change nothing: the refund event, and a cancel again.
    expect((await deliver(refund)).body.replayed).toBe(true);
    expect(await cancel(buyer.client, interviews[0])).toMatchObject({ recovered: 1, balance: 0, replayed: true });
    expect(await balanceOf(buyer.user.id)).toBe(0);
  });

  it('cancels before the refund return credits the refund then takes; cancels after it repay the rest', async () => {
    const buyer = await signUpUser('recover');
    const { sessionId, paymentIntent } = await buy(buyer, 'pack_5');
    const interviews = await createInterviews(buyer.client, [30, 30, 30, 30, 30]);
    await cancel(buyer.client, interviews[0]);
    await cancel(buyer.client, interviews[1]);
    expect(await balanceOf(buyer.user.id)).toBe(2);

    await deliver(chargeRefunded({ paymentIntent, amount: 500, amountRefunded: 500 }));
    expect(await debt(sessionId)).toEqual({ status: 'refunded', credits_reversed: 2, credits_unrecovered: 3 });
    for (const id of interviews.slice(2)) await cancel(buyer.client, id);
    expect(await balanceOf(buyer.user.id)).toBe(0);
    expect(await debt(sessionId)).toEqual({ status: 'refunded', credits_reversed: 5, credits_unrecovered: 0 });
  });

  it('two payments, one refunded in full and one in part: only the refunded shares are repaid', async () => {
    const buyer = await signUpUser('recover');
    const a = await buy(buyer, 'pack_5');
    const b = await buy(buyer, 'pack_10');
    const interviews = await createInterviews(buyer.client, [120, 120, 120, 30, 30, 30]);
    expect(await balanceOf(buyer.user.id)).toBe(0);

    await deliver(chargeRefunded({ paymentIntent: a.paymentIntent, amount: 500, amountRefunded: 500 }));
    // 450 of 900 cents: 5 of B's 10 credits.
    await deliver(chargeRefunded({ paymentIntent: b.paymentIntent, amount: 900, amountRefunded: 450 }));
    expect(await debt(a.sessionId)).toEqual({ status: 'refunded', credits_reversed: 0, credits_unrecovered: 5 });
    expect(await debt(b.sessionId)).toEqual({ status: 'partially_refunded', credits_reversed: 0, credits_unrecovered: 5 });

    const recovered = [];
    for (const id of interviews) recovered.push((await cancel(buyer.client, id)).recovered);
    expect(recovered).toEqual([4, 4, 2, 0, 0, 0]);
    // 15 bought, 10 of them with refunded money: 5 stay spendable.
    expect(await balanceOf(buyer.user.id)).toBe(5);
    expect(await debt(a.sessionId)).toEqual({ status: 'refunded', credits_reversed: 5, credits_unrecovered: 0 });
    expect(await debt(b.sessionId)).toEqual({ status: 'partially_refunded', credits_reversed: 5, credits_unrecovered: 0 });
  });

  it('a purchase made while a refund is unrecovered is credited in full', async () => {
    const buyer = await signUpUser('recover');
    const a = await buy(buyer, 'pack_5');
    const interviews = await createInterviews(buyer.client, [30, 30, 30, 30, 30]);
    await deliver(chargeRefunded({ paymentIntent: a.paymentIntent, amount: 500, amountRefunded: 500 }));
    await buy(buyer, 'pack_5');
    expect(await balanceOf(buyer.user.id)).toBe(5);
    for (const id of interviews) await cancel(buyer.client, id);
    expect(await balanceOf(buyer.user.id)).toBe(5);
    expect(await debt(a.sessionId)).toMatchObject({ credits_reversed: 5, credits_unrecovered: 0 });
  });

  it('credits held from another payment never repay a refund: only the refunded lot\'s own credits do', async () => {
    const buyer = await signUpUser('recover');
    const a = await buy(buyer, 'pack_5');
    const b = await buy(buyer, 'pack_5');
    // Spend order takes the oldest lot first: the first five hold A's credits, the next five B's.
    const fromA = await createInterviews(buyer.client, [30, 30, 30, 30, 30]);
    const fromB = await createInterviews(buyer.client, [30, 30, 30, 30, 30]);
    expect([await lotOf(a.sessionId), await lotOf(b.sessionId)]).toEqual([
      { amount: 5, remaining: 0, held: 5, spent: 0, voided: 0 }, { amount: 5, remaining: 0, held: 5, spent: 0, voided: 0 }]);

    await deliver(chargeRefunded({ paymentIntent: b.paymentIntent, amount: 500, amountRefunded: 500 }));
    expect(await debt(b.sessionId)).toEqual({ status: 'refunded', credits_reversed: 0, credits_unrecovered: 5 });
    // A was paid for and kept: its credits come back spendable.
    for (const id of fromA) expect(await cancel(buyer.client, id)).toMatchObject({ released: 1, recovered: 0 });
    expect(await walletOf(buyer.user.id)).toEqual({ credits: 5, reserved: 5 });
    expect(await debt(b.sessionId)).toEqual({ status: 'refunded', credits_reversed: 0, credits_unrecovered: 5 });
    // B's credits repay B's refund as they come back.
    for (const id of fromB) expect(await cancel(buyer.client, id)).toMatchObject({ released: 1, recovered: 1 });
    expect(await walletOf(buyer.user.id)).toEqual({ credits: 5, reserved: 0 });
    expect(await debt(b.sessionId)).toEqual({ status: 'refunded', credits_reversed: 5, credits_unrecovered: 0 });
    expect([await lotOf(a.sessionId), await lotOf(b.sessionId)]).toEqual([
      { amount: 5, remaining: 5, held: 0, spent: 0, voided: 0 }, { amount: 5, remaining: 0, held: 0, spent: 0, voided: 5 }]);
  });

  it('credits of a refunded lot that were captured stay spent and owed; nothing else repays them', async () => {
    const buyer = await signUpUser('recover');
    const a = await buy(buyer, 'pack_5');
    const [done, ...rest] = await createInterviews(buyer.client, [60, 30, 30, 30]);
    expect((await serviceClient().rpc('complete_interview', { interview_id: done })).error).toBeNull();
    await deliver(chargeRefunded({ paymentIntent: a.paymentIntent, amount: 500, amountRefunded: 500 }));
    expect(await debt(a.sessionId)).toEqual({ status: 'refunded', credits_reversed: 0, credits_unrecovered: 5 });
    await buy(buyer, 'pack_5');
    for (const id of rest) expect(await cancel(buyer.client, id)).toMatchObject({ released: 1, recovered: 1 });
    // The two captured credits were spent before the refund: owed, never taken from the new pack.
    expect(await debt(a.sessionId)).toEqual({ status: 'refunded', credits_reversed: 3, credits_unrecovered: 2 });
    expect(await lotOf(a.sessionId)).toEqual({ amount: 5, remaining: 0, held: 0, spent: 2, voided: 3 });
    expect(await walletOf(buyer.user.id)).toEqual({ credits: 5, reserved: 0 });
  });

  it('a refund racing cancels of the refunded credits always ends with nothing spendable', async () => {
    const buyers = await Promise.all(Array.from({ length: 4 }, async () => {
      const buyer = await signUpUser('recover');
      const bought = await buy(buyer, 'pack_5');
      const interviews = await createInterviews(buyer.client, [30, 30, 30, 30, 30]);
      await cancel(buyer.client, interviews[0]);
      return { buyer, ...bought, interviews: interviews.slice(1) };
    }));
    await Promise.all(buyers.map(({ buyer, paymentIntent, interviews }) => Promise.all([
      deliver(chargeRefunded({ paymentIntent, amount: 500, amountRefunded: 500 })),
      ...interviews.map((id) => cancel(buyer.client, id)),
    ])));
    for (const { buyer, sessionId } of buyers) {
      expect(await balanceOf(buyer.user.id)).toBe(0);
      expect(await debt(sessionId)).toEqual({ status: 'refunded', credits_reversed: 5, credits_unrecovered: 0 });
    }
  });
});
