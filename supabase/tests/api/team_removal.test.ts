// A member removed while their tab has the team's balance channel open, through the real
// supabase-js (ws transport) on the SPA's path: they hear the team's balance on the private topic
// balance:<team id>; an admin removes them; their own topic balance:<user id> tells them at once
// (event membership), REST refuses the team at once (42501, HTTP 403), and the team channel ends
// at the latest at their next token refresh, when Realtime re-checks the realtime.messages
// policies (hosted Realtime's system error, then nothing more is delivered).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { closeDb, db, signUpUser, waitFor, type SignedUpUser } from '../../../test-support/stack.ts';
import { subscribeReady } from '../../../scripts/lib/realtime-ready.ts';
import { addTeamMember, createTeam, giveWalletCredits } from './team_helpers.ts';

const clients: SupabaseClient[] = [];
const track = (user: SignedUpUser): SignedUpUser => { clients.push(user.client); return user; };
afterEach(async () => { await Promise.all(clients.splice(0).map((c) => c.removeAllChannels())); });
afterAll(closeDb);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
interface SystemMessage { status?: string; message?: string }

describe('removal with an open channel', () => {
  it('the member is told at once, REST refuses at once, the team channel ends at the token refresh', async () => {
    const [owner, admin, member] = (await Promise.all(['tr-owner', 'tr-admin', 'tr-member'].map((p) => signUpUser(p)))).map(track);
    const teamId = await createTeam(owner.client, 'Removal team');
    await addTeamMember(teamId, admin.user.id, 'admin');
    await addTeamMember(teamId, member.user.id, 'member');
    await giveWalletCredits(teamId, 20);

    await member.client.realtime.setAuth(member.session.access_token);
    const balances: number[] = [];
    const system: SystemMessage[] = [];
    const statuses: string[] = [];
    const teamChannel = member.client.channel(`balance:${teamId}`, { config: { private: true } })
      .on('broadcast', { event: 'balance' }, ({ payload }) => { balances.push((payload as { credits: number }).credits); })
      .on('system', {}, (m: SystemMessage) => { system.push(m); });
    await subscribeReady(teamChannel, 10_000, (s) => statuses.push(s));
    const told: { team_id?: string; removed?: boolean }[] = [];
    await subscribeReady(member.client.channel(`balance:${member.user.id}`, { config: { private: true } })
      .on('broadcast', { event: 'membership' }, ({ payload }) => { told.push(payload as { team_id: string; removed: boolean }); }));

    // A member hears the team's balance.
    expect((await owner.client.rpc('deduct_credits', { amount: 2, team_id: teamId })).error).toBeNull();
    await waitFor(() => balances.includes(18), 3000);

    const removedAt = performance.now();
    expect((await admin.client.rpc('remove_member', { team_id: teamId, user_id: member.user.id })).error).toBeNull();
    await waitFor(() => told.length === 1, 1000, 5);
    expect(performance.now() - removedAt).toBeLessThan(1000);
    expect(told[0]).toMatchObject({ team_id: teamId, removed: true });

    // REST: nothing of the team, at once.
    const summary = await member.client.rpc('billing_summary', { team_id: teamId });
    expect(summary.error).toMatchObject({ code: '42501', message: 'not_team_member' });
    expect(summary.status).toBe(403);
    const lots = await member.client.from('credit_lots').select('id').eq('user_id', teamId);
    expect(lots.data).toEqual([]);
    expect((await member.client.rpc('deduct_credits', { amount: 1, team_id: teamId })).error?.code).toBe('42501');

    // The next token refresh re-checks the topic's policies: the channel ends with Realtime's words.
    // A token is a new one only in a later second (iat); a refresh in the sign-in's own second
    // gives the same bytes, which Realtime (and the stand-in) treat as no refresh at all.
    const issuedAt = (JSON.parse(Buffer.from(member.session.access_token.split('.')[1], 'base64url').toString()) as { iat: number }).iat;
    while (Math.floor(Date.now() / 1000) <= issuedAt) await sleep(50);
    const refreshed = await member.client.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    expect(refreshed.data.session!.access_token).not.toBe(member.session.access_token);
    await member.client.realtime.setAuth(refreshed.data.session!.access_token);
    await waitFor(() => system.some((m) => m.status === 'error'), 3000);
    expect(system.find((m) => m.status === 'error')).toMatchObject({
      status: 'error', message: `You do not have permissions to read from this Channel topic: balance:${teamId}` });
    await waitFor(() => statuses.includes('CLOSED'), 3000);
    const heardBefore = balances.length;
    expect((await owner.client.rpc('deduct_credits', { amount: 1, team_id: teamId })).error).toBeNull();
    await sleep(400);
    expect(balances).toHaveLength(heardBefore);

    // And a fresh join is refused.
    const rejoin = await new Promise<string>((resolve) => {
      member.client.channel(`balance:${teamId}`, { config: { private: true } }).subscribe((status, error) => {
        if (status !== 'SUBSCRIBED' && status !== 'CHANNEL_ERROR') return;
        resolve(error?.message ?? status);
      });
    });
    expect(rejoin).toContain(`Unauthorized: You do not have permissions to read from this Channel topic: balance:${teamId}`);
    const { rows } = await db().query('select count(*)::int as n from team_members where team_id = $1 and user_id = $2', [teamId, member.user.id]);
    expect(rows[0].n).toBe(0);
  });
});
