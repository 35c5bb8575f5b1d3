// Team money in every order, through the real API and webhook (issue 19's adversary pass): a team
// purchase's completion and refund, members' spends and holds, a member's removal and the team's
// deletion, interleaved. After each order the money rules hold: the invariant check finds nothing
// on any wallet involved, a deleted team keeps no credits, and a recruiter who left a team cannot
// spend from it.
import { afterAll, describe, expect, it } from 'vitest';
import { balanceOf, closeDb, db, signUpUser, type SignedUpUser } from '../../../test-support/stack.ts';
import { chargeRefunded, checkoutCompleted, deliver, startCheckout } from './payments_events.ts';
import { addTeamMember, createTeam } from './team_helpers.ts';

afterAll(closeDb);

interface Team { owner: SignedUpUser; member: SignedUpUser; teamId: string }

async function team(): Promise<Team> {
  const owner = await signUpUser('money-owner');
  const member = await signUpUser('money-member');
  const teamId = await createTeam(owner.client, 'Money orders');
  await addTeamMember(teamId, member.user.id, 'member');
  return { owner, member, teamId };
}

/** A pending team checkout (pack_10: 10 credits for 900 cents) started by the owner. */
async function pendingTeamPurchase(t: Team): Promise<{ sessionId: string; paymentIntent: string }> {
  const { session_id } = await startCheckout(t.owner.client, 'pack_10', t.teamId);
  return { sessionId: session_id, paymentIntent: `pi_test_${session_id.slice(-12)}` };
}

async function complete(t: Team, p: { sessionId: string; paymentIntent: string }): Promise<void> {
  const answer = await deliver(checkoutCompleted({ ...p, userId: t.owner.user.id, amountTotal: 900 }));
  expect(answer.status).toBe(200);
}

async function refundAll(p: { paymentIntent: string }): Promise<void> {
  const answer = await deliver(chargeRefunded({ paymentIntent: p.paymentIntent, amount: 900, amountRefunded: 900 }));
  expect(answer.status).toBe(200);
}

async function teamWallet(teamId: string): Promise<{ credits: number; reserved: number; deleted: boolean }> {
  const { rows } = await db().query<{ credits: number; reserved: number; deleted: boolean }>(
    'select credits, credits_reserved as reserved, deleted_at is not null as deleted from public.teams where id = $1', [teamId]);
  return rows[0];
}

/** The invariant check over the team and both recruiters' wallets: no rows = every rule holds. */
async function violations(t: Team): Promise<unknown[]> {
  const { rows } = await db().query('select * from billing.credit_invariant_violations_among($1::uuid[])',
    [[t.teamId, t.owner.user.id, t.member.user.id]]);
  return rows;
}

async function spend(who: SignedUpUser, teamId: string, amount: number) {
  return await who.client.rpc('deduct_credits', { amount, reason: 'test spend', idempotency_key: crypto.randomUUID(), team_id: teamId });
}

