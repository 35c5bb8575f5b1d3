// Normalisation of Stripe Billing's events (API 2026-10-28 shapes): the local provider's events
// (built as Stripe builds them) reduce to the snapshots the subscription SQL functions take;
// malformed ones are rejected, a subscription checkout's completion and invoices no subscription
// made are ignored.
import assert from 'node:assert/strict';
import { actionEvents, startEvents } from '../../_shared/local-subscription-actions.ts';
import type { LocalSubscriptionState } from '../../_shared/local-subscription-events.ts';
import { subscriptionCheckoutCompletedEvent } from '../../_shared/local-subscription-events.ts';
import type { PlanRow } from '../../_shared/schemas.ts';
import { normaliseStripeEvent } from '../../_shared/stripe-events.ts';
import { OFFLINE_ENV, withEnv } from '../utils/env.ts';
import { signedWebhookRequest, stripeEvent } from '../utils/webhook-events.ts';
import { handle } from '../../stripe-webhook/index.ts';

const USER = '2f0c1a52-6f3e-4c1e-9a57-0d7c2b9e1f11';
const TEAM = '7d1e4c2a-0b9f-4f6e-8a3d-5c2b1e0f9a88';
const T0 = 1_790_000_000;
const MONTH = 30 * 24 * 3600;

const plan = (id: string, credits: number, price: number, interval: 'month' | 'year' = 'month'): PlanRow => ({
  id, name: id, kind: 'subscription', credits, price_cents: price, currency: 'usd', provider_price_id: null, billing_interval: interval,
});
const STARTER = plan('sub_starter_monthly', 30, 2500);
const PRO = plan('sub_pro_monthly', 100, 7900);

const state: LocalSubscriptionState = {
  subscriptionId: 'sub_local_abc', customerId: 'cus_local_1', userId: USER, teamId: TEAM, plan: STARTER, status: 'active',
  periodStart: T0, periodEnd: T0 + MONTH, cancelAtPeriodEnd: false, canceledAt: null, created: T0,
};

Deno.test('a subscription starting: customer.subscription.created and the first invoice.paid, normalised', () => {
  const { events, invoiceId } = startEvents(state, T0);
  const [created, paid] = events.map((e) => normaliseStripeEvent(e));
  assert.deepEqual(created.kind === 'subscription_changed' && created.subscription, {
    subscription_id: 'sub_local_abc', customer_id: 'cus_local_1', status: 'active', plan_id: 'sub_starter_monthly',
    price_id: 'price_local_sub_starter_monthly', lookup_key: 'sub_starter_monthly', user_id: USER, team_id: TEAM,
    current_period_start: T0, current_period_end: T0 + MONTH, cancel_at_period_end: false, canceled_at: null, event_created: T0,
  });
  assert.equal(paid.kind, 'invoice_paid');
  assert.deepEqual(paid.kind === 'invoice_paid' && paid.invoice, {
    invoice_id: invoiceId, subscription_id: 'sub_local_abc', customer_id: 'cus_local_1', payment_intent: `pi_local_${invoiceId.slice(9)}`,
    amount_paid: 2500, amount_due: 2500, line_amount: 2500, currency: 'usd', billing_reason: 'subscription_create', period_start: T0, period_end: T0 + MONTH,
    plan_id: 'sub_starter_monthly', price_id: 'price_local_sub_starter_monthly', lookup_key: 'sub_starter_monthly', previous_price_id: null,
    previous_lookup_key: null, user_id: USER, team_id: TEAM, attempt_count: 1, next_payment_attempt: null, event_created: T0,
  });
});

Deno.test("a subscription checkout's completion is ignored: its invoice grants the credits", () => {
  const event = normaliseStripeEvent(subscriptionCheckoutCompletedEvent('cs_local_x', state, 'in_local_x', 'http://127.0.0.1:5173', T0));
  assert.equal(event.kind, 'ignored');
  assert.match(event.kind === 'ignored' ? event.why : '', /invoice\.paid grants/);
});

Deno.test('renewal, failed renewal, cancellation: the next periods and states as Stripe reports them', () => {
  const renewed = actionEvents(state, 'renew', T0 + 10).map((e) => normaliseStripeEvent(e));
  assert.deepEqual(renewed.map((e) => e.kind), ['subscription_changed', 'invoice_paid']);
  const invoice = renewed[1].kind === 'invoice_paid' ? renewed[1].invoice : null;
  assert.deepEqual([invoice?.billing_reason, invoice?.period_start, invoice?.period_end], ['subscription_cycle', T0 + MONTH, T0 + 2 * MONTH + 24 * 3600]);

  const failed = actionEvents(state, 'fail_renewal', T0 + 10).map((e) => normaliseStripeEvent(e));
  assert.deepEqual(failed.map((e) => e.kind), ['invoice_failed', 'subscription_changed']);
  assert.equal(failed[0].kind === 'invoice_failed' && failed[0].invoice.amount_paid, 0);
  assert.equal(failed[0].kind === 'invoice_failed' && failed[0].invoice.payment_intent, null);
  assert.equal(failed[1].kind === 'subscription_changed' && failed[1].subscription.status, 'past_due');

  const ended = actionEvents({ ...state, cancelAtPeriodEnd: true }, 'renew', T0 + 10).map((e) => normaliseStripeEvent(e));
  assert.deepEqual(ended.map((e) => e.kind === 'subscription_changed' && [e.eventType, e.subscription.status]), [['customer.subscription.deleted', 'canceled']]);
});

