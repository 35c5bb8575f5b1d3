// Subscriptions on the Stripe path, against the running local stack and an imitation of Stripe's
// API: the checkout of a subscription plan (mode subscription, a recurring price, the metadata on
// the subscription), an invoice.paid as Stripe delivers it (price id only, no payment intent: the
// webhook asks Stripe for both), and the customer portal.
import assert from 'node:assert/strict';
import { startStripeImitation } from '../utils/stripe-imitation.ts';
import { withEnv } from '../utils/env.ts';
import { jsonPost } from '../utils/requests.ts';
import { balanceOf, signUpUser, stackEnv, stackServiceClient } from '../utils/stack.ts';
import { signedWebhookRequest, stripeEvent } from '../utils/webhook-events.ts';
import { handle as checkout } from '../../checkout/index.ts';
import { handle as portal } from '../../billing-portal/index.ts';
import { handle as webhook } from '../../stripe-webhook/index.ts';

Deno.test('with a Stripe key: a subscription plan opens a Checkout Session in subscription mode and records the open checkout', async () => {
  const stripe = await startStripeImitation();
  try {
    await withEnv({ STRIPE_SECRET_KEY: 'sk_test_imitation', STRIPE_API_BASE: stripe.baseUrl }, async () => {
      const env = stackEnv();
      const user = await signUpUser(env);
      const response = await checkout(jsonPost('http://localhost/functions/v1/checkout', { plan_id: 'sub_pro_yearly' }, user.token));
      assert.equal(response.status, 200);
      const body = await response.json() as { session_id: string; subscription_id: string; mode: string };
      assert.equal(body.mode, 'subscription');
      const { form } = stripe.requests[0];
      assert.deepEqual([form.get('mode'), form.get('line_items[0][price_data][recurring][interval]'), form.get('line_items[0][price_data][unit_amount]')],
        ['subscription', 'year', '79000']);
      assert.deepEqual([form.get('subscription_data[metadata][user_id]'), form.get('subscription_data[metadata][plan_id]')], [user.id, 'sub_pro_yearly']);
      assert.equal(form.get('success_url'), `${env.siteUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}&mode=subscription`);
      const { data } = await stackServiceClient(env).from('subscriptions').select('id, status, provider, checkout_session_id').eq('user_id', user.id);
      assert.deepEqual(data, [{ id: body.subscription_id, status: 'incomplete', provider: 'stripe', checkout_session_id: body.session_id }]);
    });
  } finally {
    await stripe.close();
  }
});

Deno.test("with a Stripe key: Stripe's own invoice.paid (price id only) is completed from Stripe's API, then the portal opens for its customer", async () => {
  const priceId = `price_${crypto.randomUUID().slice(0, 8)}`;
  const stripe = await startStripeImitation({ lookupKeys: { [priceId]: 'sub_starter_monthly' } });
  try {
    await withEnv({ STRIPE_SECRET_KEY: 'sk_test_imitation', STRIPE_API_BASE: stripe.baseUrl }, async () => {
      const env = stackEnv();
      const user = await signUpUser(env);
      const subscription = `sub_${crypto.randomUUID().replaceAll('-', '')}`;
      const invoice = `in_${crypto.randomUUID().replaceAll('-', '')}`;
      const start = Math.floor(Date.now() / 1000);
      const paid = stripeEvent('invoice.paid', {
        id: invoice, object: 'invoice', customer: 'cus_imitation', currency: 'usd', amount_paid: 2500, amount_due: 2500,
        billing_reason: 'subscription_create',
        // Metadata names another plan on purpose: the price's lookup key wins (a plan changed in the portal).
        parent: { type: 'subscription_details', subscription_details: { subscription, metadata: { user_id: user.id, plan_id: 'sub_pro_monthly' } } },
        lines: { data: [{ amount: 2500, period: { start, end: start + 30 * 86400 }, pricing: { price_details: { price: priceId } },
          parent: { type: 'subscription_item_details', subscription_item_details: { proration: false } } }] },
      });
      const answer = await (await webhook(await signedWebhookRequest(paid, env.webhookSecret))).json();
      assert.equal(answer.action, 'invoice_paid');
      assert.equal(await balanceOf(env, user.id), 30);
      assert.deepEqual(stripe.requests.map((r) => `${r.path}?${r.form}`).sort(), [`/v1/invoice_payments?invoice=${invoice}&status=paid&limit=1`, `/v1/prices/${priceId}?`]);
      const { data } = await stackServiceClient(env).from('payments').select('provider_payment_intent, credits').eq('provider_session_id', invoice);
      assert.deepEqual(data, [{ provider_payment_intent: `pi_of_${invoice}`, credits: 30 }]);

      // The subscription's own event names its customer, whom the portal opens for.
      const created = stripeEvent('customer.subscription.created', {
        id: subscription, object: 'subscription', customer: 'cus_imitation', status: 'active', cancel_at_period_end: false, canceled_at: null,
        metadata: { user_id: user.id, plan_id: 'sub_starter_monthly' },
        items: { data: [{ current_period_start: start, current_period_end: start + 30 * 86400, price: { id: priceId, lookup_key: 'sub_starter_monthly' } }] },
      });
      assert.equal((await (await webhook(await signedWebhookRequest(created, env.webhookSecret))).json()).action, 'subscription_changed');
      const opened = await portal(jsonPost('http://localhost/functions/v1/billing-portal', {}, user.token));
      const body = await opened.json() as { url: string; provider: string };
      assert.equal(body.provider, 'stripe');
      assert.match(body.url, /^https:\/\/billing\.stripe\.com\/p\/session\/bps_test_/);
      const { form } = stripe.requests.at(-1)!;
      assert.deepEqual([form.get('customer'), form.get('return_url')], ['cus_imitation', `${env.siteUrl}/billing?workspace=personal`]);
    });
  } finally {
    await stripe.close();
  }
});