describe('team money in every order', () => {
  it('bought, all spent by a member, the team deleted, then refunded: no credits reappear in the deleted team', async () => {
    const t = await team();
    const p = await pendingTeamPurchase(t);
    await complete(t, p);
    expect((await spend(t.member, t.teamId, 10)).error).toBeNull();
    expect((await t.owner.client.rpc('delete_team', { team_id: t.teamId })).error).toBeNull();
    await refundAll(p);
    expect(await teamWallet(t.teamId)).toEqual({ credits: 0, reserved: 0, deleted: true });
    expect(await balanceOf(t.owner.user.id)).toBe(0);
    expect(await violations(t)).toEqual([]);
  });

  it('the team deleted while its checkout was open: the paid credits go to the buyer, and a refund takes them back there', async () => {
    const t = await team();
    const p = await pendingTeamPurchase(t);
    expect((await t.owner.client.rpc('delete_team', { team_id: t.teamId })).error).toBeNull();
    await complete(t, p);
    expect(await teamWallet(t.teamId)).toEqual({ credits: 0, reserved: 0, deleted: true });
    expect(await balanceOf(t.owner.user.id)).toBe(10);
    await refundAll(p);
    expect(await balanceOf(t.owner.user.id)).toBe(0);
    expect(await teamWallet(t.teamId)).toEqual({ credits: 0, reserved: 0, deleted: true });
    expect(await violations(t)).toEqual([]);
  });

  it('refunded before it completed, the team deleted in between: nothing lands anywhere', async () => {
    const t = await team();
    const p = await pendingTeamPurchase(t);
    await refundAll(p);
    expect((await t.owner.client.rpc('delete_team', { team_id: t.teamId })).error).toBeNull();
    await complete(t, p);
    expect(await teamWallet(t.teamId)).toEqual({ credits: 0, reserved: 0, deleted: true });
    expect(await balanceOf(t.owner.user.id)).toBe(0);
    expect(await violations(t)).toEqual([]);
  });

  it('a removed member can neither spend nor cancel; the owner cancels their hold, the team is deleted, the refund is whole', async () => {
    const t = await team();
    const p = await pendingTeamPurchase(t);
    await complete(t, p);
    const created = await t.member.client.rpc('create_interview', {
      job_position: 'Engineer', duration_minutes: 30, interview_type: 'technical', idempotency_key: crypto.randomUUID(), team_id: t.teamId,
    });
    expect(created.error).toBeNull();
    const interviewId = (created.data as { interview_id: string }).interview_id;
    expect((await teamWallet(t.teamId)).reserved).toBeGreaterThan(0);

    expect((await t.owner.client.rpc('remove_member', { team_id: t.teamId, user_id: t.member.user.id })).error).toBeNull();
    const spent = await spend(t.member, t.teamId, 1);
    expect(spent.error?.code).toBe('42501');
    const cancelled = await t.member.client.rpc('cancel_interview', { interview_id: interviewId });
    expect(cancelled.error).not.toBeNull();
    // Deleting with the hold open is refused; the owner cancels it first.
    expect((await t.owner.client.rpc('delete_team', { team_id: t.teamId })).error?.message).toBe('team_has_credits');
    expect((await t.owner.client.rpc('cancel_interview', { interview_id: interviewId })).error).toBeNull();
    expect(await teamWallet(t.teamId)).toEqual({ credits: 10, reserved: 0, deleted: false });

    await refundAll(p);
    expect(await teamWallet(t.teamId)).toEqual({ credits: 0, reserved: 0, deleted: false });
    expect((await t.owner.client.rpc('delete_team', { team_id: t.teamId })).error).toBeNull();
    expect(await violations(t)).toEqual([]);
  });

  it('refunded while a member\'s hold is open: the credits the cancel returns repay the refund, the team keeps none', async () => {
    const t = await team();
    const p = await pendingTeamPurchase(t);
    await complete(t, p);
    const created = await t.member.client.rpc('create_interview', {
      job_position: 'Engineer', duration_minutes: 30, interview_type: 'technical', idempotency_key: crypto.randomUUID(), team_id: t.teamId,
    });
    expect(created.error).toBeNull();
    const interviewId = (created.data as { interview_id: string }).interview_id;
    const held = (await teamWallet(t.teamId)).reserved;
    expect(held).toBeGreaterThan(0);
    await refundAll(p);
    expect(await teamWallet(t.teamId)).toEqual({ credits: 0, reserved: held, deleted: false });
    // The member who scheduled it cancels: the returned credits go to the refund, not to the team.
    expect((await t.member.client.rpc('cancel_interview', { interview_id: interviewId })).error).toBeNull();
    expect(await teamWallet(t.teamId)).toEqual({ credits: 0, reserved: 0, deleted: false });
    const { rows } = await db().query<{ unrecovered: number; reversed: number }>(
      'select credits_unrecovered as unrecovered, credits_reversed as reversed from public.payments where provider_session_id = $1', [p.sessionId]);
    expect(rows[0]).toEqual({ unrecovered: 0, reversed: 10 });
    expect((await t.owner.client.rpc('delete_team', { team_id: t.teamId })).error).toBeNull();
    expect(await violations(t)).toEqual([]);
  });

  it('refunded while a member spends: the member can spend only what is left, and the wallet never goes below zero', async () => {
    const t = await team();
    const p = await pendingTeamPurchase(t);
    await complete(t, p);
    expect((await spend(t.member, t.teamId, 4)).error).toBeNull();
    // A refund of the whole payment races a spend of the 6 left: one of them gets them, never both.
    const [refund, late] = await Promise.all([refundAll(p), spend(t.member, t.teamId, 6)]);
    void refund;
    const wallet = await teamWallet(t.teamId);
    expect(wallet.credits).toBe(0);
    expect(late.error === null || late.error.message === 'insufficient_credits').toBe(true);
    const { rows } = await db().query<{ unrecovered: number; reversed: number }>(
      'select credits_unrecovered as unrecovered, credits_reversed as reversed from public.payments where provider_session_id = $1', [p.sessionId]);
    expect(rows[0].unrecovered + rows[0].reversed).toBe(10);
    expect(await violations(t)).toEqual([]);
  });
});
