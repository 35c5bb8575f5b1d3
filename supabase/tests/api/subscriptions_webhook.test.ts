// Subscription events delivered to the running stack's webhook, signed as Stripe signs them, in
// the shapes of Stripe's API: a renewal delivered twice grants once; invoice.paid before
// customer.subscription.created ends right; a subscription's whole life delivered shuffled and
// repeated (an upgrade's invoice included) ends in the same state as delivered in order (seeded;
// the seed is printed).
import { afterAll, describe, expect, it } from 'vitest';
import { balanceOf, closeDb, signUpUser } from '../../../test-support/stack.ts';
import { deliver } from './payments_events.ts';
import {
  invoiceEvent,
  localInvoiceId,
  type LocalSubscriptionState,
  newSubscription,
  nextPeriod,
  periodPaid,
  planRow,
  seededRandom,
  shuffledWithRepeats,
  subscriptionEvent,
  subscriptionOutcome,
} from './subscription_helpers.ts';

afterAll(closeDb);

const now = () => Math.floor(Date.now() / 1000);

describe('subscription webhooks', () => {
  it('a renewal delivered twice (and its invoice again under another event) grants once', async () => {
    const { user } = await signUpUser('sub-renew');
    const first = newSubscription(await planRow('sub_starter_monthly'), user.id, now());
    const t = now();
    for (const event of [subscriptionEvent('created', first, t), periodPaid(first, 'subscription_create', t)]) {
      expect((await deliver(event)).status).toBe(200);
    }
    const second = nextPeriod(first);
    const renewal = periodPaid(second, 'subscription_cycle', t + 1);
    const answers = [await deliver(renewal), await deliver(renewal), await deliver(periodPaid(second, 'subscription_cycle', t + 1))];
    expect(answers.map((a) => [a.status, a.body.replayed])).toEqual([[200, false], [200, true], [200, false]]);
    expect(answers.map((a) => a.body.credited ?? 0)).toEqual([30, 30, 0]);
    expect(await balanceOf(user.id)).toBe(60);
    expect((await subscriptionOutcome(first.subscriptionId)).paid_invoices).toEqual(['30 2500 paid', '30 2500 paid']);
  });

  it('invoice.paid before customer.subscription.created ends as in the usual order', async () => {
    const { user, client } = await signUpUser('sub-early-invoice');
    const sub = newSubscription(await planRow('sub_pro_monthly'), user.id, now());
    const t = now();
    const paid = await deliver(periodPaid(sub, 'subscription_create', t));
    expect([paid.status, paid.body.action, paid.body.credited]).toEqual([200, 'invoice_paid', 100]);
    expect((await deliver(subscriptionEvent('created', sub, t))).body.action).toBe('subscription_changed');
    const outcome = await subscriptionOutcome(sub.subscriptionId);
    expect([outcome.status, outcome.plan_id, outcome.credits]).toEqual(['active', 'sub_pro_monthly', 100]);
    expect(new Date(outcome.current_period_end as string).getTime() / 1000).toBe(sub.periodEnd);
    const { data } = await client.rpc('subscription_status');
    expect(data).toMatchObject({ plan_id: 'sub_pro_monthly', status: 'active', credits_per_period: 100, can_manage: true });
  });

  it("a subscription's life delivered shuffled and repeated ends in the same state as in order", async () => {
    const [plan, pro] = [await planRow('sub_starter_monthly'), await planRow('sub_pro_monthly')];
    const start = now();
    /**
     * One subscription's life for a fresh user: created → paid → updated (cancel at period end) →
     * renewed (updated + paid) → upgraded mid-period (updated + a subscription_update invoice) →
     * renewal failed (payment_failed + updated past_due) → deleted.
     */
    async function life(): Promise<{ id: string; events: unknown[] }> {
      const { user } = await signUpUser('sub-life');
      const p1: LocalSubscriptionState = newSubscription(plan, user.id, start);
      const p2 = nextPeriod(p1);
      const upgraded = { ...p2, plan: pro };
      const middle = Math.floor((p2.periodStart + p2.periodEnd) / 2);
      const upgrade = invoiceEvent('paid', upgraded, {
        id: `${localInvoiceId(p2.subscriptionId, middle)}_upd`, billingReason: 'subscription_update',
        lines: [
          { plan, amount: -plan.price_cents / 2, start: middle, end: p2.periodEnd, proration: true },
          { plan: pro, amount: pro.price_cents / 2, start: middle, end: p2.periodEnd, proration: true },
        ],
      }, start + 3);
      const p3: LocalSubscriptionState = { ...nextPeriod(upgraded), status: 'past_due' };
      const failed = invoiceEvent('payment_failed', p3, {
        id: localInvoiceId(p3.subscriptionId, p3.periodStart), billingReason: 'subscription_cycle',
        lines: [{ plan: pro, amount: pro.price_cents, start: p3.periodStart, end: p3.periodEnd, proration: false }],
      }, start + 4);
      return {
        id: p1.subscriptionId,
        events: [
          subscriptionEvent('created', p1, start),
          periodPaid(p1, 'subscription_create', start),
          subscriptionEvent('updated', { ...p1, cancelAtPeriodEnd: true }, start + 1),
          subscriptionEvent('updated', p2, start + 2),
          periodPaid(p2, 'subscription_cycle', start + 2),
          subscriptionEvent('updated', upgraded, start + 3),
          upgrade,
          failed,
          subscriptionEvent('updated', p3, start + 4),
          subscriptionEvent('deleted', { ...p3, status: 'canceled', canceledAt: start + 5 }, start + 5),
        ],
      };
    }
    const inOrder = await life();
    for (const event of inOrder.events) expect((await deliver(event)).status).toBe(200);
    const expected = await subscriptionOutcome(inOrder.id);
    expect([expected.status, expected.plan_id, expected.paid_invoices.length]).toEqual(['canceled', 'sub_pro_monthly', 3]);
    // The upgrade grants the extra credits of half a period (about 35 of pro's 70 more).
    expect(expected.credits).toBeGreaterThan(60 + 30);
    expect(expected.credits).toBeLessThan(60 + 40);

    const baseSeed = Number(process.env.SUBSCRIPTION_ORDER_SEED ?? Date.now() % 1_000_000);
    for (const seed of [baseSeed, baseSeed + 1, baseSeed + 2]) {
      console.log(`subscription delivery order seed ${seed} (SUBSCRIPTION_ORDER_SEED=${baseSeed} replays this run)`);
      const run = await life();
      for (const event of shuffledWithRepeats(run.events, seededRandom(seed))) expect((await deliver(event)).status).toBe(200);
      expect(await subscriptionOutcome(run.id), `seed ${seed}`).toEqual(expected);
    }
  });
});
