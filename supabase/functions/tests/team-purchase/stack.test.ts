// Buying credits for a team workspace, through the real checkout, the local "Pay" button and the
// real webhook: only owners and admins may, and the credits land in the team's wallet, never the
// buyer's own.
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import { handle as checkout } from '../../checkout/index.ts';
import { handle as pay } from '../../local-checkout-complete/index.ts';
import { withEnv } from '../utils/env.ts';
import { jsonPost, readError } from '../utils/requests.ts';
import { balanceOf, signUpUser, stackEnv, stackServiceClient, type StackEnv } from '../utils/stack.ts';

const CHECKOUT = 'http://localhost/functions/v1/checkout';
const PAY = 'http://localhost/functions/v1/local-checkout-complete';

function asUser(env: StackEnv, token: string) {
  return createClient(env.url, env.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
}

/** A team created by a fresh recruiter, its owner (members join by invitation: the API tests cover them). */
async function ownTeam(env: StackEnv) {
  const owner = await signUpUser(env);
  const { data, error } = await asUser(env, owner.token).rpc('create_team', { name: 'Hiring squad' });
  if (error) throw new Error(error.message);
  return { owner, teamId: (data as { team_id: string }).team_id };
}

async function teamCredits(env: StackEnv, teamId: string): Promise<number> {
  const { data, error } = await stackServiceClient(env).from('teams').select('credits').eq('id', teamId).single();
  if (error) throw new Error(error.message);
  return (data as { credits: number }).credits;
}

async function paymentsOfTeam(env: StackEnv, teamId: string) {
  const { data, error } = await stackServiceClient(env).from('payments').select('user_id, team_id, status').eq('team_id', teamId);
  if (error) throw new Error(error.message);
  return data as { user_id: string; team_id: string; status: string }[];
}

Deno.test("the owner buys for the team: the webhook credits the team's wallet, not the owner's", () =>
  withEnv({ STRIPE_SECRET_KEY: null }, async () => {
    const env = stackEnv();
    const { owner, teamId } = await ownTeam(env);
    const started = await checkout(jsonPost(CHECKOUT, { plan_id: 'pack_10', team_id: teamId }, owner.token));
    assert.equal(started.status, 200);
    const { session_id } = await started.json() as { session_id: string };
    assert.deepEqual(await paymentsOfTeam(env, teamId), [{ user_id: owner.id, team_id: teamId, status: 'pending' }]);

    const paid = await pay(jsonPost(PAY, { session_id }, owner.token));
    assert.equal(paid.status, 200);
    assert.equal((await paid.json()).credited, 10);
    assert.equal(await teamCredits(env, teamId), 10);
    assert.equal(await balanceOf(env, owner.id), 0);
    assert.deepEqual(await paymentsOfTeam(env, teamId), [{ user_id: owner.id, team_id: teamId, status: 'paid' }]);
  }));

Deno.test('an outsider naming a team (or a made-up team id) is refused: 403 not_team_admin, no payment', () =>
  withEnv({ STRIPE_SECRET_KEY: null }, async () => {
    const env = stackEnv();
    const { teamId } = await ownTeam(env);
    const outsider = await signUpUser(env);
    for (const team of [teamId, crypto.randomUUID()]) {
      const error = await readError(await checkout(jsonPost(CHECKOUT, { plan_id: 'pack_5', team_id: team }, outsider.token)));
      assert.deepEqual([error.status, error.code], [403, 'not_team_admin']);
    }
    assert.deepEqual(await paymentsOfTeam(env, teamId), []);
  }));
