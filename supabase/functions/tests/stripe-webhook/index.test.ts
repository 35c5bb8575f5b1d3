// The webhook's guard rails, without the database: the API is unreachable in these tests, so any
// answer other than the expected 4xx/2xx would show that the function went on to settle.
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { OFFLINE_ENV, withEnv } from '../utils/env.ts';
import { readError } from '../utils/requests.ts';
import { signedWebhookRequest, stripeEvent } from '../utils/webhook-events.ts';
import { handle } from '../../stripe-webhook/index.ts';

const SECRET = OFFLINE_ENV.STRIPE_WEBHOOK_SECRET as string;

const paidSession = {
  id: 'cs_test_guard',
  object: 'checkout.session',
  amount_total: 500,
  currency: 'usd',
  payment_status: 'paid',
  payment_intent: 'pi_test_guard',
  client_reference_id: '00000000-0000-4000-8000-000000000000',
  metadata: { plan_id: 'pack_5' },
};

function offline<T>(fn: () => Promise<T>): Promise<T> {
  return withEnv(OFFLINE_ENV, fn);
}

Deno.test('a validly signed event of a type we do not handle is acknowledged with 2xx', () =>
  offline(async () => {
    const response = await handle(await signedWebhookRequest(stripeEvent('customer.created', { id: 'cus_1', object: 'customer' }), SECRET));
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.action, 'ignored');
    assert.equal(body.event_type, 'customer.created');
  }));

Deno.test('a completed but unpaid session (delayed payment method) is acknowledged and not settled', () =>
  offline(async () => {
    const event = stripeEvent('checkout.session.completed', { ...paidSession, payment_status: 'unpaid' });
    const response = await handle(await signedWebhookRequest(event, SECRET));
    assert.equal(response.status, 200);
    assert.equal((await response.json()).action, 'ignored');
  }));

Deno.test('a signature made with another secret is refused with 400 bad_signature', () =>
  offline(async () => {
    const event = stripeEvent('checkout.session.completed', paidSession);
    const response = await handle(await signedWebhookRequest(event, 'whsec_someone_else'));
    assert.deepEqual(await readError(response).then((e) => [e.status, e.code]), [400, 'bad_signature']);
  }));

Deno.test('a signature older than the tolerance (replayed delivery) is refused', () =>
  offline(async () => {
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const event = stripeEvent('checkout.session.completed', paidSession);
    const error = await readError(await handle(await signedWebhookRequest(event, SECRET, { timestamp: tenMinutesAgo })));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'bad_signature');
    assert.match(error.message, /tolerance/i);
  }));

Deno.test('a request without Stripe-Signature is refused', () =>
  offline(async () => {
    const request = new Request('http://localhost/functions/v1/stripe-webhook', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(stripeEvent('checkout.session.completed', paidSession)),
    });
    const error = await readError(await handle(request));
    assert.deepEqual([error.status, error.code], [400, 'bad_signature']);
    assert.match(error.message, /Missing Stripe-Signature/);
  }));

Deno.test('a body changed after signing (amount raised) is refused', () =>
  offline(async () => {
    const event = stripeEvent('checkout.session.completed', paidSession);
    const request = await signedWebhookRequest(event, SECRET, { tamper: (body) => body.replace('"amount_total":500', '"amount_total":5') });
    const error = await readError(await handle(request));
    assert.deepEqual([error.status, error.code], [400, 'bad_signature']);
  }));

Deno.test('re-serialised JSON (same data, different bytes) fails: the raw body is what is verified', () =>
  offline(async () => {
    const event = stripeEvent('customer.created', { id: 'cus_2', object: 'customer' });
    const request = await signedWebhookRequest(event, SECRET, { tamper: (body) => JSON.stringify(JSON.parse(body), null, 2) });
    assert.equal((await readError(await handle(request))).code, 'bad_signature');
  }));

Deno.test('a signed but malformed event is settled as rejected, so it needs the database (unreachable here: 500, retried)', () =>
  offline(async () => {
    const { amount_total: _dropped, ...withoutAmount } = paidSession;
    const event = stripeEvent('checkout.session.completed', withoutAmount);
    const error = await readError(await handle(await signedWebhookRequest(event, SECRET)));
    assert.deepEqual([error.status, error.code], [500, 'internal_error']);
  }));

Deno.test('GET is refused with 405 method_not_allowed', () =>
  offline(async () => {
    const error = await readError(await handle(new Request('http://localhost/functions/v1/stripe-webhook')));
    assert.deepEqual([error.status, error.code], [405, 'method_not_allowed']);
  }));

Deno.test('a missing webhook secret fails closed: 500 missing_env naming the variable', () =>
  withEnv({ ...OFFLINE_ENV, STRIPE_WEBHOOK_SECRET: null }, async () => {
    const event = stripeEvent('checkout.session.completed', paidSession);
    const error = await readError(await handle(await signedWebhookRequest(event, SECRET)));
    assert.deepEqual([error.status, error.code], [500, 'missing_env']);
    assert.match(error.message, /STRIPE_WEBHOOK_SECRET/);
  }));

