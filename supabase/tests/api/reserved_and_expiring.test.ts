// The balance in two parts, live, through the real supabase-js on the SPA's path (the private
// balance:<user id> topic): a hold moves credits from available to reserved, a capture spends the
// reserved ones, a release returns them; the expiry job writes off a due lot and every open client
// hears it. billing_summary says what expires next.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, closeDb, db, serviceClient, signUpUser, waitFor, type SignedUpUser } from '../../../test-support/stack.ts';
import { subscribeReady } from '../../../scripts/lib/realtime-ready.ts';

type Balance = { credits: number; reserved: number };

const clients: SupabaseClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});
afterAll(closeDb);

/** One open tab of the recruiter: every broadcast balance it receives, in order. */
async function openTab(recruiter: SignedUpUser): Promise<Balance[]> {
  const client = anonClient();
  clients.push(client);
  await client.auth.setSession({ access_token: recruiter.session.access_token, refresh_token: recruiter.session.refresh_token });
  const seen: Balance[] = [];
  const channel = client.channel(`balance:${recruiter.user.id}`, { config: { private: true } })
    .on('broadcast', { event: 'balance' }, ({ payload }) => {
      const { credits, reserved } = payload as Balance;
      seen.push({ credits, reserved });
    });
  await subscribeReady(channel);
  return seen;
}

async function grant(userId: string, amount: number, expiresAt?: string): Promise<void> {
  const { error } = await serviceClient().rpc('add_credits', {
    user_id: userId, amount, kind: 'grant', reason: 'Trial credits', ...(expiresAt ? { expires_at: expiresAt } : {}),
  });
  if (error) throw new Error(`add_credits: ${error.code} ${error.message}`);
}

const last = (seen: Balance[]): Balance | undefined => seen[seen.length - 1];

describe('available and reserved, live in every tab', () => {
  it('a hold, its capture and a release reach both tabs as {credits, reserved}', async () => {
    const recruiter = await signUpUser('reserved-live');
    clients.push(recruiter.client);
    await grant(recruiter.user.id, 6);
    const [tabA, tabB] = [await openTab(recruiter), await openTab(recruiter)];

    const { data: created, error } = await recruiter.client.rpc('create_interview', { job_position: 'Platform engineer', duration_minutes: 60 });
    expect(error).toBeNull();
    expect(created).toMatchObject({ cost: 2, balance: 4, reserved: 2 });
    await waitFor(() => last(tabA)?.reserved === 2 && last(tabB)?.reserved === 2, 2000);
    expect(last(tabA)).toEqual({ credits: 4, reserved: 2 });
    expect(last(tabB)).toEqual({ credits: 4, reserved: 2 });

    // The runner completes it: available stays, reserved goes to 0 (the capture changes only that part).
    const { data: done } = await serviceClient().rpc('complete_interview', { interview_id: (created as { interview_id: string }).interview_id });
    expect(done).toMatchObject({ status: 'completed', spent: 2, balance: 4, reserved: 0 });
    await waitFor(() => last(tabA)?.reserved === 0 && last(tabB)?.reserved === 0, 2000);
    expect(last(tabB)).toEqual({ credits: 4, reserved: 0 });

    // Another one, cancelled: its credits come back to available.
    const { data: second } = await recruiter.client.rpc('create_interview', { job_position: 'Designer', duration_minutes: 30 });
    await waitFor(() => last(tabA)?.reserved === 1, 2000);
    const { data: cancelled } = await recruiter.client.rpc('cancel_interview', { interview_id: (second as { interview_id: string }).interview_id });
    expect(cancelled).toMatchObject({ released: 1, recovered: 0, expired: 0, balance: 4, reserved: 0 });
    await waitFor(() => last(tabA)?.reserved === 0 && last(tabA)?.credits === 4 && last(tabB)?.credits === 4 && last(tabB)?.reserved === 0, 2000);

    const { data: row } = await recruiter.client.from('users').select('credits, credits_reserved, credits_spent').eq('id', recruiter.user.id).single();
    expect(row).toEqual({ credits: 4, credits_reserved: 0, credits_spent: 2 });
  });

  it('the expiry job writes a due lot off: the tabs hear it, the summary says what expired and what expires next', async () => {
    const recruiter = await signUpUser('expiring-live');
    clients.push(recruiter.client);
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const later = new Date(Date.now() + 40 * 86_400_000).toISOString();
    await grant(recruiter.user.id, 3, soon);
    await grant(recruiter.user.id, 5, later);
    await grant(recruiter.user.id, 2);

    const { data: before } = await recruiter.client.rpc('billing_summary');
    const expiring = (before as { expiring: { expires_at: string; credits: number }[] }).expiring;
    expect(expiring.map((e) => e.credits)).toEqual([3, 5]);
    expect(new Date(expiring[0].expires_at).toISOString()).toBe(soon);

    const tab = await openTab(recruiter);
    // Time passes for the soonest lot; the job runs. (Support may not move an expiry into the past
    // by hand: the date is written as the credit functions write, with billing.applying_ledger on.)
    await db().query(`with flag as (select pg_catalog.set_config('billing.applying_ledger', 'on', true))
                      update public.credit_lots set expires_at = now() - interval '1 second'
                        from flag where user_id = $1 and expires_at = $2`, [recruiter.user.id, soon]);
    // The scheduled job (every minute) may get there first: either way the lot is written off once.
    await db().query('select billing.expire_credit_lots(100000)');
    await waitFor(() => last(tab)?.credits === 7, 2000);

    const { data: after } = await recruiter.client.rpc('billing_summary');
    expect(after).toMatchObject({ available: 7, reserved: 0, total_expired: 3 });
    expect((after as { expiring: { credits: number }[] }).expiring.map((e) => e.credits)).toEqual([5]);
    const history = (after as { recent: { kind: string; delta: number; reason: string }[] }).recent;
    expect(history[0]).toMatchObject({ kind: 'expiration', delta: -3, reason: 'Expired unused: Trial credits' });

    // A second run finds nothing of this recruiter to take.
    await db().query('select billing.expire_credit_lots(100000)');
    const { data: again } = await recruiter.client.rpc('billing_summary');
    expect(again).toMatchObject({ available: 7, total_expired: 3 });
  });
});
