// A pending checkout of the local payment provider, started through the checkout function as the
// SPA starts one: where the tests of what follows (paying, the webhook settling) begin.
import assert from 'node:assert/strict';
import { handle as checkout } from '../../checkout/index.ts';
import { withEnv } from './env.ts';
import { jsonPost } from './requests.ts';

/** The session id of a new checkout of `planId` by the user holding `token`; no Stripe key, so the local provider. */
export async function pendingLocalCheckout(token: string, planId = 'pack_5'): Promise<string> {
  const response = await withEnv({ STRIPE_SECRET_KEY: null }, () =>
    checkout(jsonPost('http://localhost/functions/v1/checkout', { plan_id: planId }, token)));
  assert.equal(response.status, 200);
  return ((await response.json()) as { session_id: string }).session_id;
}
