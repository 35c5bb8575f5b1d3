// checkout against the running local stack (Auth and REST of SUPABASE_URL; real Postgres).
import assert from 'node:assert/strict';
import { startStripeImitation } from '../utils/stripe-imitation.ts';
import { withEnv } from '../utils/env.ts';
import { jsonPost, readError } from '../utils/requests.ts';
import { legacyKeysOnly, signUpUser, stackEnv, stackServiceClient } from '../utils/stack.ts';
import { handle } from '../../checkout/index.ts';

const URL_ = 'http://localhost/functions/v1/checkout';

async function paymentsOf(userId: string) {
  const { data, error } = await stackServiceClient(stackEnv()).from('payments')
    .select('provider, provider_session_id, plan_id, credits, amount_cents, currency, status').eq('user_id', userId);
  if (error) throw new Error(error.message);
  return data as { provider: string; provider_session_id: string; plan_id: string; credits: number; amount_cents: number; currency: string; status: string }[];
}

Deno.test('without a Stripe key: a local checkout page URL and a pending payment priced from the plan', () =>
  withEnv({ STRIPE_SECRET_KEY: null }, async () => {
    const env = stackEnv();
    const user = await signUpUser(env);
    const response = await handle(jsonPost(URL_, { plan_id: 'pack_5' }, user.token));
    assert.equal(response.status, 200);
    const body = await response.json() as { url: string; session_id: string; payment_id: string; provider: string };
    assert.equal(body.provider, 'local');
    assert.match(body.session_id, /^cs_local_[A-Za-z0-9]{24}$/);
    assert.equal(body.url, `${env.siteUrl}/checkout/local?session_id=${body.session_id}`);
    assert.deepEqual(await paymentsOf(user.id), [{
      provider: 'local', provider_session_id: body.session_id, plan_id: 'pack_5', credits: 5, amount_cents: 500, currency: 'usd', status: 'pending',
    }]);
  }));

Deno.test('with the legacy anon / service_role keys only (no SUPABASE_*_KEYS lists) checkout works the same', async () => {
  const user = await signUpUser(stackEnv());
  const response = await withEnv({ ...legacyKeysOnly(), STRIPE_SECRET_KEY: null }, () => handle(jsonPost(URL_, { plan_id: 'pack_5' }, user.token)));
  assert.equal(response.status, 200);
  const body = await response.json() as { session_id: string };
  assert.deepEqual((await paymentsOf(user.id)).map((p) => [p.provider_session_id, p.status]), [[body.session_id, 'pending']]);
});

Deno.test('an unknown plan is a 400 unknown_plan and records nothing', () =>
  withEnv({ STRIPE_SECRET_KEY: null }, async () => {
    const user = await signUpUser(stackEnv());
    const error = await readError(await handle(jsonPost(URL_, { plan_id: 'pack_1000' }, user.token)));
    assert.deepEqual([error.status, error.code], [400, 'unknown_plan']);
    assert.deepEqual(await paymentsOf(user.id), []);
  }));

Deno.test('a body naming its own price is a 400 invalid_request', () =>
  withEnv({ STRIPE_SECRET_KEY: null }, async () => {
    const user = await signUpUser(stackEnv());
    const error = await readError(await handle(jsonPost(URL_, { plan_id: 'pack_5', amount_cents: 1 }, user.token)));
    assert.deepEqual([error.status, error.code], [400, 'invalid_request']);
    const notJson = new Request(URL_, { method: 'POST', headers: { Authorization: `Bearer ${user.token}` }, body: 'plan_id=pack_5' });
    assert.equal((await readError(await handle(notJson))).code, 'invalid_request');
    assert.deepEqual(await paymentsOf(user.id), []);
  }));

Deno.test('the anon key is not a signed-in user: 401 unauthorized', () =>
  withEnv({ STRIPE_SECRET_KEY: null }, async () => {
    const error = await readError(await handle(jsonPost(URL_, { plan_id: 'pack_5' }, stackEnv().anonKey)));
    assert.deepEqual([error.status, error.code], [401, 'unauthorized']);
  }));

Deno.test('with a Stripe key: a Stripe Checkout Session in payment mode, metadata and return URLs set', async () => {
  const stripe = await startStripeImitation();
  try {
    await withEnv({ STRIPE_SECRET_KEY: 'sk_test_imitation', STRIPE_API_BASE: stripe.baseUrl }, async () => {
      const env = stackEnv();
      const user = await signUpUser(env);
      const response = await handle(jsonPost(URL_, { plan_id: 'pack_10' }, user.token));
      assert.equal(response.status, 200);
      const body = await response.json() as { url: string; session_id: string; provider: string };
      assert.equal(body.provider, 'stripe');
      assert.equal(body.url, `https://checkout.stripe.com/c/pay/${body.session_id}`);

      assert.equal(stripe.requests.length, 1);
      const { path, authorization, form } = stripe.requests[0];
      assert.equal(path, '/v1/checkout/sessions');
      assert.equal(authorization, 'Bearer sk_test_imitation');
      assert.equal(form.get('mode'), 'payment');
      assert.equal(form.get('line_items[0][price_data][unit_amount]'), '900');
      assert.equal(form.get('line_items[0][price_data][currency]'), 'usd');
      assert.equal(form.get('client_reference_id'), user.id);
      assert.equal(form.get('metadata[user_id]'), user.id);
      assert.equal(form.get('metadata[plan_id]'), 'pack_10');
      assert.equal(form.get('metadata[credits]'), '10');
      assert.equal(form.get('success_url'), `${env.siteUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`);
      assert.equal(form.get('cancel_url'), `${env.siteUrl}/billing?checkout=cancelled`);

      const payments = await paymentsOf(user.id);
      assert.deepEqual(payments.map((p) => [p.provider, p.provider_session_id, p.amount_cents, p.status]),
        [['stripe', body.session_id, 900, 'pending']]);
    });
  } finally {
    await stripe.close();
  }
});

Deno.test('when Stripe refuses the session: 502 provider_error and no payment', async () => {
  const stripe = await startStripeImitation({ refuse: true });
  try {
    await withEnv({ STRIPE_SECRET_KEY: 'sk_test_imitation', STRIPE_API_BASE: stripe.baseUrl }, async () => {
      const user = await signUpUser(stackEnv());
      const error = await readError(await handle(jsonPost(URL_, { plan_id: 'pack_5' }, user.token)));
      assert.deepEqual([error.status, error.code], [502, 'provider_error']);
      assert.match(error.message, /No such price/);
      assert.deepEqual(await paymentsOf(user.id), []);
    });
  } finally {
    await stripe.close();
  }
});
