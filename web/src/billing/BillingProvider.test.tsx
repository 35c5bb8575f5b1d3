// The billing provider against the real stack: real sign-up, real Realtime, real RPCs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { AppProviders } from '../app/AppProviders.tsx';
import { useBilling } from './useBilling.ts';
import {
  clientWithSlowResponses, clientWithStoredSession, closedUrl, grantCredits, paymentsOf, serverBalance, signUpUser,
  type TestUser,
} from '../../test/stack.ts';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { HISTORY_PAGE_SIZE } from './billingApi.ts';

function BillingProbe() {
  const billing = useBilling();
  const [last, setLast] = useState('');
  return (
    <div>
      <output data-testid="credits">{billing.credits === null ? 'unknown' : String(billing.credits)}</output>
      <output data-testid="enough-3">{String(billing.hasEnoughCredits(3))}</output>
      <output data-testid="enough-4">{String(billing.hasEnoughCredits(4))}</output>
      <output data-testid="ledger">{billing.ledger.map((entry) => `${entry.kind}:${entry.delta}`).join(',')}</output>
      <output data-testid="plans">{billing.plans.map((plan) => plan.id).join(',')}</output>
      <output data-testid="loading">{String(billing.loading)}</output>
      <output data-testid="error">{billing.error?.code ?? ''}</output>
      <output data-testid="plans-error">{billing.plansError?.code ?? ''}</output>
      <output data-testid="history-error">{billing.historyError?.code ?? ''}</output>
      <output data-testid="ledger-ids">{billing.ledger.map((entry) => entry.id).join(',')}</output>
      <output data-testid="has-older">{String(billing.hasOlderHistory)}</output>
      <button type="button" onClick={() => { void billing.showOlderHistory(); }}>show older</button>
      <output data-testid="last">{last}</output>
      <button type="button" onClick={async () => {
        const result = await billing.deductCredits(2, 'unit test spend');
        setLast(result.ok ? `ok:${result.data}` : `error:${result.error.code}`);
      }}>spend 2</button>
      <button type="button" onClick={async () => {
        const result = await billing.deductCredits(10);
        setLast(result.ok ? `ok:${result.data}` : `error:${result.error.code}`);
      }}>spend 10</button>
      <button type="button" onClick={async () => {
        const result = await billing.addCredits(10);
        setLast(result.ok ? 'ok:checkout' : `error:${result.error.code}`);
      }}>add 10</button>
      <button type="button" onClick={async () => {
        const result = await billing.addCredits(7);
        setLast(result.ok ? 'ok:checkout' : `error:${result.error.code}`);
      }}>add 7</button>
    </div>
  );
}

function renderProbe(user: TestUser, client: AppSupabaseClient = user.client) {
  return render(<AppProviders client={client}><MemoryRouter><BillingProbe /></MemoryRouter></AppProviders>);
}

const text = (id: string) => screen.getByTestId(id).textContent;

let user: TestUser;
beforeEach(async () => { user = await signUpUser('provider'); });
afterEach(async () => {
  cleanup();
  await user.client.removeAllChannels();
});

