// The team membership matrix through the API (PostgREST, schema public): a team with a row of
// every kind (a grant, purchases by an admin and by an admin removed since, spends and interviews
// by the member, an admin and the removed member) read as its owner, an admin, a member, the
// removed member, an outsider and anon. pgTAP's rls_matrix.test.sql holds the same rules for the
// database roles (with the realtime topic); rest_rls.test.ts lists these tables as 'team'.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, closeDb, db, serviceClient, signUpUser, type SignedUpUser } from '../../../test-support/stack.ts';
import { addTeamMember, createTeam, giveWalletCredits } from './team_helpers.ts';

afterAll(closeDb);

type Reads = 'all' | 'own' | 'none';
/** Per table: the column placing a row in the team, the one naming the member who made it, and what each role reads. */
const TEAM_MATRIX: Record<string, { team: string; member?: string; owner: Reads; admin: Reads; member_reads: Reads }> = {
  teams: { team: 'id', owner: 'all', admin: 'all', member_reads: 'all' },
  team_members: { team: 'team_id', member: 'user_id', owner: 'all', admin: 'all', member_reads: 'own' },
  credit_ledger: { team: 'user_id', member: 'member_id', owner: 'all', admin: 'all', member_reads: 'own' },
  credit_lots: { team: 'user_id', owner: 'all', admin: 'all', member_reads: 'all' },
  credit_lot_entries: { team: 'user_id', owner: 'all', admin: 'all', member_reads: 'none' },
  interviews: { team: 'team_id', member: 'user_id', owner: 'all', admin: 'all', member_reads: 'own' },
  payments: { team: 'team_id', member: 'user_id', owner: 'all', admin: 'all', member_reads: 'none' },
  subscriptions: { team: 'team_id', owner: 'all', admin: 'all', member_reads: 'all' },
};

let teamId: string;
const people: Record<string, SignedUpUser> = {};

async function must<T extends { error: { message: string } | null }>(call: PromiseLike<T>, what: string): Promise<T> {
  const result = await call;
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  return result;
}

beforeAll(async () => {
  const names = ['owner', 'admin', 'member', 'removed', 'outsider'];
  const users = await Promise.all(names.map((n) => signUpUser(`team-rls-${n}`)));
  names.forEach((n, i) => { people[n] = users[i]; });
  teamId = await createTeam(people.owner.client, 'REST matrix');
  await addTeamMember(teamId, people.admin.user.id, 'admin');
  await addTeamMember(teamId, people.member.user.id, 'member');
  await addTeamMember(teamId, people.removed.user.id, 'admin');
  await giveWalletCredits(teamId, 30);
  const service = serviceClient();
  for (const buyer of ['admin', 'removed']) {
    const session = `cs_local_team_rls_${buyer}_${Date.now()}`;
    await must(service.rpc('record_checkout', { user_id: people[buyer].user.id, plan_id: 'pack_5', provider: 'local', provider_session_id: session, team_id: teamId }), 'record_checkout');
    await must(service.rpc('complete_checkout', { event_id: `evt_${session}`, provider_session_id: session, amount_total: 500, currency: 'usd' }), 'complete_checkout');
  }
  await must(service.rpc('record_subscription_checkout', { user_id: people.admin.user.id, team_id: teamId, plan_id: 'sub_starter_monthly',
    provider: 'local', session_id: `cs_local_team_rls_sub_${Date.now()}` }), 'record_subscription_checkout');
  for (const who of ['member', 'admin', 'removed']) {
    await must(people[who].client.rpc('deduct_credits', { amount: 1, team_id: teamId }), 'deduct_credits');
    await must(people[who].client.rpc('create_interview', { job_position: `Matrix ${who}`, duration_minutes: 30, team_id: teamId }), 'create_interview');
  }
  await must(people.owner.client.rpc('invite_member', { team_id: teamId, email: 'future-member@example.test' }), 'invite_member');
  await must(people.owner.client.rpc('remove_member', { team_id: teamId, user_id: people.removed.user.id }), 'remove_member');
});

async function expectedRows(table: string, reads: Reads): Promise<number> {
  if (reads === 'none') return 0;
  const { team, member } = TEAM_MATRIX[table];
  const own = reads === 'own' ? ` and ${member} = $2` : '';
  const { rows } = await db().query<{ n: number }>(`select count(*)::int as n from public.${table} where ${team} = $1${own}`,
    reads === 'own' ? [teamId, people.member.user.id] : [teamId]);
  return rows[0].n;
}

