// local-subscription's guard rails, without the database: refused exactly like
// local-checkout-complete when Stripe is configured or the stack is not local.
import assert from 'node:assert/strict';
import { OFFLINE_ENV, withEnv } from '../utils/env.ts';
import { jsonPost, readError } from '../utils/requests.ts';
import { handle } from '../../local-subscription/index.ts';

const URL_ = 'http://localhost/functions/v1/local-subscription';
const RENEW = { action: 'renew', subscription_id: '2f0c1a52-6f3e-4c1e-9a57-0d7c2b9e1f11' };

Deno.test('refused with 403 forbidden when a real Stripe key is configured', () =>
  withEnv({ ...OFFLINE_ENV, STRIPE_SECRET_KEY: 'sk_test_configured' }, async () => {
    const error = await readError(await handle(jsonPost(URL_, RENEW, 'token')));
    assert.deepEqual([error.status, error.code], [403, 'forbidden']);
    assert.match(error.message, /STRIPE_SECRET_KEY/);
  }));

Deno.test('refused with 403 forbidden for a hosted SITE_URL or SUPABASE_URL, even without a Stripe key', () =>
  withEnv({ ...OFFLINE_ENV, SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co' }, async () => {
    const error = await readError(await handle(jsonPost(URL_, RENEW, 'token')));
    assert.deepEqual([error.status, error.code], [403, 'forbidden']);
    assert.match(error.message, /SUPABASE_URL/);
    const hostedSite = await withEnv({ SUPABASE_URL: OFFLINE_ENV.SUPABASE_URL, SITE_URL: 'https://interviews.example.com' },
      async () => readError(await handle(jsonPost(URL_, RENEW, 'token'))));
    assert.deepEqual([hostedSite.status, hostedSite.code], [403, 'forbidden']);
  }));

Deno.test('no bearer token: 401 unauthorized', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(jsonPost(URL_, RENEW)));
    assert.deepEqual([error.status, error.code], [401, 'unauthorized']);
  }));
