// Auto top-up end to end on the running stack: a local checkout saves the chosen test card, a
// spend crosses the threshold (the database queues the top-up in the spend's transaction), the
// real auto-topup function is run with the secret key as its cron job runs it (the test stack has
// no cron: --topup-cron-ms 0), the local provider charges the saved card and sends Stripe's
// payment_intent.* event to the webhook as well: the credits arrive once; a declined card stops
// auto top-up and mails the owner through the outbox.
import { afterAll, describe, expect, it } from 'vitest';
import { API_URL, balanceOf, closeDb, db, signUpUser, stackEnv, type SignedUpUser } from '../../../test-support/stack.ts';
import { startCheckout } from './payments_events.ts';

afterAll(closeDb);

/** One run of the worker, as the cron job starts it. */
async function runAutoTopup(token = stackEnv().SECRET_KEY): Promise<{ status: number; body: Record<string, number> }> {
  const response = await fetch(`${API_URL}/functions/v1/auto-topup`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return { status: response.status, body: (await response.json()) as Record<string, number> };
}

/** A recruiter who bought 10 credits paying with `card` (saved for auto top-up), with auto top-up on below 8. */
async function recruiterWithAutoTopup(card: string): Promise<SignedUpUser> {
  const recruiter = await signUpUser('topup');
  const { session_id } = await startCheckout(recruiter.client, 'pack_10');
  const paid = await recruiter.client.functions.invoke('local-checkout-complete', { body: { session_id, card } });
  expect(paid.error).toBeNull();
  const set = await recruiter.client.rpc('set_auto_topup', { threshold: 8, plan_id: 'pack_5', monthly_cap_cents: 2000 });
  expect(set.error).toBeNull();
  expect(set.data).toMatchObject({ status: 'on', has_saved_card: true, in_flight: false });
  return recruiter;
}

describe('auto top-up through the auto-topup function', () => {
  it('a spend crossing the threshold is topped up once from the saved card', async () => {
    const recruiter = await recruiterWithAutoTopup('pm_card_visa');
    const spend = await recruiter.client.rpc('deduct_credits', { amount: 3, reason: 'crosses 8' });
    expect(spend.error).toBeNull();
    expect((await recruiter.client.rpc('auto_topup_status')).data).toMatchObject({ in_flight: true });

    expect((await runAutoTopup(recruiter.session.access_token)).status).toBe(401);
    const run = await runAutoTopup();
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ succeeded: 1, declined: 0, errors: 0 });
    expect(await balanceOf(recruiter.user.id)).toBe(12);

    // The function and the webhook (the provider's payment_intent.succeeded) both reported it.
    const { rows } = await db().query<{ status: string; purpose: string; pi: boolean; events: number }>(`
      select p.status, p.purpose, p.provider_payment_intent like 'pi_local_%' as pi,
             (select count(*)::int from billing.processed_events e where e.payment_id = p.id) as events
        from public.payments p where p.user_id = $1 and p.purpose = 'auto_topup'`, [recruiter.user.id]);
    expect(rows).toEqual([{ status: 'paid', purpose: 'auto_topup', pi: true, events: 1 }]);
    expect((await runAutoTopup()).body).toMatchObject({ claimed: 0 });
    expect((await recruiter.client.rpc('auto_topup_status')).data)
      .toMatchObject({ status: 'on', in_flight: false, last_topup_status: 'succeeded', charged_this_month_cents: 500 });
  });

  it('a declined card stops auto top-up and mails the owner', async () => {
    const recruiter = await recruiterWithAutoTopup('pm_card_chargeCustomerFail');
    await recruiter.client.rpc('deduct_credits', { amount: 3, reason: 'crosses 8' });
    const run = await runAutoTopup();
    expect(run.body).toMatchObject({ declined: 1, succeeded: 0 });
    expect(await balanceOf(recruiter.user.id)).toBe(7);
    expect((await recruiter.client.rpc('auto_topup_status')).data).toMatchObject({ status: 'stopped', stopped_reason: 'declined' });
    const { rows } = await db().query<{ template: string }>('select template from billing.email_outbox where to_address = $1', [recruiter.email]);
    expect(rows).toEqual([{ template: 'auto_topup_declined' }]);
    // The outbox's sender renders it (the SQL's params fit the template) and it reaches the inbox.
    await fetch(`${API_URL}/functions/v1/send-email`, { method: 'POST', headers: { Authorization: `Bearer ${stackEnv().SECRET_KEY}` }, body: '{}' });
    const inbox = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(recruiter.email)}`);
    const mails = ((await inbox.json()) as { messages: { subject: string }[] }).messages.filter((m) => m.subject.startsWith('Auto top-up'));
    expect(mails.map((m) => m.subject)).toEqual(['Auto top-up stopped: your card was declined (your personal workspace)']);
  });
});