async function readRows(client: SupabaseClient, table: string): Promise<number> {
  const { data, error } = await client.from(table).select('*').eq(TEAM_MATRIX[table].team, teamId);
  if (error) return error.code === '42501' ? 0 : -1;
  return (data ?? []).length;
}

describe('the team matrix through the API', () => {
  it('the set-up gives the team rows in every table, made by the member and by others', async () => {
    for (const [table, rule] of Object.entries(TEAM_MATRIX)) {
      expect(await expectedRows(table, 'all'), table).toBeGreaterThan(0);
      if (rule.member && table !== 'payments') {
        const own = await expectedRows(table, 'own');
        expect(own, table).toBeGreaterThan(0);
        expect(await expectedRows(table, 'all'), table).toBeGreaterThan(own);
      }
    }
  });

  it.each([
    ['owner', 'owner'], ['admin', 'admin'], ['member', 'member_reads'],
  ] as const)('the %s reads what the matrix says of every team table', async (who, column) => {
    for (const [table, rule] of Object.entries(TEAM_MATRIX)) {
      expect(await readRows(people[who].client, table), `${who} reading ${table}`).toBe(await expectedRows(table, rule[column]));
    }
  });

  it.each(['removed', 'outsider', 'anon'])('the %s reads nothing of the team', async (who) => {
    const client = who === 'anon' ? anonClient() : people[who].client;
    for (const table of Object.keys(TEAM_MATRIX)) {
      expect(await readRows(client, table), `${who} reading ${table}`).toBe(0);
    }
  });

  it('nobody writes the team tables through the API, not even the owner', async () => {
    const owner = people.owner.client;
    const attempts = [
      owner.from('teams').update({ credits: 1000 }).eq('id', teamId),
      owner.from('teams').update({ name: 'Renamed by PATCH' }).eq('id', teamId),
      owner.from('team_members').update({ role: 'owner' }).eq('team_id', teamId).eq('user_id', people.member.user.id),
      owner.from('team_members').insert({ team_id: teamId, user_id: people.outsider.user.id, role: 'member' }),
      people.member.client.from('team_members').update({ monthly_limit: null }).eq('team_id', teamId),
      people.member.client.from('team_members').delete().eq('team_id', teamId),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result.error?.code, JSON.stringify(result)).toBe('42501');
    }
    const { rows } = await db().query('select count(*)::int as n from public.team_members where team_id = $1', [teamId]);
    expect(rows[0].n).toBe(3);
  });

  it('team_invitations: owners and admins read the open invitation, never its token hash; nobody else reads it', async () => {
    const read = async (client: SupabaseClient) => {
      const { data, error } = await client.from('team_invitations').select('id, email, role, expires_at').eq('team_id', teamId);
      return error ? (error.code === '42501' ? 0 : -1) : (data ?? []).length;
    };
    const seen = [];
    for (const who of ['owner', 'admin', 'member', 'removed', 'outsider']) seen.push(await read(people[who].client));
    seen.push(await read(anonClient()));
    expect(seen).toEqual([1, 1, 0, 0, 0, 0]);
    const hash = await people.owner.client.from('team_invitations').select('token_hash').eq('team_id', teamId);
    expect(hash.error?.code).toBe('42501');
  });

  it('the team functions answer the removed member and the outsider not_team_member (403), and list no team for them', async () => {
    for (const who of ['removed', 'outsider']) {
      for (const [fn, args] of [
        ['billing_summary', { team_id: teamId }],
        ['credit_history', { team_id: teamId }],
        ['team_members_usage', { team_id: teamId }],
        ['deduct_credits', { amount: 1, team_id: teamId }],
        ['create_interview', { job_position: 'After removal', team_id: teamId }],
      ] as const) {
        const { error, status } = await people[who].client.rpc(fn, args);
        expect({ who, fn, status, message: error?.message }).toEqual({ who, fn, status: 403, message: 'not_team_member' });
      }
      const { data } = await people[who].client.rpc('my_workspaces');
      expect((data as { kind: string }[]).map((w) => w.kind)).toEqual(['personal']);
    }
  });
});
