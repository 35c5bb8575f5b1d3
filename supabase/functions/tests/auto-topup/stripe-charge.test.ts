// The Stripe provider's off-session charge, against the imitation of Stripe's API: it asks for
// off_session + confirm with our metadata and the request's idempotency key, and turns Stripe's
// card_error (which carries the intent) into a decline instead of an exception.
import assert from 'node:assert/strict';
import { StripeProvider } from '../../_shared/stripe-provider.ts';
import { startStripeImitation } from '../utils/stripe-imitation.ts';

const REQUEST = '7d1b3a3e-2b7a-4f0e-8a61-1f2d3c4b5a69';

Deno.test('Stripe off-session charge: succeeded, and a declined card is a result', async () => {
  const stripe = await startStripeImitation();
  try {
    const url = new URL(stripe.baseUrl);
    const provider = new StripeProvider({ secretKey: 'sk_test_imitation', webhookSecret: 'whsec_x',
      apiBase: { host: url.hostname, port: Number(url.port), protocol: 'http' } });
    const charge = (paymentMethod: string) => provider.chargeOffSession({
      idempotencyKey: `topup:${REQUEST}`, customerId: 'cus_1', paymentMethod, amountCents: 500, currency: 'usd',
      metadata: { purpose: 'auto_topup', request_id: REQUEST, wallet_id: 'w', plan_id: 'pack_5' } });

    const paid = await charge('pm_card_visa');
    assert.equal(paid.outcome, 'succeeded');
    assert.equal(paid.amountCents, 500);
    const sent = stripe.requests[0];
    assert.equal(sent.path, '/v1/payment_intents');
    assert.equal(sent.idempotencyKey, `topup:${REQUEST}`);
    assert.deepEqual([sent.form.get('off_session'), sent.form.get('confirm'), sent.form.get('customer'), sent.form.get('metadata[purpose]')],
      ['true', 'true', 'cus_1', 'auto_topup']);

    const declined = await charge('pm_card_chargeCustomerFail');
    assert.equal(declined.outcome, 'declined');
    assert.match(declined.detail ?? '', /Your card was declined/);
    assert.match(declined.paymentIntent ?? '', /^pi_test_/);
  } finally {
    await stripe.close();
  }
});