describe('BillingProvider', () => {
  it('starts a new recruiter at 0 and lists the plans from the plans table', async () => {
    renderProbe(user);
    await waitFor(() => expect(text('credits')).toBe('0'));
    await waitFor(() => expect(text('plans')).toContain('pack_5'));
    expect(text('plans')).toContain('pack_10');
    expect(text('plans')).toContain('tier_starter');
    expect(text('enough-3')).toBe('false');
  });

  it('shows a grant made elsewhere within a second, without a reload (Realtime)', async () => {
    renderProbe(user);
    await waitFor(() => expect(text('credits')).toBe('0'));
    // Let the channel finish joining so the grant is an UPDATE it must hear about.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const granted = performance.now();
    await grantCredits(user.userId, 5);
    await waitFor(() => expect(text('credits')).toBe('5'), { timeout: 1000, interval: 20 });
    expect(performance.now() - granted).toBeLessThan(1000);
    await waitFor(() => expect(text('ledger')).toBe('grant:5'));
  });

  it('re-reads the balance after the socket reconnects, so a change missed meanwhile still shows', async () => {
    renderProbe(user);
    await waitFor(() => expect(text('credits')).toBe('0'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await user.client.realtime.disconnect();
    await grantCredits(user.userId, 4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(text('credits')).toBe('0');
    user.client.realtime.connect();
    await waitFor(() => expect(text('credits')).toBe('4'), { timeout: 5000 });
  });

  // Broadcast from Database: the balance channel is private (balance:<user id>) and its join reply
  // is the subscription itself, so a grant committed right after SUBSCRIBED is sent, not missed.
  it('joins the private balance:<user id> topic and hears a grant committed right after joining', async () => {
    renderProbe(user);
    await waitFor(() => expect(text('credits')).toBe('0'));
    await waitFor(() => expect(user.client.getChannels()[0]?.state).toBe('joined'), { timeout: 5000 });
    const [channel] = user.client.getChannels();
    expect(channel.topic).toBe(`realtime:balance:${user.userId}`);
    expect(channel.params.config.private).toBe(true);
    await grantCredits(user.userId, 3);
    await waitFor(() => expect(text('credits')).toBe('3'), { timeout: 1000, interval: 20 });
  });

  it('re-reads the balance when the tab becomes visible again', async () => {
    renderProbe(user);
    await waitFor(() => expect(text('credits')).toBe('0'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await user.client.realtime.disconnect();
    await grantCredits(user.userId, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(text('credits')).toBe('0');
    act(() => { document.dispatchEvent(new Event('visibilitychange')); });
    await waitFor(() => expect(text('credits')).toBe('2'), { timeout: 2000 });
  });

  // Issue 18 item 6: the number is what the user watches; the history and totals may follow.
  it('shows a re-read balance before the slower history and totals re-read answers', async () => {
    await grantCredits(user.userId, 4);
    const slow = await clientWithSlowResponses(user, /\/rpc\/(credit_history|billing_summary)/, 3000);
    try {
      renderProbe(user, slow);
      await waitFor(() => expect(text('credits')).toBe('4'), { timeout: 1500, interval: 20 });
      expect(text('ledger')).toBe('');
      await waitFor(() => expect(text('ledger')).toBe('grant:4'), { timeout: 5000 });
    } finally {
      cleanup();
      await slow.removeAllChannels();
    }
  });

  it('shows a broadcast balance at once while a history re-read is still in flight', async () => {
    const slow = await clientWithSlowResponses(user, /\/rpc\/(credit_history|billing_summary)/, 2000);
    try {
      renderProbe(user, slow);
      await waitFor(() => expect(text('credits')).toBe('0'));
      await waitFor(() => expect(slow.getChannels()[0]?.state).toBe('joined'), { timeout: 5000 });
      await grantCredits(user.userId, 2);
      await waitFor(() => expect(text('credits')).toBe('2'), { timeout: 1000, interval: 20 });
      // A second change while the first one's history re-read is on its way: the number follows each.
      await grantCredits(user.userId, 3);
      await waitFor(() => expect(text('credits')).toBe('5'), { timeout: 1000, interval: 20 });
      await waitFor(() => expect(text('ledger')).toBe('grant:3,grant:2'), { timeout: 6000 });
      expect(text('credits')).toBe('5');
    } finally {
      cleanup();
      await slow.removeAllChannels();
    }
  });

  it('deducts credits through deduct_credits and agrees with the database', async () => {
    await grantCredits(user.userId, 5);
    renderProbe(user);
    await waitFor(() => expect(text('credits')).toBe('5'));
    await act(async () => { screen.getByRole('button', { name: 'spend 2' }).click(); });
    await waitFor(() => expect(text('last')).toBe('ok:3'));
    // A late Realtime event (e.g. of the grant above) may land while the spend is in flight; the
    // provider then re-reads instead of trusting the older answer, so the 3 can take a moment.
    await waitFor(() => expect(text('credits')).toBe('3'));
    expect(text('enough-3')).toBe('true');
    expect(text('enough-4')).toBe('false');
    expect(await serverBalance(user.userId)).toBe(3);
  });

  it('refuses a spend above the balance with insufficient_credits and changes nothing', async () => {
    await grantCredits(user.userId, 3);
    renderProbe(user);
    await waitFor(() => expect(text('credits')).toBe('3'));
    await act(async () => { screen.getByRole('button', { name: 'spend 10' }).click(); });
    await waitFor(() => expect(text('last')).toBe('error:insufficient_credits'));
    expect(text('credits')).toBe('3');
    expect(await serverBalance(user.userId)).toBe(3);
  });

  it('a spend answer older than a Realtime update does not overwrite it', async () => {
    await grantCredits(user.userId, 5);
    // The spend's HTTP answer arrives 1.5 s late; a grant made meanwhile reaches the tab by Realtime first.
    const slow = await clientWithSlowResponses(user, /\/rpc\/deduct_credits/, 1500);
    try {
      renderProbe(user, slow);
      await waitFor(() => expect(text('credits')).toBe('5'));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await act(async () => { screen.getByRole('button', { name: 'spend 2' }).click(); });
      await waitFor(async () => expect(await serverBalance(user.userId)).toBe(3));
      await grantCredits(user.userId, 5);
      await waitFor(() => expect(text('credits')).toBe('8'), { timeout: 1000 });
      await waitFor(() => expect(text('last')).toBe('ok:3'), { timeout: 3000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(text('credits')).toBe('8');
      expect(await serverBalance(user.userId)).toBe(8);
    } finally {
      cleanup();
      await slow.removeAllChannels();
    }
  });

  it('pages the history by keyset: "show older" appends the next page, and a new row keeps the older pages', async () => {
    const rows = HISTORY_PAGE_SIZE + 5;
    for (let done = 0; done < rows; done += 25) {
      await Promise.all(Array.from({ length: Math.min(25, rows - done) }, () => grantCredits(user.userId, 1)));
    }
    renderProbe(user);
    await waitFor(() => expect(text('credits')).toBe(String(rows)));
    const ids = () => (text('ledger-ids') ?? '').split(',').filter(Boolean).map(Number);
    await waitFor(() => expect(ids()).toHaveLength(HISTORY_PAGE_SIZE));
    expect(text('has-older')).toBe('true');
    await act(async () => { screen.getByRole('button', { name: 'show older' }).click(); });
    await waitFor(() => expect(ids()).toHaveLength(rows));
    expect(text('has-older')).toBe('false');
    // Every row once, newest first.
    expect(ids()).toEqual([...new Set(ids())].sort((a, b) => b - a));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await grantCredits(user.userId, 3);
    await waitFor(() => expect(text('ledger')).toMatch(/^grant:3,/));
    expect(ids()).toHaveLength(rows + 1);
    expect(text('has-older')).toBe('false');
  });

  it('addCredits(n) starts a checkout of the pack holding n credits', async () => {
    renderProbe(user);
    await waitFor(() => expect(text('plans')).toContain('pack_10'));
    await act(async () => { screen.getByRole('button', { name: 'add 10' }).click(); });
    await waitFor(() => expect(text('last')).toBe('ok:checkout'));
    expect(await paymentsOf(user.userId)).toEqual([{ plan_id: 'pack_10', status: 'pending' }]);
  });

  it('addCredits of an amount no pack holds is a clear unknown_plan error and starts nothing', async () => {
    renderProbe(user);
    await waitFor(() => expect(text('plans')).toContain('pack_10'));
    await act(async () => { screen.getByRole('button', { name: 'add 7' }).click(); });
    await waitFor(() => expect(text('last')).toBe('error:unknown_plan'));
    expect(await paymentsOf(user.userId)).toEqual([]);
  });

  // postgrest-js retries failed reads with backoff, so each failure takes several seconds to surface.
  it('network down: loading ends, and balance, history and plans each report a network error', { timeout: 45_000 }, async () => {
    const session = (await user.client.auth.getSession()).data.session;
    if (!session) throw new Error('no session');
    const offline = await clientWithStoredSession(session, await closedUrl());
    renderProbe(user, offline);
    await waitFor(() => expect(text('loading')).toBe('true'));
    await waitFor(() => expect(text('loading')).toBe('false'), { timeout: 15_000 });
    expect(text('credits')).toBe('unknown');
    expect(text('error')).toBe('network');
    await waitFor(() => expect(text('plans-error')).toBe('network'), { timeout: 15_000 });
    expect(text('history-error')).toBe('network');
    expect(text('plans')).toBe('');
    // Without plans, addCredits asks the server again and says why it cannot go on.
    await act(async () => { screen.getByRole('button', { name: 'add 10' }).click(); });
    await waitFor(() => expect(text('last')).toBe('error:network'), { timeout: 15_000 });
    await offline.removeAllChannels();
  });

  it('forgets the balance on sign-out', async () => {
    renderProbe(user);
    await waitFor(() => expect(text('credits')).toBe('0'));
    await act(async () => { await user.client.auth.signOut({ scope: 'local' }); });
    await waitFor(() => expect(text('credits')).toBe('unknown'));
  });
});
