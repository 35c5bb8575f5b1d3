// 50 signed-in members (real supabase-js clients, REST through the local API) spend and hold
// from one team wallet at once, each with a monthly limit of 7. Round 1: the wallet (200 credits)
// runs out first; round 2, topped up: the team's monthly limit (240) stops them. Nobody passes
// their limit, the wallet never goes below zero, the team limit holds exactly, every refusal is
// a PT402 with its own code, and the credit invariant holds for the team wallet.
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, db, signUpUser, type SignedUpUser } from '../../../test-support/stack.ts';
import { addTeamMember, createTeam, giveWalletCredits } from './team_helpers.ts';

afterAll(closeDb);

const MEMBERS = 50;
const LIMIT = 7;
const CALLS = 10;

async function signUpMany(n: number): Promise<SignedUpUser[]> {
  const users: SignedUpUser[] = [];
  for (let i = 0; i < n; i += 10) {
    users.push(...await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => signUpUser('team-race'))));
  }
  return users;
}

/** Every member makes CALLS calls one after another, all members at once; returns each outcome. */
async function round(members: SignedUpUser[], teamId: string): Promise<string[]> {
  const outcomes = await Promise.all(members.map(async (member, m) => {
    const mine: string[] = [];
    for (let k = 0; k < CALLS; k++) {
      const { error, status } = (m + k) % 2 === 0
        ? await member.client.rpc('deduct_credits', { amount: 1, team_id: teamId })
        : await member.client.rpc('create_interview', { job_position: 'Race', duration_minutes: 30, team_id: teamId });
      mine.push(error ? `${status} ${error.code} ${error.message}` : 'ok');
    }
    return mine;
  }));
  return outcomes.flat();
}

describe('50 members spending from one team wallet at once', () => {
  it('never pass a member\'s limit, the wallet or the team\'s limit', async () => {
    const owner = await signUpUser('team-race-owner');
    const teamId = await createTeam(owner.client, 'Race team');
    expect((await owner.client.rpc('set_team_limit', { team_id: teamId, monthly_limit: 240 })).error).toBeNull();
    const members = await signUpMany(MEMBERS);
    for (const member of members) await addTeamMember(teamId, member.user.id, 'member', LIMIT);
    await giveWalletCredits(teamId, 200);

    const first = await round(members, teamId);
    expect(first.filter((o) => o === 'ok')).toHaveLength(200);
    expect(first.filter((o) => o !== 'ok').every((o) => /^402 PT402 (insufficient_credits|member_limit_reached)$/.test(o))).toBe(true);
    expect(first).toContain('402 PT402 insufficient_credits');
    const afterFirst = await db().query('select credits, credits_reserved from public.teams where id = $1', [teamId]);
    expect(afterFirst.rows[0].credits).toBe(0);

    await giveWalletCredits(teamId, 500);
    const second = await round(members, teamId);
    expect(first.concat(second).filter((o) => o === 'ok')).toHaveLength(240);
    expect(second.filter((o) => o !== 'ok').every((o) => /^402 PT402 (team|member)_limit_reached$/.test(o))).toBe(true);
    expect(second).toContain('402 PT402 team_limit_reached');

    const { rows } = await db().query<{ user_id: string; used: number; made: number }>(`
      select m.user_id, m.used_this_month::int as used,
             (select count(*)::int from public.credit_ledger l
               where l.user_id = m.team_id and l.member_id = m.user_id and l.kind in ('spend', 'hold')) as made
        from public.team_members m where m.team_id = $1 and m.role = 'member'`, [teamId]);
    expect(rows).toHaveLength(MEMBERS);
    expect(rows.filter((r) => r.used > LIMIT || r.used !== r.made)).toEqual([]);
    const team = await db().query('select used_this_month::int as used, credits from public.teams where id = $1', [teamId]);
    expect(team.rows[0]).toEqual({ used: 240, credits: 500 - 40 });
    const violations = await db().query('select * from billing.credit_invariant_violations($1)', [teamId]);
    expect(violations.rows).toEqual([]);
  });
});
