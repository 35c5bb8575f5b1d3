// Team set-up for web unit and browser tests, through the real functions where a recruiter would
// use them (create_team) and as support would where no UI exists yet (adding credits to a team).
import { db } from '../../test-support/stack.ts';
import type { AppSupabaseClient } from '../src/lib/supabaseClient.ts';

/** Creates a team as the signed-in user of `client` (its owner); returns its id. */
export async function createTeamAs(client: AppSupabaseClient, name: string): Promise<string> {
  const { data, error } = await client.rpc('create_team', { name });
  if (error) throw new Error(`create_team failed: ${error.message}`);
  return (data as { team_id: string }).team_id;
}

/** Adds a recruiter to a team with a role (what accepting an invitation does), straight in the database. */
export async function addTeamMember(teamId: string, userId: string, role: 'owner' | 'admin' | 'member' = 'member'): Promise<void> {
  await db().query('insert into public.team_members (team_id, user_id, role) values ($1, $2, $3)', [teamId, userId, role]);
}

/** Adds credits to a team's wallet the way support does (a ledger row; broadcast on balance:<team id>). */
export async function grantTeamCredits(teamId: string, amount: number): Promise<void> {
  await db().query("select billing.support_adjust_credits($1, $2, 'test credits', 'TEST-1')", [teamId, amount]);
}
