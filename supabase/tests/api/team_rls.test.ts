// Row-level security of a team through the API: every table a team's rows live in, read with
// supabase-js as the team's owner, an admin, a member, a removed member, an outsider and anon.
// Members see the team, its balance and lots and their own interviews and spends; owners and
// admins see everything of the team; the others see nothing, a removed member from the moment
// of removal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, closeDb, db, serviceClient, signUpUser, type SignedUpUser } from '../../../test-support/stack.ts';

type Role = 'owner' | 'admin' | 'member' | 'removed' | 'outsider';
const people = {} as Record<Role, SignedUpUser>;
let teamId: string;

async function ok<T>(result: PromiseLike<{ data: T; error: unknown }>): Promise<T> {
  const { data, error } = await result;
  if (error) throw new Error(JSON.stringify(error));
  return data;
}

beforeAll(async () => {
  const signed = await Promise.all((['owner', 'admin', 'member', 'removed', 'outsider'] as const).map((r) => signUpUser(`team-rls-${r}`)));
  (['owner', 'admin', 'member', 'removed', 'outsider'] as const).forEach((r, i) => { people[r] = signed[i]; });
  teamId = (await ok(people.owner.client.rpc('create_team', { name: 'RLS team' })) as { team_id: string }).team_id;
  for (const role of ['admin', 'member', 'removed'] as const) {
    await db().query('insert into public.team_members (team_id, user_id, role, added_by) values ($1, $2, $3, $4)',
      [teamId, people[role].user.id, role === 'admin' ? 'admin' : 'member', people.owner.user.id]);
  }
  // A purchase for the team (a payment, a lot, its ledger row), then an interview by the member,
  // the admin and the member-to-be-removed (holds, entries), an open invitation, then the removal.
  const service = serviceClient();
  const session = `cs_local_team_rls_${Date.now()}`;
  await ok(service.rpc('record_checkout', { user_id: people.owner.user.id, plan_id: 'pack_10', provider: 'local', provider_session_id: session, team_id: teamId }));
  await ok(service.rpc('complete_checkout', { event_id: `evt_${session}`, provider_session_id: session, amount_total: 900, currency: 'usd' }));
  for (const role of ['member', 'admin', 'removed'] as const) {
    await ok(people[role].client.rpc('create_interview', { job_position: `Role by ${role}`, duration_minutes: 30, team_id: teamId }));
  }
  await ok(people.owner.client.rpc('invite_member', { team_id: teamId, email: 'future@example.test' }));
  await ok(people.owner.client.rpc('remove_member', { team_id: teamId, user_id: people.removed.user.id }));
});

afterAll(closeDb);

/** What each role reads of one table's team rows: a count, by the rows' own filter. */
async function countAs(role: Role | 'anon', table: string, columns: string, filter: [string, string]): Promise<number> {
  const client = role === 'anon' ? anonClient() : people[role].client;
  const { data, error } = await client.from(table).select(columns).eq(filter[0], filter[1]);
  if (error) {
    // anon may be refused outright (no grant): never data.
    expect(role).toBe('anon');
    return 0;
  }
  return (data ?? []).length;
}

async function truth(sql: string): Promise<number> {
  const { rows } = await db().query<{ n: number }>(sql, [teamId]);
  return rows[0].n;
}