Deno.test('an upgrade is invoiced at once (subscription_update): the new price, and the old one on the unused-time line', () => {
  const events = actionEvents(state, 'change_plan', T0 + MONTH / 2, PRO).map((e) => normaliseStripeEvent(e));
  assert.deepEqual(events.map((e) => e.kind), ['subscription_changed', 'invoice_paid']);
  assert.equal(events[0].kind === 'subscription_changed' && events[0].subscription.lookup_key, 'sub_pro_monthly');
  const invoice = events[1].kind === 'invoice_paid' ? events[1].invoice : null;
  assert.equal(invoice?.billing_reason, 'subscription_update');
  assert.deepEqual([invoice?.price_id, invoice?.previous_price_id], ['price_local_sub_pro_monthly', 'price_local_sub_starter_monthly']);
  assert.deepEqual([invoice?.lookup_key, invoice?.previous_lookup_key], ['sub_pro_monthly', 'sub_starter_monthly']);
  assert.deepEqual([invoice?.period_start, invoice?.period_end], [T0 + MONTH / 2, T0 + MONTH]);
  assert.equal(invoice?.amount_paid, Math.round(7900 / 2) - Math.round(2500 / 2));
  // A downgrade waits for the next renewal: only the subscription changes.
  assert.deepEqual(actionEvents({ ...state, plan: PRO }, 'change_plan', T0 + 5, STARTER).map((e) => e.type), ['customer.subscription.updated']);
});

Deno.test('malformed subscription and invoice objects are rejected under their event id', () => {
  const noItems = normaliseStripeEvent(stripeEvent('customer.subscription.updated',
    { id: 'sub_1', object: 'subscription', customer: 'cus_1', status: 'active', cancel_at_period_end: false, metadata: {}, items: { data: [] } }, 'evt_m1'));
  assert.deepEqual([noItems.kind, noItems.eventId], ['rejected', 'evt_m1']);
  assert.match(noItems.kind === 'rejected' ? noItems.why : '', /Malformed customer\.subscription\.updated event \(items\.data/);
  const invoice = startEvents(state, T0).events[1].data.object as Record<string, unknown>;
  const negative = normaliseStripeEvent(stripeEvent('invoice.paid', { ...invoice, amount_paid: -5 }, 'evt_m2'));
  assert.deepEqual([negative.kind, negative.eventId], ['rejected', 'evt_m2']);
  const noLines = normaliseStripeEvent(stripeEvent('invoice.paid', { ...invoice, lines: { data: [] } }, 'evt_m3'));
  assert.deepEqual([noLines.kind, noLines.eventId], ['rejected', 'evt_m3']);
  const nul = normaliseStripeEvent(stripeEvent('invoice.payment_failed', { ...invoice, customer: 'cus_\u0000' }, 'evt_m4'));
  assert.match(nul.kind === 'rejected' ? nul.why : '', /invoice\.customer_id holds text Postgres cannot store/);
});

Deno.test('an invoice no subscription generated (a one-off invoice) is ignored', () => {
  const invoice = startEvents(state, T0).events[1].data.object as Record<string, unknown>;
  const event = normaliseStripeEvent(stripeEvent('invoice.paid', { ...invoice, parent: null }, 'evt_o'));
  assert.deepEqual(event, { kind: 'ignored', eventId: 'evt_o', eventType: 'invoice.paid', why: 'not a subscription invoice' });
});

Deno.test('the webhook acknowledges a completed subscription checkout with 2xx and settles nothing', () =>
  withEnv(OFFLINE_ENV, async () => {
    const event = subscriptionCheckoutCompletedEvent('cs_local_y', state, 'in_local_y', 'http://127.0.0.1:5173', Math.floor(Date.now() / 1000));
    const response = await handle(await signedWebhookRequest(event, OFFLINE_ENV.STRIPE_WEBHOOK_SECRET as string));
    assert.equal(response.status, 200);
    assert.equal((await response.json()).action, 'ignored');
  }));

Deno.test('a subscription event without its creation time (which orders the states) is rejected', () => {
  const { created: _created, ...withoutTime } = startEvents(state, T0).events[0];
  const event = normaliseStripeEvent(withoutTime, 'digest');
  assert.equal(event.kind, 'rejected');
  assert.match(event.kind === 'rejected' ? event.why : '', /created: required/);
});
