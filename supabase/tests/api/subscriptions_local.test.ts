// Subscriptions through the functions on the running stack, with the local provider playing
// Stripe Billing (local-subscription posts Stripe-signed events to the real webhook): a team
// subscription bought by an admin and used by a member; the portal (billing-portal) for whom it
// may open; the local portal's actions (a double Subscribe click grants once); and who
// local-subscription refuses.
import { afterAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { balanceOf, closeDb, db, signUpUser } from '../../../test-support/stack.ts';
import { invokeErrorCode } from './payments_events.ts';
import { addTeamMember, createTeam } from './team_helpers.ts';

afterAll(closeDb);

async function invoke(client: SupabaseClient, name: string, body: Record<string, unknown>) {
  const { data, error } = await client.functions.invoke(name, { body });
  return { data: data as Record<string, unknown> | null, error: await invokeErrorCode(error) };
}

/** Subscribes through checkout + the local checkout page's Subscribe (local-subscription complete_checkout). */
async function subscribe(client: SupabaseClient, planId: string, teamId?: string): Promise<string> {
  const checkout = await invoke(client, 'checkout', teamId ? { plan_id: planId, team_id: teamId } : { plan_id: planId });
  expect(checkout.error).toBeNull();
  expect(checkout.data?.mode).toBe('subscription');
  expect(String(checkout.data?.url)).toMatch(/\/checkout\/local\?session_id=cs_local_\w+&mode=subscription$/);
  const paid = await invoke(client, 'local-subscription', { action: 'complete_checkout', session_id: checkout.data?.session_id });
  expect(paid.error).toBeNull();
  expect((paid.data?.events as { type: string }[]).map((e) => e.type))
    .toEqual(['customer.subscription.created', 'invoice.paid', 'checkout.session.completed']);
  return checkout.data?.subscription_id as string;
}

async function row(id: string) {
  const { rows } = await db().query<{ status: string; plan_id: string; cancel_at_period_end: boolean }>(
    'select status, plan_id, cancel_at_period_end from public.subscriptions where id = $1', [id]);
  return rows[0];
}

describe('subscriptions with the local provider', () => {
  it('a team subscription bought by an admin is used by a member; only owners and admins open the portal', async () => {
    const [owner, admin, member] = await Promise.all([signUpUser('sub-owner'), signUpUser('sub-admin'), signUpUser('sub-member')]);
    const teamId = await createTeam(owner.client, 'Subscribers');
    await addTeamMember(teamId, admin.user.id, 'admin');
    await addTeamMember(teamId, member.user.id, 'member');
    expect((await invoke(member.client, 'checkout', { plan_id: 'sub_starter_monthly', team_id: teamId })).error)
      .toEqual({ status: 403, code: 'not_team_admin' });

    const id = await subscribe(admin.client, 'sub_starter_monthly', teamId);
    const { rows } = await db().query<{ credits: number }>('select credits from public.teams where id = $1', [teamId]);
    expect(rows[0].credits).toBe(30);
    expect(await balanceOf(admin.user.id)).toBe(0);
    const interview = await member.client.rpc('create_interview', { job_position: 'Backend engineer', duration_minutes: 30, team_id: teamId });
    expect(interview.error).toBeNull();

    // A second subscription for the same workspace is refused before any checkout exists.
    expect((await invoke(owner.client, 'checkout', { plan_id: 'sub_pro_monthly', team_id: teamId })).error)
      .toEqual({ status: 409, code: 'subscription_exists' });
    const portal = await invoke(owner.client, 'billing-portal', { team_id: teamId });
    expect(portal.data?.url).toMatch(new RegExp(`/portal/local\\?subscription=${id}$`));
    expect((await invoke(member.client, 'billing-portal', { team_id: teamId })).error).toEqual({ status: 403, code: 'not_team_admin' });
    expect((await invoke(member.client, 'local-subscription', { action: 'cancel_now', subscription_id: id })).error)
      .toEqual({ status: 403, code: 'not_team_admin' });
  });

  it("the local portal's actions settle through the webhook; another user is refused", async () => {
    const [buyer, intruder] = await Promise.all([signUpUser('sub-buyer'), signUpUser('sub-intruder')]);
    expect((await invoke(buyer.client, 'billing-portal', {})).error).toEqual({ status: 404, code: 'no_subscription' });
    // Subscribe clicked twice at once: one subscription, its first invoice granted once.
    const checkout = await invoke(buyer.client, 'checkout', { plan_id: 'sub_starter_monthly' });
    const clicks = await Promise.all([1, 2].map(() =>
      invoke(buyer.client, 'local-subscription', { action: 'complete_checkout', session_id: checkout.data?.session_id })));
    expect(clicks.map((c) => c.error)).toEqual([null, null]);
    const id = checkout.data?.subscription_id as string;
    expect(await balanceOf(buyer.user.id)).toBe(30);
    const { rows: live } = await db().query('select id from public.subscriptions where user_id = $1 and provider_subscription_id is not null', [buyer.user.id]);
    expect(live).toEqual([{ id }]);
    // The invoice's payment names its payment intent, so a refund (charge.refunded) finds it as for packs.
    const { rows: payments } = await db().query<{ provider_payment_intent: string }>(
      "select provider_payment_intent from public.payments where user_id = $1 and purpose = 'subscription'", [buyer.user.id]);
    expect(payments.map((p) => p.provider_payment_intent)).toEqual([expect.stringMatching(/^pi_local_\w+$/)]);
    expect((await invoke(intruder.client, 'local-subscription', { action: 'renew', subscription_id: id })).error)
      .toEqual({ status: 403, code: 'forbidden' });
    expect((await invoke(intruder.client, 'billing-portal', {})).error).toEqual({ status: 404, code: 'no_subscription' });

    const act = async (action: string, extra: Record<string, unknown> = {}) => {
      const answer = await invoke(buyer.client, 'local-subscription', { action, subscription_id: id, ...extra });
      expect(answer.error, action).toBeNull();
      return row(id);
    };
    expect(await act('renew')).toMatchObject({ status: 'active' });
    expect(await balanceOf(buyer.user.id)).toBe(60);
    expect(await act('change_plan', { plan_id: 'sub_pro_monthly' })).toMatchObject({ plan_id: 'sub_pro_monthly' });
    const afterUpgrade = await balanceOf(buyer.user.id);
    expect(afterUpgrade).toBeGreaterThan(60);
    expect((await invoke(buyer.client, 'local-subscription', { action: 'change_plan', subscription_id: id, plan_id: 'pack_5' })).error)
      .toEqual({ status: 400, code: 'plan_not_subscription' });
    expect(await act('fail_renewal')).toMatchObject({ status: 'past_due' });
    expect(await act('renew')).toMatchObject({ status: 'active' });
    expect(await balanceOf(buyer.user.id)).toBe(afterUpgrade + 100);
    expect(await act('cancel_at_period_end')).toMatchObject({ status: 'active', cancel_at_period_end: true });
    expect(await act('resume')).toMatchObject({ cancel_at_period_end: false });
    expect(await act('cancel_now')).toMatchObject({ status: 'canceled' });
    // Credits already granted stay until their period ends.
    expect(await balanceOf(buyer.user.id)).toBe(afterUpgrade + 100);
    expect((await invoke(buyer.client, 'local-subscription', { action: 'renew', subscription_id: id })).error)
      .toEqual({ status: 409, code: 'conflict' });
  });
});
