// billing-portal's guard rails, without the database.
import assert from 'node:assert/strict';
import { OFFLINE_ENV, withEnv } from '../utils/env.ts';
import { jsonPost, readError } from '../utils/requests.ts';
import { handle } from '../../billing-portal/index.ts';

const URL_ = 'http://localhost/functions/v1/billing-portal';

Deno.test('no bearer token: 401 unauthorized', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(jsonPost(URL_, {})));
    assert.deepEqual([error.status, error.code], [401, 'unauthorized']);
  }));

Deno.test('a hosted project without STRIPE_SECRET_KEY fails closed: 500 missing_env, no local portal', () =>
  withEnv({ ...OFFLINE_ENV, SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co' }, async () => {
    const error = await readError(await handle(jsonPost(URL_, {}, 'token')));
    assert.deepEqual([error.status, error.code], [500, 'missing_env']);
  }));
