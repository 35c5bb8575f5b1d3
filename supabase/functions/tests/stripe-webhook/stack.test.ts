// The webhook against the running local stack: settles real pending payments in Postgres.
import assert from 'node:assert/strict';
import { withEnv } from '../utils/env.ts';
import { pendingLocalCheckout } from '../utils/local-checkout.ts';
import { readError } from '../utils/requests.ts';
import { balanceOf, legacyKeysOnly, lotsOf, signUpUser, stackEnv, stackServiceClient } from '../utils/stack.ts';
import { signedWebhookRequest, stripeEvent } from '../utils/webhook-events.ts';
import { handle } from '../../stripe-webhook/index.ts';

async function pendingCheckout(planId: string) {
  const env = stackEnv();
  const user = await signUpUser(env);
  return { env, user, sessionId: await pendingLocalCheckout(user.token, planId) };
}

function completed(sessionId: string, userId: string, amountTotal: number, paymentIntent: string | null, type = 'checkout.session.completed') {
  return stripeEvent(type, {
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
  // The purchase is one lot naming its payment; a pack never expires.
  assert.deepEqual(await lotsOf(env, user.id), [{ source: 'purchase', amount: 5, remaining: 5, voided: 0, expires_at: null, has_payment: true }]);

  const again = await handle(await signedWebhookRequest(event, env.webhookSecret));
  assert.equal(again.status, 200);
  assert.equal((await again.json()).replayed, true);
  assert.equal(await balanceOf(env, user.id), 5);
  assert.equal((await lotsOf(env, user.id)).length, 1);
});

Deno.test('with the legacy service_role key only (no SUPABASE_SECRET_KEYS) the webhook settles the same', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  const event = completed(sessionId, user.id, 500, `pi_${crypto.randomUUID().slice(0, 8)}`);
  const response = await withEnv(legacyKeysOnly(), async () => handle(await signedWebhookRequest(event, env.webhookSecret)));
  assert.equal(response.status, 200);
  assert.equal((await response.json()).credited, 5);
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
  // The refund voids its share of the payment's own lot.
  assert.deepEqual(await lotsOf(env, user.id), [{ source: 'purchase', amount: 5, remaining: 3, voided: 2, expires_at: null, has_payment: true }]);
});

async function post(event: unknown) {
  const response = await handle(await signedWebhookRequest(event, stackEnv().webhookSecret));
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

async function processedEvent(eventId: string) {
  // billing is not exposed by the API: a replay of the event is how the webhook sees its record.
  return await post(stripeEvent('charge.refunded', {
    id: 'ch_probe', object: 'charge', amount: 1, amount_refunded: 1, currency: 'usd', payment_intent: 'pi_probe',
  }, eventId));
}

Deno.test('a signed but malformed event is recorded as rejected and answered 2xx; redeliveries replay it', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  const { amount_total: _dropped, ...session } = completed(sessionId, user.id, 500, 'pi_x').data.object;
  const event = stripeEvent('checkout.session.completed', session);
  const first = await post(event);
  assert.equal(first.status, 200);
  assert.equal(first.body.action, 'rejected');
  assert.match(String(first.body.reason), /amount_total/);
  const again = await post(event);
  assert.deepEqual([again.status, again.body.action, again.body.replayed], [200, 'rejected', true]);
  assert.equal((await processedEvent(event.id)).body.status, 'rejected');
  assert.equal(await paymentStatus(sessionId), 'pending');
  assert.equal(await balanceOf(env, user.id), 0);
});

Deno.test('a signed body that is not JSON is recorded as rejected under its digest, not a bad signature', async () => {
  const env = stackEnv();
  const body = 'this is not json';
  const { signStripePayload } = await import('../../_shared/local-events.ts');
  const response = await handle(new Request('http://localhost/functions/v1/stripe-webhook', {
    method: 'POST', headers: { 'Stripe-Signature': await signStripePayload(body, env.webhookSecret) }, body,
  }));
  assert.equal(response.status, 200);
  const answer = await response.json();
  assert.equal(answer.action, 'rejected');
  assert.match(answer.event_id, /^unparsed_[0-9a-f]{64}$/);
});

Deno.test('a permanent SQL refusal (invalid argument) is recorded as rejected and answered 2xx', async () => {
  const { env, user } = await pendingCheckout('pack_5');
  // A session id longer than the payment functions accept: 22023 invalid_provider_session_id.
  const event = completed(`cs_${'x'.repeat(600)}`, user.id, 500, null);
  const first = await post(event);
  assert.deepEqual([first.status, first.body.action], [200, 'rejected']);
  assert.match(String(first.body.reason), /22023 invalid_provider_session_id/);
  const again = await post(event);
  assert.deepEqual([again.status, again.body.replayed], [200, true]);
  assert.equal(await balanceOf(env, user.id), 0);
});

Deno.test('a refund in another currency than the payment: 2xx, rejected with the reason, nothing reversed', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  const paymentIntent = `pi_${crypto.randomUUID().slice(0, 8)}`;
  assert.equal((await post(completed(sessionId, user.id, 500, paymentIntent))).body.credited, 5);
  const refund = await post(stripeEvent('charge.refunded', {
    id: 'ch_eur', object: 'charge', amount: 500, amount_refunded: 500, currency: 'eur', payment_intent: paymentIntent,
  }));
  assert.deepEqual([refund.status, refund.body.action, refund.body.status], [200, 'rejected', 'paid']);
  assert.equal(refund.body.reason, 'currency_mismatch: refund in eur, payment in usd');
  assert.equal(await balanceOf(env, user.id), 5);
});

