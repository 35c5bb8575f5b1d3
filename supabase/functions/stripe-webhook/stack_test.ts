// The webhook against the running local stack: settles real pending payments in Postgres.
import assert from 'node:assert/strict';
import { handle as checkout } from '../checkout/index.ts';
import {
  balanceOf, jsonPost, readError, signedWebhookRequest, signUpUser, stackEnv, stackServiceClient, stripeEvent, withEnv,
} from '../_shared/testing.ts';
import { handle } from './index.ts';

async function pendingCheckout(planId: string) {
  const env = stackEnv();
  const user = await signUpUser(env);
  const response = await withEnv({ STRIPE_SECRET_KEY: null }, () =>
    checkout(jsonPost('http://localhost/functions/v1/checkout', { plan_id: planId }, user.token)));
  assert.equal(response.status, 200);
  const { session_id } = await response.json() as { session_id: string };
  return { env, user, sessionId: session_id };
}

function completed(sessionId: string, userId: string, amountTotal: number, paymentIntent: string) {
  return stripeEvent('checkout.session.completed', {
    id: sessionId, object: 'checkout.session', amount_total: amountTotal, currency: 'usd', payment_status: 'paid',
    payment_intent: paymentIntent, client_reference_id: userId, metadata: { user_id: userId, plan_id: 'pack_5', credits: '5' },
  });
}

async function paymentStatus(sessionId: string): Promise<string> {
  const { data, error } = await stackServiceClient(stackEnv()).from('payments').select('status').eq('provider_session_id', sessionId).single();
  if (error) throw new Error(error.message);
  return (data as { status: string }).status;
}

Deno.test('a signed completion credits the plan once; the same event again is a no-op', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  const event = completed(sessionId, user.id, 500, `pi_${crypto.randomUUID().slice(0, 8)}`);

  const first = await handle(await signedWebhookRequest(event, env.webhookSecret));
  assert.equal(first.status, 200);
  const body = await first.json();
  assert.equal(body.action, 'checkout_paid');
  assert.equal(body.status, 'paid');
  assert.equal(body.credited, 5);
  assert.equal(await balanceOf(env, user.id), 5);

  const again = await handle(await signedWebhookRequest(event, env.webhookSecret));
  assert.equal(again.status, 200);
  assert.equal((await again.json()).replayed, true);
  assert.equal(await balanceOf(env, user.id), 5);
});

Deno.test('a bad signature on a real pending payment changes nothing', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  const event = completed(sessionId, user.id, 500, 'pi_forged');
  const error = await readError(await handle(await signedWebhookRequest(event, 'whsec_forged_by_someone')));
  assert.deepEqual([error.status, error.code], [400, 'bad_signature']);
  assert.equal(await paymentStatus(sessionId), 'pending');
  assert.equal(await balanceOf(env, user.id), 0);
});

Deno.test('a paid amount that does not match the plan: 2xx, payment failed, nothing credited', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  const response = await handle(await signedWebhookRequest(completed(sessionId, user.id, 50, `pi_${crypto.randomUUID().slice(0, 8)}`), env.webhookSecret));
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.status, 'failed');
  assert.match(body.failure_reason, /amount_mismatch: paid 50 usd, expected 500 usd/);
  assert.equal(await balanceOf(env, user.id), 0);
});

Deno.test('charge.refunded takes back the refunded share of the credits', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  const paymentIntent = `pi_${crypto.randomUUID().slice(0, 8)}`;
  await (await handle(await signedWebhookRequest(completed(sessionId, user.id, 500, paymentIntent), env.webhookSecret))).body?.cancel();
  const refund = stripeEvent('charge.refunded', {
    id: 'ch_1', object: 'charge', amount: 500, amount_refunded: 200, currency: 'usd', payment_intent: paymentIntent,
  });
  const response = await handle(await signedWebhookRequest(refund, env.webhookSecret));
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.action, 'charge_refunded');
  assert.equal(body.status, 'partially_refunded');
  assert.equal(await balanceOf(env, user.id), 3);
});
