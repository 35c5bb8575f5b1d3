// send-email against the running local stack: who may kick it. What it sends (the outbox rows,
// the local inbox, two senders at once, a failing provider) is supabase/tests/api/email_outbox.test.ts,
// which can write the outbox with SQL.
import assert from 'node:assert/strict';
import { withEnv } from '../utils/env.ts';
import { jsonPost, readError } from '../utils/requests.ts';
import { legacyKeysOnly, signUpUser, stackEnv } from '../utils/stack.ts';
import { handle } from '../../send-email/index.ts';

const URL_ = 'http://localhost/functions/v1/send-email';

async function sentSummary(response: Response): Promise<Record<string, number>> {
  assert.equal(response.status, 200, await response.clone().text());
  const body = await response.json() as Record<string, number>;
  for (const key of ['claimed', 'sent', 'failed', 'dead']) assert.equal(typeof body[key], 'number', key);
  return body;
}

Deno.test('the anon key is no caller: 401 unauthorized', async () => {
  const error = await readError(await handle(jsonPost(URL_, {}, stackEnv().anonKey)));
  assert.deepEqual([error.status, error.code], [401, 'unauthorized']);
});

Deno.test('the secret key (the cron job) sends what is due and answers the counts', async () => {
  await sentSummary(await handle(jsonPost(URL_, {}, stackEnv().serviceKey)));
});

Deno.test('the legacy service_role key works as well when it is the only key', async () => {
  const legacy = legacyKeysOnly();
  await withEnv(legacy, async () => {
    await sentSummary(await handle(jsonPost(URL_, {}, legacy.SUPABASE_SERVICE_ROLE_KEY!)));
  });
});

Deno.test('a signed-in recruiter may kick a flush (it only sends what is due)', async () => {
  const user = await signUpUser(stackEnv());
  await sentSummary(await handle(jsonPost(URL_, {}, user.token)));
});
