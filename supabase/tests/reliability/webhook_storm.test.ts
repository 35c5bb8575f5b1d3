// Webhook storm: Stripe retries and reorders deliveries. The same completed checkout arrives 100
// times at once, with its refund mixed in (some copies before the completion can land): the
// purchase is credited once and reversed once, and no delivery gets a 5xx.
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, db, signUpUser } from '../../../test-support/stack.ts';
import { chargeRefunded, checkoutCompleted, deliver, startCheckout } from '../api/payments_events.ts';
import { expectInvariant } from './_invariant.ts';

afterAll(closeDb);

describe('webhook storm', () => {
  it('100 concurrent copies of one completion plus its refund, out of order: credited once, reversed once', async () => {
    const buyer = await signUpUser('storm');
    const { session_id: sessionId } = await startCheckout(buyer.client, 'pack_10');
    const paymentIntent = `pi_storm_${sessionId.slice(-12)}`;
    const completed = checkoutCompleted({ sessionId, userId: buyer.user.id, amountTotal: 900, paymentIntent });
    const refunded = chargeRefunded({ paymentIntent, amount: 900, amountRefunded: 900 });

    // The refund goes out first and again in the middle of the storm (a replay of the same event).
    const deliveries = [deliver(refunded)];
    for (let i = 0; i < 100; i += 1) {
      deliveries.push(deliver(completed));
      if (i === 50) deliveries.push(deliver(refunded));
    }
    const answers = await Promise.all(deliveries);

    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.every((a) => a.status === 200)).toBe(true);

    const { rows: ledger } = await db().query<{ kind: string; delta: number }>(
      'select kind, delta from public.credit_ledger where user_id = $1 order by id', [buyer.user.id]);
    expect(ledger).toEqual([{ kind: 'purchase', delta: 10 }, { kind: 'reversal', delta: -10 }]);
    const { rows: payments } = await db().query(
      'select status, credits_reversed, amount_refunded_cents from public.payments where provider_session_id = $1', [sessionId]);
    expect(payments).toEqual([{ status: 'refunded', credits_reversed: 10, amount_refunded_cents: 900 }]);
    expect(await expectInvariant(db(), buyer.user.id)).toMatchObject({ credits: 0, rows: 2 });

    // Once the storm is over, one more copy of each changes nothing.
    expect((await deliver(completed)).status).toBe(200);
    expect((await deliver(refunded)).status).toBe(200);
    expect(await expectInvariant(db(), buyer.user.id)).toMatchObject({ credits: 0, rows: 2 });
  });
});
