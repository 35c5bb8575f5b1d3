// Team set-up for the API tests: the team is created through the API by its owner; members are
// added the way an accepted invitation adds them (a membership row) and the wallet gets credits
// through the credit core (add_credits takes recruiters only), both on the test's pg pool.
import type { SupabaseClient } from '@supabase/supabase-js';
import { db } from '../../../test-support/stack.ts';

export async function createTeam(owner: SupabaseClient, name: string): Promise<string> {
  const { data, error } = await owner.rpc('create_team', { name });
  if (error) throw new Error(`create_team failed: ${error.code} ${error.message}`);
  return (data as { team_id: string }).team_id;
}

export async function addTeamMember(teamId: string, userId: string, role: 'owner' | 'admin' | 'member',
  monthlyLimit: number | null = null): Promise<void> {
  await db().query(
    `insert into public.team_members (team_id, user_id, role, monthly_limit, added_by)
     values ($1, $2, $3, $4, (select created_by from public.teams where id = $1))`,
    [teamId, userId, role, monthlyLimit]);
}

export async function giveWalletCredits(walletId: string, amount: number): Promise<number> {
  const { rows } = await db().query<{ balance: number }>(
    `select (billing.apply_credit_change($1, $2, 'grant', 'tests', 'test setup', null, null, null, null) ->> 'balance')::int as balance`,
    [walletId, amount]);
  return rows[0].balance;
}
