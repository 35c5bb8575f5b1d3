// send-email's guard rails, without the database (the API is unreachable in these tests).
import assert from 'node:assert/strict';
import { OFFLINE_ENV, withEnv } from '../utils/env.ts';
import { startEmailApiImitation } from '../utils/email-api-imitation.ts';
import { jsonPost, readError } from '../utils/requests.ts';
import { handle } from '../../send-email/index.ts';

const URL_ = 'http://localhost/functions/v1/send-email';
const SERVICE_KEY = 'sb_secret_offline';
const EMAIL_ENV = { EMAIL_API_URL: null, EMAIL_API_KEY: null, EMAIL_FROM: null };

Deno.test('GET is refused with 405 method_not_allowed', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(new Request(URL_)));
    assert.deepEqual([error.status, error.code], [405, 'method_not_allowed']);
  }));

Deno.test('the browser preflight gets 204 with CORS headers (the SPA may kick a flush)', () =>
  withEnv(OFFLINE_ENV, async () => {
    const response = await handle(new Request(URL_, { method: 'OPTIONS' }));
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
  }));

Deno.test('no bearer token: 401 unauthorized', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(jsonPost(URL_, {})));
    assert.deepEqual([error.status, error.code], [401, 'unauthorized']);
  }));

Deno.test('a token that is not the service key is checked with Auth (unreachable here: 503, nothing sent)', () =>
  withEnv(OFFLINE_ENV, async () => {
    const error = await readError(await handle(jsonPost(URL_, {}, 'some.jwt.token')));
    assert.equal(error.status, 503);
  }));

Deno.test('missing e-mail settings: 500 missing_env naming each, before any mail is claimed', () =>
  withEnv({ ...OFFLINE_ENV, ...EMAIL_ENV }, async () => {
    const error = await readError(await handle(jsonPost(URL_, {}, SERVICE_KEY)));
    assert.deepEqual([error.status, error.code], [500, 'missing_env']);
    assert.match(error.message, /EMAIL_API_URL/);
    assert.match(error.message, /EMAIL_API_KEY/);
    assert.match(error.message, /EMAIL_FROM/);
  }));

Deno.test('with the service key and settings, an unreachable database is a 503 and nothing reaches the provider', async () => {
  const api = await startEmailApiImitation();
  try {
    await withEnv({ ...OFFLINE_ENV, EMAIL_API_URL: api.baseUrl, EMAIL_API_KEY: 're_test', EMAIL_FROM: 'x@example.test' }, async () => {
      const error = await readError(await handle(jsonPost(URL_, {}, SERVICE_KEY)));
      assert.equal(error.status, 503);
      assert.equal(api.requests.length, 0);
    });
  } finally {
    await api.close();
  }
});
