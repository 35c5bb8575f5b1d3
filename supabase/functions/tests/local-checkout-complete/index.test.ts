// local-checkout-complete's guard rails, without the database.
import assert from 'node:assert/strict';
import { OFFLINE_ENV, withEnv } from '../utils/env.ts';
import { jsonPost, readError } from '../utils/requests.ts';
import { handle } from '../../local-checkout-complete/index.ts';

const URL_ = 'http://localhost/functions/v1/local-checkout-complete';

Deno.test('refused with 403 forbidden when a real Stripe key is configured', () =>
  withEnv({ ...OFFLINE_ENV, STRIPE_SECRET_KEY: 'sk_test_configured' }, async () => {
    const error = await readError(await handle(jsonPost(URL_, { session_id: 'cs_local_abc' }, 'token')));
    assert.deepEqual([error.status, error.code], [403, 'forbidden']);
    assert.match(error.message, /STRIPE_SECRET_KEY/);
  }));

Deno.test('GET is refused with 405 method_not_allowed', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(new Request(URL_)));
    assert.deepEqual([error.status, error.code], [405, 'method_not_allowed']);
  }));

Deno.test('no bearer token: 401 unauthorized', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(jsonPost(URL_, { session_id: 'cs_local_abc' })));
    assert.deepEqual([error.status, error.code], [401, 'unauthorized']);
  }));

Deno.test('a missing webhook secret fails closed: 500 missing_env naming it', () =>
  withEnv({ ...OFFLINE_ENV, STRIPE_WEBHOOK_SECRET: null }, async () => {
    const error = await readError(await handle(jsonPost(URL_, { session_id: 'cs_local_abc' }, 'token')));
    assert.deepEqual([error.status, error.code], [500, 'missing_env']);
    assert.match(error.message, /STRIPE_WEBHOOK_SECRET/);
  }));

Deno.test('refused with 403 forbidden for a hosted SITE_URL, even without a Stripe key', () =>
  withEnv({ ...OFFLINE_ENV, SITE_URL: 'https://interviews.example.com' }, async () => {
    const error = await readError(await handle(jsonPost(URL_, { session_id: 'cs_local_abc' }, 'token')));
    assert.deepEqual([error.status, error.code], [403, 'forbidden']);
  }));

Deno.test('refused with 403 forbidden for a hosted SUPABASE_URL, even with a local SITE_URL', () =>
  withEnv({ ...OFFLINE_ENV, SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co' }, async () => {
    const error = await readError(await handle(jsonPost(URL_, { session_id: 'cs_local_abc' }, 'token')));
    assert.deepEqual([error.status, error.code], [403, 'forbidden']);
    assert.match(error.message, /SUPABASE_URL/);
  }));