Deno.test('every missing variable is named at once', () =>
  withEnv({ ...OFFLINE_ENV, SUPABASE_URL: null, SUPABASE_SECRET_KEYS: null }, async () => {
    const error = await readError(await handle(await signedWebhookRequest(stripeEvent('x.y', {}), SECRET)));
    assert.equal(error.code, 'missing_env');
    assert.match(error.message, /SUPABASE_URL, SUPABASE_SECRET_KEYS \(or SUPABASE_SERVICE_ROLE_KEY\)/);
  }));

Deno.test('a hosted API (SUPABASE_URL) without STRIPE_SECRET_KEY is a configuration error, even with a local SITE_URL', () =>
  withEnv({ ...OFFLINE_ENV, SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co' }, async () => {
    const error = await readError(await handle(await signedWebhookRequest(stripeEvent('x.y', {}), SECRET)));
    assert.deepEqual([error.status, error.code], [500, 'missing_env']);
    assert.match(error.message, /SUPABASE_URL is not a local address/);
  }));

Deno.test('a hosted site without STRIPE_SECRET_KEY is a configuration error, not a free checkout', () =>
  withEnv({ ...OFFLINE_ENV, SITE_URL: 'https://interviews.example.com' }, async () => {
    const error = await readError(await handle(await signedWebhookRequest(stripeEvent('x.y', {}), SECRET)));
    assert.deepEqual([error.status, error.code], [500, 'missing_env']);
  }));

// The signature's timestamp: at most five minutes old (Stripe's own check) and, as Stripe's SDK
// does not check it, at most five minutes ahead. The clock is held still so the boundaries are exact.
async function atFixedClock<T>(fn: (nowSeconds: number) => Promise<T>): Promise<T> {
  const realNow = Date.now;
  const fixed = realNow();
  Date.now = () => fixed;
  try {
    return await fn(Math.floor(fixed / 1000));
  } finally {
    Date.now = realNow;
  }
}

async function signedAt(timestamp: number): Promise<Request> {
  const body = JSON.stringify(stripeEvent('customer.created', { id: 'cus_clock', object: 'customer' }));
  // As Stripe's own tests sign: generateTestHeaderString with an explicit timestamp.
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload: body, secret: SECRET, timestamp, cryptoProvider: Stripe.createSubtleCryptoProvider() });
  return new Request('http://localhost/functions/v1/stripe-webhook', { method: 'POST', headers: { 'Stripe-Signature': header }, body });
}

Deno.test('a signature dated an hour ahead is refused as a bad signature (400), before anything is settled', () =>
  offline(() => atFixedClock(async (now) => {
    const error = await readError(await handle(await signedAt(now + 3600)));
    assert.deepEqual([error.status, error.code], [400, 'bad_signature']);
    assert.match(error.message, /future|tolerance/i);
  })));

Deno.test('timestamps at the boundaries: ±300 s is accepted, ±301 s is refused', () =>
  offline(() => atFixedClock(async (now) => {
    for (const offset of [300, -300, 0]) {
      const response = await handle(await signedAt(now + offset));
      assert.equal(response.status, 200, `offset ${offset}`);
      assert.equal((await response.json()).action, 'ignored');
    }
    for (const offset of [301, -301]) {
      const error = await readError(await handle(await signedAt(now + offset)));
      assert.deepEqual([error.status, error.code], [400, 'bad_signature'], `offset ${offset}`);
    }
  })));

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
}

Deno.test('a correctly signed header whose timestamp is not a number (t=abc, signed as "NaN.") is refused', () =>
  offline(async () => {
    const body = JSON.stringify(stripeEvent('customer.created', { id: 'cus_nan', object: 'customer' }));
    // Stripe's SDK parses t=abc as NaN, signs "NaN.<body>" and never finds NaN too old.
    const header = `t=abc,v1=${await hmacHex(SECRET, `NaN.${body}`)}`;
    const error = await readError(await handle(new Request('http://localhost/', { method: 'POST', headers: { 'Stripe-Signature': header }, body })));
    assert.deepEqual([error.status, error.code], [400, 'bad_signature']);
  }));

Deno.test('two timestamps in one header: the one that was signed (the last) is the one checked', () =>
  offline(() => atFixedClock(async (now) => {
    const body = JSON.stringify(stripeEvent('customer.created', { id: 'cus_two_t', object: 'customer' }));
    const ahead = now + 3600;
    const header = `t=${now},t=${ahead},v1=${await hmacHex(SECRET, `${ahead}.${body}`)}`;
    const error = await readError(await handle(new Request('http://localhost/', { method: 'POST', headers: { 'Stripe-Signature': header }, body })));
    assert.deepEqual([error.status, error.code], [400, 'bad_signature']);
  })));

Deno.test('a 100 kB Stripe-Signature header or a garbage one is a bad signature (400), not a crash', () =>
  offline(async () => {
    const body = JSON.stringify(stripeEvent('customer.created', { id: 'cus_big', object: 'customer' }));
    for (const header of [`t=${Math.floor(Date.now() / 1000)},${'v1=00,'.repeat(17_000)}`, 'x'.repeat(100_000), ',,,=,=', 't=,v1=', 't=1e3,v1=ab']) {
      const error = await readError(await handle(new Request('http://localhost/', { method: 'POST', headers: { 'Stripe-Signature': header }, body })));
      assert.deepEqual([error.status, error.code], [400, 'bad_signature'], header.slice(0, 20));
    }
  }));