Deno.test('async_payment_succeeded settles a pending payment', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  const event = completed(sessionId, user.id, 500, `pi_${crypto.randomUUID().slice(0, 8)}`, 'checkout.session.async_payment_succeeded');
  const answer = await post(event);
  assert.deepEqual([answer.status, answer.body.action, answer.body.credited], [200, 'checkout_paid', 5]);
  assert.equal(await balanceOf(env, user.id), 5);
});

// Text Postgres cannot store: NUL (JSON's \u0000) and unpaired UTF-16 surrogates (JSON's lone
// \ud800, which is not Unicode at all). A signed event carrying one in a value we would store is
// Stripe's and will never change: recorded as rejected and answered 2xx, never 400 (Stripe would
// retry it for three days). The id it is recorded under is the body's digest when its own id is
// the unstorable part, so its redeliveries replay the rejection.
Deno.test('a signed event whose id contains a NUL is recorded as rejected (200), and its redelivery replays that', async () => {
  const event = stripeEvent('charge.refunded', {
    id: 'ch_nul', object: 'charge', amount: 500, amount_refunded: 500, currency: 'usd', payment_intent: 'pi_nul',
  }, `evt_nul_${crypto.randomUUID().slice(0, 8)}\u0000tail`);
  const first = await post(event);
  assert.deepEqual([first.status, first.body.action, first.body.status], [200, 'rejected', 'rejected']);
  assert.match(String(first.body.event_id), /^unstorable_[0-9a-f]{64}$/);
  assert.match(String(first.body.reason), /id.*NUL/);
  const again = await post(event);
  assert.deepEqual([again.status, again.body.action, again.body.replayed, again.body.event_id], [200, 'rejected', true, first.body.event_id]);
});

Deno.test('NUL or a lone surrogate in any value the webhook would store: 200 rejected, the payment untouched', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  const paid = completed(sessionId, user.id, 500, `pi_${crypto.randomUUID().slice(0, 8)}`);
  const cases: [string, Record<string, unknown>][] = [
    ['payment_intent', { ...paid.data.object, payment_intent: 'pi_\u0000x' }],
    ['payment_intent', { ...paid.data.object, payment_intent: 'pi_\ud800x' }],
    ['currency', { ...paid.data.object, currency: 'us\udc00' }],
  ];
  for (const [field, object] of cases) {
    const answer = await post(stripeEvent('checkout.session.completed', object));
    assert.deepEqual([answer.status, answer.body.action], [200, 'rejected'], JSON.stringify(object[field]));
    assert.match(String(answer.body.reason), new RegExp(field));
  }
  // A lone surrogate in the id: recorded under the digest. (A type we do not handle is ignored, never stored.)
  const oddId = await post(stripeEvent('checkout.session.completed', paid.data.object, `evt_\ud83d_${crypto.randomUUID().slice(0, 8)}`));
  assert.deepEqual([oddId.status, oddId.body.action], [200, 'rejected']);
  assert.match(String(oddId.body.event_id), /^unstorable_/);
  const oddType = await post(stripeEvent('checkout.session.completed\u0000', paid.data.object));
  assert.deepEqual([oddType.status, oddType.body.action], [200, 'ignored']);
  // The session id: nothing of the pending payment changes.
  const oddSession = await post(completed(`${sessionId}\u0000`, user.id, 500, null));
  assert.deepEqual([oddSession.status, oddSession.body.action], [200, 'rejected']);
  assert.equal(await paymentStatus(sessionId), 'pending');
  assert.equal(await balanceOf(env, user.id), 0);
  // A NUL where nothing is stored (the customer's name) does not stop a real payment.
  const withName = await post({ ...paid, data: { object: { ...paid.data.object, customer_details: { name: 'Ann\u0000e' } } } });
  assert.deepEqual([withName.status, withName.body.action, withName.body.credited], [200, 'checkout_paid', 5]);
  assert.equal(await balanceOf(env, user.id), 5);
});

Deno.test('a signed completion whose id is blank or too long for the event log: rejected (200) under the digest, nothing credited', async () => {
  const { env, user, sessionId } = await pendingCheckout('pack_5');
  for (const id of ['   ', `evt_${'x'.repeat(300)}`]) {
    const answer = await post(stripeEvent('checkout.session.completed', completed(sessionId, user.id, 500, 'pi_long').data.object, id));
    assert.deepEqual([answer.status, answer.body.action], [200, 'rejected'], id.slice(0, 10));
    assert.match(String(answer.body.event_id), /^unstorable_[0-9a-f]{64}$/);
    assert.match(String(answer.body.reason), /blank or longer than 255/);
  }
  assert.equal(await paymentStatus(sessionId), 'pending');
  assert.equal(await balanceOf(env, user.id), 0);
});

Deno.test('a signed but malformed event whose type holds a NUL is still recorded as rejected (200)', async () => {
  const answer = await post({ id: `evt_${crypto.randomUUID().slice(0, 8)}`, object: 'event', type: 'bad\u0000type', data: null });
  assert.deepEqual([answer.status, answer.body.action], [200, 'rejected']);
});
