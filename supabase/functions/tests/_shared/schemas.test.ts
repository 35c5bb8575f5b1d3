// Validation of request bodies and of the Stripe objects the webhook relies on.
import assert from 'node:assert/strict';
import { normaliseStripeEvent } from '../../_shared/stripe-events.ts';
import { CheckoutBody, LocalCompleteBody } from '../../_shared/schemas.ts';
import { stripeEvent } from '../utils/webhook-events.ts';

Deno.test('checkout body: a plan id is required, nothing else is accepted', () => {
  assert.equal(CheckoutBody.safeParse({ plan_id: 'pack_5' }).success, true);
  assert.equal(CheckoutBody.safeParse({}).success, false);
  assert.equal(CheckoutBody.safeParse({ plan_id: '' }).success, false);
  assert.equal(CheckoutBody.safeParse({ plan_id: 'PACK 5; drop table' }).success, false);
  // The amount and the buyer never come from the client.
  assert.equal(CheckoutBody.safeParse({ plan_id: 'pack_5', amount: 1 }).success, false);
  assert.equal(CheckoutBody.safeParse({ plan_id: 'pack_5', user_id: 'someone' }).success, false);
});

Deno.test('local completion body: only a local session id', () => {
  assert.equal(LocalCompleteBody.safeParse({ session_id: 'cs_local_AbC123' }).success, true);
  assert.equal(LocalCompleteBody.safeParse({ session_id: 'cs_test_AbC123' }).success, false);
  assert.equal(LocalCompleteBody.safeParse({ session_id: 'cs_local_' }).success, false);
});

const USER = '2f0c1a52-6f3e-4c1e-9a57-0d7c2b9e1f11';

Deno.test('checkout.session.completed (paid) is normalised with the metadata our checkout set', () => {
  const event = normaliseStripeEvent(stripeEvent('checkout.session.completed', {
    id: 'cs_1', object: 'checkout.session', amount_total: 900, currency: 'usd', payment_status: 'paid',
    payment_intent: 'pi_1', client_reference_id: USER, metadata: { user_id: USER, plan_id: 'pack_10', credits: '10' },
  }, 'evt_1'));
  assert.deepEqual(event, {
    kind: 'checkout_paid', eventId: 'evt_1', eventType: 'checkout.session.completed', sessionId: 'cs_1', amountTotal: 900, currency: 'usd',
    paymentIntent: 'pi_1', userId: USER, planId: 'pack_10', teamId: null,
  });
});

Deno.test('a team purchase carries the team id our checkout put in the metadata; a malformed one is dropped', () => {
  const team = '7d1e4c2a-0b9f-4f6e-8a3d-5c2b1e0f9a88';
  const paid = (teamId: string) => normaliseStripeEvent(stripeEvent('checkout.session.completed', {
    id: 'cs_t', object: 'checkout.session', amount_total: 900, currency: 'usd', payment_status: 'paid',
    payment_intent: 'pi_t', client_reference_id: USER, metadata: { user_id: USER, plan_id: 'pack_10', credits: '10', team_id: teamId },
  }, 'evt_t'));
  const teamOf = (event: ReturnType<typeof paid>) => (event.kind === 'checkout_paid' ? event.teamId : 'not paid');
  assert.equal(teamOf(paid(team)), team);
  assert.equal(teamOf(paid("team'; drop table payments")), null);
});

Deno.test('the checkout body takes an optional team id, and only a UUID', () => {
  assert.equal(CheckoutBody.safeParse({ plan_id: 'pack_5', team_id: '7d1e4c2a-0b9f-4f6e-8a3d-5c2b1e0f9a88' }).success, true);
  assert.equal(CheckoutBody.safeParse({ plan_id: 'pack_5', team_id: null }).success, true);
  assert.equal(CheckoutBody.safeParse({ plan_id: 'pack_5', team_id: 'my-team' }).success, false);
});

Deno.test("a session created outside our checkout keeps no buyer or plan (it is recorded as unknown, not retried)", () => {
  const event = normaliseStripeEvent(stripeEvent('checkout.session.completed', {
    id: 'cs_3', object: 'checkout.session', amount_total: 900, currency: 'usd', payment_status: 'paid',
    payment_intent: 'pi_3', client_reference_id: 'order-42', metadata: { plan_id: 'Gold Plan!' },
  }));
  assert.equal(event.kind === 'checkout_paid' && event.userId, null);
  assert.equal(event.kind === 'checkout_paid' && event.planId, null);
});

Deno.test('an expanded payment_intent object is reduced to its id', () => {
  const event = normaliseStripeEvent(stripeEvent('checkout.session.async_payment_succeeded', {
    id: 'cs_2', object: 'checkout.session', amount_total: 500, currency: 'usd', payment_status: 'paid',
    payment_intent: { id: 'pi_2', object: 'payment_intent' }, metadata: null,
  }));
  assert.equal(event.kind === 'checkout_paid' && event.paymentIntent, 'pi_2');
});

Deno.test('charge.refunded is normalised with the cumulative refunded amount', () => {
  const event = normaliseStripeEvent(stripeEvent('charge.refunded', {
    id: 'ch_1', object: 'charge', amount: 500, amount_refunded: 250, currency: 'usd', payment_intent: 'pi_1',
  }, 'evt_r'));
  assert.deepEqual(event, { kind: 'charge_refunded', eventId: 'evt_r', paymentIntent: 'pi_1', amountRefunded: 250, currency: 'usd' });
});

Deno.test('a refund with a negative amount is malformed: rejected under its event id, not thrown', () => {
  const event = normaliseStripeEvent(stripeEvent('charge.refunded',
    { id: 'ch', object: 'charge', amount: 5, amount_refunded: -1, currency: 'usd', payment_intent: 'pi' }, 'evt_neg'));
  assert.equal(event.kind, 'rejected');
  assert.equal(event.eventId, 'evt_neg');
  assert.equal(event.eventType, 'charge.refunded');
  assert.match(event.kind === 'rejected' ? event.why : '', /amount_refunded/);
});

Deno.test('a signed body that is not an event is rejected under the digest of the body', () => {
  const event = normaliseStripeEvent({ hello: 'world' }, 'abc123');
  assert.deepEqual(event, { kind: 'rejected', eventId: 'unparsed_abc123', eventType: 'unknown', why: 'The event is not a Stripe event object.' });
});

Deno.test('async_payment_succeeded keeps its own event type', () => {
  const event = normaliseStripeEvent(stripeEvent('checkout.session.async_payment_succeeded', {
    id: 'cs_a', object: 'checkout.session', amount_total: 500, currency: 'usd', payment_status: 'paid', payment_intent: 'pi_a',
  }, 'evt_a'));
  assert.equal(event.kind === 'checkout_paid' ? event.eventType : event.kind, 'checkout.session.async_payment_succeeded');
});

Deno.test('expired and failed-async sessions are normalised as checkout failures', () => {
  const session = { id: 'cs_4', object: 'checkout.session', amount_total: 500, currency: 'usd', payment_status: 'unpaid', payment_intent: null };
  assert.deepEqual(normaliseStripeEvent(stripeEvent('checkout.session.expired', session, 'evt_e')),
    { kind: 'checkout_failed', eventId: 'evt_e', sessionId: 'cs_4', reason: 'expired' });
  assert.deepEqual(normaliseStripeEvent(stripeEvent('checkout.session.async_payment_failed', session, 'evt_f')),
    { kind: 'checkout_failed', eventId: 'evt_f', sessionId: 'cs_4', reason: 'async_payment_failed' });
});
