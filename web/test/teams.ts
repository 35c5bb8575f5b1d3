// Team set-up for web unit and browser tests, through the real functions where a recruiter would
// use them (create_team) and as support would where no UI exists yet (adding credits to a team).
import { API_URL, db } from '../../test-support/stack.ts';
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

interface InboxMail { subject: string; links: string[] }

/**
 * Invites `email` to the team as the signed-in admin of `client`, runs the real send-email
 * function (as `npm start`'s cron would) and returns the mailed link /invite/<token>.
 */
export async function inviteAndMail(client: AppSupabaseClient, teamId: string, email: string, role: 'admin' | 'member' = 'member'): Promise<string> {
  const { error } = await client.rpc('invite_member', { team_id: teamId, email, role });
  if (error) throw new Error(`invite_member failed: ${error.message}`);
  return mailedInvitationLink(client, email);
}

/** The newest invitation link mailed to `email` (sends due mails first). */
export async function mailedInvitationLink(client: AppSupabaseClient, email: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await client.functions.invoke('send-email', { body: {} });
    const response = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(email)}`);
    const { messages } = (await response.json()) as { messages: InboxMail[] };
    const link = messages.filter((mail) => / invited you to /.test(mail.subject)).flatMap((mail) => mail.links)
      .find((candidate) => new URL(candidate).pathname.startsWith('/invite/'));
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no invitation mailed to ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The path part of a mailed link (/invite/<token>), for a router in a test. */
export const pathOf = (link: string): string => new URL(link).pathname;