describe('a team through the API, role by role', () => {
  it('teams: every current member reads the team (its balance); nobody else', async () => {
    const seen = await Promise.all((['owner', 'admin', 'member', 'removed', 'outsider', 'anon'] as const)
      .map((r) => countAs(r, 'teams', 'id, credits, credits_reserved', ['id', teamId])));
    expect(seen).toEqual([1, 1, 1, 0, 0, 0]);
  });

  it('team_members: owners and admins read every membership, a member their own, the others none', async () => {
    const seen = await Promise.all((['owner', 'admin', 'member', 'removed', 'outsider', 'anon'] as const)
      .map((r) => countAs(r, 'team_members', 'user_id, role, used_this_month', ['team_id', teamId])));
    expect(seen).toEqual([3, 3, 1, 0, 0, 0]);
  });

  it('team_invitations: owners and admins only, and never the token hash', async () => {
    const columns = 'id, email, role, expires_at';
    const seen = await Promise.all((['owner', 'admin', 'member', 'removed', 'outsider', 'anon'] as const)
      .map((r) => countAs(r, 'team_invitations', columns, ['team_id', teamId])));
    expect(seen).toEqual([1, 1, 0, 0, 0, 0]);
    const hash = await people.owner.client.from('team_invitations').select('token_hash').eq('team_id', teamId);
    expect(hash.error?.code).toBe('42501');
  });

  it("credit_ledger: admins read every row of the team's wallet, a member the rows they made, the removed none", async () => {
    const all = await truth('select count(*)::int as n from public.credit_ledger where user_id = $1');
    const memberRows = await truth(`select count(*)::int as n from public.credit_ledger where user_id = $1 and member_id = '${people.member.user.id}'`);
    expect(all).toBeGreaterThan(memberRows);
    expect(memberRows).toBeGreaterThan(0);
    const seen = await Promise.all((['owner', 'admin', 'member', 'removed', 'outsider', 'anon'] as const)
      .map((r) => countAs(r, 'credit_ledger', 'id, member_id', ['user_id', teamId])));
    expect(seen).toEqual([all, all, memberRows, 0, 0, 0]);
  });

  it('credit_lots: every member reads the lots the balance is made of; entries only admins', async () => {
    const lots = await truth('select count(*)::int as n from public.credit_lots where user_id = $1');
    const entries = await truth('select count(*)::int as n from public.credit_lot_entries where user_id = $1');
    expect(lots).toBeGreaterThan(0);
    expect(await Promise.all((['owner', 'admin', 'member', 'removed', 'outsider', 'anon'] as const)
      .map((r) => countAs(r, 'credit_lots', 'id, remaining', ['user_id', teamId])))).toEqual([lots, lots, lots, 0, 0, 0]);
    expect(await Promise.all((['owner', 'admin', 'member', 'removed', 'outsider', 'anon'] as const)
      .map((r) => countAs(r, 'credit_lot_entries', 'ledger_id', ['user_id', teamId])))).toEqual([entries, entries, 0, 0, 0, 0]);
  });

  it("interviews: admins read all of the team's, a member their own, the removed member not even theirs", async () => {
    const seen = await Promise.all((['owner', 'admin', 'member', 'removed', 'outsider', 'anon'] as const)
      .map((r) => countAs(r, 'interviews', 'id, user_id', ['team_id', teamId])));
    expect(seen).toEqual([3, 3, 1, 0, 0, 0]);
  });

  it("payments: the team's purchases are the owners' and admins' to read", async () => {
    const seen = await Promise.all((['owner', 'admin', 'member', 'removed', 'outsider', 'anon'] as const)
      .map((r) => countAs(r, 'payments', 'id, status', ['team_id', teamId])));
    expect(seen).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it('the team functions answer the removed member and the outsider with not_team_member (403), at once', async () => {
    for (const role of ['removed', 'outsider'] as const) {
      for (const [fn, args] of [
        ['billing_summary', { team_id: teamId }],
        ['credit_history', { team_id: teamId }],
        ['team_members_usage', { team_id: teamId }],
        ['deduct_credits', { amount: 1, team_id: teamId }],
        ['create_interview', { job_position: 'After removal', team_id: teamId }],
      ] as const) {
        const { error, status } = await people[role].client.rpc(fn, args);
        expect({ role, fn, status, message: error?.message }).toEqual({ role, fn, status: 403, message: 'not_team_member' });
      }
    }
    const workspaces = await ok(people.removed.client.rpc('my_workspaces')) as { kind: string }[];
    expect(workspaces.map((w) => w.kind)).toEqual(['personal']);
  });
});
