// checkout's guard rails, without the database (the API is unreachable in these tests).
import assert from 'node:assert/strict';
import { OFFLINE_ENV, withEnv } from '../utils/env.ts';
import { jsonPost, readError } from '../utils/requests.ts';
import { handle } from '../../checkout/index.ts';

const URL_ = 'http://localhost/functions/v1/checkout';

Deno.test('GET is refused with 405 method_not_allowed', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(new Request(URL_)));
    assert.deepEqual([error.status, error.code], [405, 'method_not_allowed']);
  }));

Deno.test('the browser preflight gets 204 with CORS headers', () =>
  withEnv(OFFLINE_ENV, async () => {
    const response = await handle(new Request(URL_, { method: 'OPTIONS' }));
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
    assert.match(response.headers.get('Access-Control-Allow-Headers') ?? '', /authorization/);
  }));

Deno.test('errors carry CORS headers too, so the SPA can read the code', () =>
  withEnv(OFFLINE_ENV, async () => {
    const response = await handle(new Request(URL_));
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
    await response.body?.cancel();
  }));

Deno.test('no bearer token: 401 unauthorized before anything else happens', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(jsonPost(URL_, { plan_id: 'pack_5' })));
    assert.deepEqual([error.status, error.code], [401, 'unauthorized']);
  }));

Deno.test('a missing SITE_URL fails closed: 500 missing_env naming it', () =>
  withEnv({ ...OFFLINE_ENV, SITE_URL: null }, async () => {
    const error = await readError(await handle(jsonPost(URL_, { plan_id: 'pack_5' }, 'token')));
    assert.deepEqual([error.status, error.code], [500, 'missing_env']);
    assert.match(error.message, /SITE_URL/);
  }));

Deno.test('the Auth API being down is a 503, not a sign-in problem', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(jsonPost(URL_, { plan_id: 'pack_5' }, 'some.jwt.token')));
    assert.equal(error.status, 503);
  }));

Deno.test('no Stripe key on a hosted site fails closed: 500 missing_env naming STRIPE_SECRET_KEY', () =>
  withEnv({ ...OFFLINE_ENV, SITE_URL: 'https://interviews.example.com' }, async () => {
    const error = await readError(await handle(jsonPost(URL_, { plan_id: 'pack_5' }, 'token')));
    assert.deepEqual([error.status, error.code], [500, 'missing_env']);
    assert.match(error.message, /STRIPE_SECRET_KEY/);
  }));

Deno.test('no Stripe key with a hosted SUPABASE_URL fails closed, even when SITE_URL is local', () =>
  withEnv({ ...OFFLINE_ENV, SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co' }, async () => {
    const error = await readError(await handle(jsonPost(URL_, { plan_id: 'pack_5' }, 'token')));
    assert.deepEqual([error.status, error.code], [500, 'missing_env']);
    assert.match(error.message, /STRIPE_SECRET_KEY.*SUPABASE_URL is not a local address/);
  }));
