// The local "Pay" button against the running stack: it signs an event and delivers it to the
// stack's own /functions/v1/stripe-webhook, so this exercises the full production path.
import assert from 'node:assert/strict';
import { withEnv } from '../utils/env.ts';
import { pendingLocalCheckout } from '../utils/local-checkout.ts';
import { jsonPost, readError } from '../utils/requests.ts';
import { balanceOf, legacyKeysOnly, signUpUser, stackEnv } from '../utils/stack.ts';
import { handle } from '../../local-checkout-complete/index.ts';

const URL_ = 'http://localhost/functions/v1/local-checkout-complete';

Deno.test('the owner pays: the webhook credits the plan; paying again credits nothing more', () =>
  withEnv({ STRIPE_SECRET_KEY: null }, async () => {
    const env = stackEnv();
    const user = await signUpUser(env);
    const sessionId = await pendingLocalCheckout(user.token, 'pack_10');

    const response = await handle(jsonPost(URL_, { session_id: sessionId }, user.token));
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.session_id, sessionId);
    assert.equal(body.status, 'paid');
    assert.equal(body.credited, 10);
    assert.equal(await balanceOf(env, user.id), 10);

    const again = await handle(jsonPost(URL_, { session_id: sessionId }, user.token));
    assert.equal(again.status, 200);
    assert.equal((await again.json()).credited, 0);
    assert.equal(await balanceOf(env, user.id), 10);
  }));

Deno.test('with the legacy anon / service_role keys only the owner pays the same', async () => {
  const env = stackEnv();
  const user = await signUpUser(env);
  await withEnv({ ...legacyKeysOnly(), STRIPE_SECRET_KEY: null }, async () => {
    const sessionId = await pendingLocalCheckout(user.token);
    const response = await handle(jsonPost(URL_, { session_id: sessionId }, user.token));
    assert.equal(response.status, 200);
    assert.equal((await response.json()).credited, 5);
  });
  assert.equal(await balanceOf(env, user.id), 5);
});

Deno.test("a user cannot complete someone else's checkout", () =>
  withEnv({ STRIPE_SECRET_KEY: null }, async () => {
    const env = stackEnv();
    const owner = await signUpUser(env);
    const intruder = await signUpUser(env);
    const sessionId = await pendingLocalCheckout(owner.token);
    const error = await readError(await handle(jsonPost(URL_, { session_id: sessionId }, intruder.token)));
    assert.deepEqual([error.status, error.code], [403, 'forbidden']);
    assert.equal(await balanceOf(env, owner.id), 0);
    assert.equal(await balanceOf(env, intruder.id), 0);
  }));

Deno.test('an unknown session is a 404 not_found', () =>
  withEnv({ STRIPE_SECRET_KEY: null }, async () => {
    const user = await signUpUser(stackEnv());
    const error = await readError(await handle(jsonPost(URL_, { session_id: 'cs_local_doesnotexist' }, user.token)));
    assert.deepEqual([error.status, error.code], [404, 'not_found']);
  }));
