// The auto-topup function answers only its cron job: the project's secret key. A signed-in user,
// the anon key or nothing at all is refused before anything is claimed (the API is unreachable
// here, so a claim would fail loudly instead of answering 401).
import assert from 'node:assert/strict';
import { handle } from '../../auto-topup/index.ts';
import { OFFLINE_ENV, withEnv } from '../utils/env.ts';

function call(authorization: string | null, method = 'POST'): Promise<Response> {
  return handle(new Request('http://localhost/functions/v1/auto-topup', {
    method,
    headers: authorization ? { Authorization: authorization, 'Content-Type': 'application/json' } : {},
    ...(method === 'POST' ? { body: '{}' } : {}),
  }));
}

Deno.test('auto-topup refuses every caller but the secret key', async () => {
  await withEnv(OFFLINE_ENV, async () => {
    for (const authorization of [null, 'Bearer sb_publishable_offline', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x']) {
      const response = await call(authorization);
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unauthorized');
    }
    assert.equal((await call('Bearer sb_secret_offline', 'GET')).status, 405);
  });
});
