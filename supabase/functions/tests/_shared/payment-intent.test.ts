// Off-session charges in one vocabulary: the PaymentIntent Stripe answers (or throws inside a
// StripeCardError) and the payment_intent.* events it sends become succeeded / declined /
// authentication_required, or "not final"; only our auto top-up's intents settle a top-up, and a
// checkout's intent that saved the card records it.
import assert from 'node:assert/strict';
import { chargeResultOf, type StripePaymentIntent } from '../../_shared/payment-intent.ts';
import { localOffSessionIntent } from '../../_shared/local-events.ts';
import { normaliseStripeEvent } from '../../_shared/stripe-events.ts';
import { stripeEvent } from '../utils/webhook-events.ts';

const REQUEST = '7d1b3a3e-2b7a-4f0e-8a61-1f2d3c4b5a69';
const USER = '2f0c1a52-6f3e-4c1e-9a57-0d7c2b9e1f11';

function intent(fields: Partial<StripePaymentIntent>): StripePaymentIntent {
  return {
    id: 'pi_1', object: 'payment_intent', status: 'succeeded', amount: 500, amount_received: 500, currency: 'USD',
    customer: 'cus_1', payment_method: 'pm_1', setup_future_usage: null,
    metadata: { purpose: 'auto_topup', request_id: REQUEST, wallet_id: USER, plan_id: 'pack_5' }, last_payment_error: null,
    ...fields,
  };
}

Deno.test('a succeeded intent is a success with the amount received, currency in lower case', () => {
  assert.deepEqual(chargeResultOf(intent({})),
    { outcome: 'succeeded', paymentIntent: 'pi_1', amountCents: 500, currency: 'usd', detail: null });
});

Deno.test("a declined card (the StripeCardError's intent) is declined with the bank's words", () => {
  const result = chargeResultOf(intent({ status: 'requires_payment_method', amount_received: 0,
    last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } }), 'card_declined');
  assert.equal(result.outcome, 'declined');
  assert.equal(result.detail, 'Your card has insufficient funds. (insufficient_funds)');
});

Deno.test('authentication required, by status or by error code, is its own outcome', () => {
  assert.equal(chargeResultOf(intent({ status: 'requires_action' })).outcome, 'authentication_required');
  assert.equal(chargeResultOf(intent({ status: 'requires_payment_method',
    last_payment_error: { code: 'authentication_required', message: 'This transaction requires authentication.' } })).outcome,
    'authentication_required');
});

Deno.test('processing is not final: nothing settles until the webhook says', () => {
  assert.equal(chargeResultOf(intent({ status: 'processing' })).outcome, null);
});

Deno.test('the local provider plays the three test cards, one intent id per idempotency key', async () => {
  const charge = (paymentMethod: string, key = 'topup:1') => localOffSessionIntent({
    idempotencyKey: key, customerId: 'cus_local_x', paymentMethod, amountCents: 500, currency: 'usd',
    metadata: { purpose: 'auto_topup', request_id: REQUEST, wallet_id: USER, plan_id: 'pack_5' } });
  assert.equal(chargeResultOf(await charge('pm_card_visa')).outcome, 'succeeded');
  assert.equal(chargeResultOf(await charge('pm_card_chargeCustomerFail')).outcome, 'declined');
  assert.equal(chargeResultOf(await charge('pm_card_authenticationRequired')).outcome, 'authentication_required');
  assert.equal((await charge('pm_card_visa')).id, (await charge('pm_card_visa')).id);
  assert.notEqual((await charge('pm_card_visa')).id, (await charge('pm_card_visa', 'topup:2')).id);
});

Deno.test('payment_intent events of an auto top-up settle it; failures say why', () => {
  assert.deepEqual(normaliseStripeEvent(stripeEvent('payment_intent.succeeded', intent({}), 'evt_1')), {
    kind: 'topup_charge', eventId: 'evt_1', eventType: 'payment_intent.succeeded', requestId: REQUEST, outcome: 'succeeded',
    paymentIntent: 'pi_1', amountCents: 500, currency: 'usd', detail: null,
  });
  const failed = normaliseStripeEvent(stripeEvent('payment_intent.payment_failed', intent({ status: 'requires_payment_method',
    last_payment_error: { code: 'card_declined', message: 'Your card was declined.' } }), 'evt_2'));
  assert.equal(failed.kind === 'topup_charge' && failed.outcome, 'declined');
});

Deno.test("other intents: a checkout's saved card is recorded, anything else is ignored", () => {
  const checkout = intent({ id: 'pi_2', setup_future_usage: 'off_session', metadata: { user_id: USER, plan_id: 'pack_5' } });
  assert.deepEqual(normaliseStripeEvent(stripeEvent('payment_intent.succeeded', checkout, 'evt_3')), {
    kind: 'card_saved', eventId: 'evt_3', walletId: USER, provider: 'stripe', customerId: 'cus_1', paymentMethod: 'pm_1',
  });
  const team = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
  const teamCard = normaliseStripeEvent(stripeEvent('payment_intent.succeeded',
    { ...checkout, customer: 'cus_local_abc', metadata: { user_id: USER, team_id: team, plan_id: 'pack_5' } }, 'evt_4'));
  assert.equal(teamCard.kind === 'card_saved' && `${teamCard.walletId} ${teamCard.provider}`, `${team} local`);
  for (const other of [intent({ metadata: { purpose: 'something else' } }), intent({ metadata: { user_id: USER } })]) {
    assert.equal(normaliseStripeEvent(stripeEvent('payment_intent.succeeded', other, 'evt_5')).kind, 'ignored');
  }
  assert.equal(normaliseStripeEvent(stripeEvent('payment_intent.payment_failed', checkout, 'evt_6')).kind, 'ignored');
});
