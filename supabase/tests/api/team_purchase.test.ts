// Buying credits for a team with supabase-js against the running stack: owners and admins buy,
// members cannot, and the credits land in the team's wallet through the real webhook.
import { afterAll, describe, expect, it } from 'vitest';
import { balanceOf, closeDb, db, signUpUser, type SignedUpUser } from '../../../test-support/stack.ts';
import { invokeErrorCode, startCheckout } from './payments_events.ts';

afterAll(closeDb);

/** A team owned by a fresh recruiter, with another added as `role` (as an accepted invitation adds them). */
async function teamWith(role: 'admin' | 'member'): Promise<{ owner: SignedUpUser; other: SignedUpUser; teamId: string }> {
  const owner = await signUpUser('team-owner');
  const other = await signUpUser(`team-${role}`);
  const { data, error } = await owner.client.rpc('create_team', { name: 'Hiring squad' });
  expect(error).toBeNull();
  const teamId = (data as { team_id: string }).team_id;
  await db().query('insert into public.team_members (team_id, user_id, role, added_by) values ($1, $2, $3, $4)',
    [teamId, other.user.id, role, owner.user.id]);
  return { owner, other, teamId };
}

async function teamCredits(teamId: string): Promise<number> {
  const { rows } = await db().query<{ credits: number }>('select credits from public.teams where id = $1', [teamId]);
  return rows[0].credits;
}

describe('buying credits for a team', () => {
  it("an admin buys: the team's wallet gets the credits, the admin's stays empty", async () => {
    const { other: admin, teamId } = await teamWith('admin');
    const checkout = await startCheckout(admin.client, 'pack_10', teamId);
    const paid = await admin.client.functions.invoke('local-checkout-complete', { body: { session_id: checkout.session_id } });
    expect(paid.error).toBeNull();
    expect((paid.data as { credited: number }).credited).toBe(10);
    expect(await teamCredits(teamId)).toBe(10);
    expect(await balanceOf(admin.user.id)).toBe(0);
    // The admin sees the team's payment; the team's ledger names it.
    const { data: payments } = await admin.client.from('payments').select('team_id, status');
    expect(payments).toEqual([{ team_id: teamId, status: 'paid' }]);
  });

  it('a member cannot: 403 not_team_admin, and no payment is recorded', async () => {
    const { other: member, teamId } = await teamWith('member');
    const { error } = await member.client.functions.invoke('checkout', { body: { plan_id: 'pack_5', team_id: teamId } });
    expect(await invokeErrorCode(error)).toEqual({ status: 403, code: 'not_team_admin' });
    const { rows } = await db().query('select 1 from public.payments where team_id = $1', [teamId]);
    expect(rows).toEqual([]);
  });

  it("members do not see the team's payments; the owner does", async () => {
    const { owner, other: member, teamId } = await teamWith('member');
    const checkout = await startCheckout(owner.client, 'pack_5', teamId);
    expect((await owner.client.from('payments').select('id')).data).toEqual([{ id: checkout.payment_id }]);
    expect((await member.client.from('payments').select('id')).data).toEqual([]);
  });

  it('an admin removed after starting the checkout still pays into the team they paid for', async () => {
    const { owner, other: admin, teamId } = await teamWith('admin');
    const { session_id } = await startCheckout(admin.client, 'pack_5', teamId);
    expect((await owner.client.rpc('remove_member', { team_id: teamId, user_id: admin.user.id })).error).toBeNull();
    const paid = await admin.client.functions.invoke('local-checkout-complete', { body: { session_id } });
    expect((paid.data as { credited: number }).credited).toBe(5);
    expect(await teamCredits(teamId)).toBe(5);
    expect(await balanceOf(admin.user.id)).toBe(0);
  });
});
