// The single owner of billing server state: balance, ledger, totals and plans. It is also the one
// place the balance's Realtime channel is opened and closed. The balance is re-read when the
// channel's change subscription is live (again), when Realtime says changes may have been missed,
// when the tab becomes visible and when the browser comes back online, so a dropped socket or a
// restarted database can never leave a stale number on screen.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import { useAuth } from '../auth/index.ts';
import { appError, type AppError } from '../lib/appError.ts';
import { fail, ok, type Result } from '../lib/result.ts';
import { BillingContext, type BillingValue } from './BillingContext.ts';
import * as api from './billingApi.ts';
import { redirectToCheckout } from './redirectToCheckout.ts';
import { randomId } from '../lib/randomId.ts';
import type { BillingSummary } from './billingSchemas.ts';
import type { LedgerEntry } from './billingTypes.ts';
import { usePlans } from './usePlans.ts';

const HISTORY_REFRESH_DELAY_MS = 250;

function creditsFromPayload(row: unknown): number | null {
  if (typeof row !== 'object' || row === null) return null;
  const credits = (row as { credits?: unknown }).credits;
  return typeof credits === 'number' ? credits : null;
}

export function BillingProvider({ children }: { children: ReactNode }) {
  const client = useSupabase();
  const { user } = useAuth();
  const userId = user?.id ?? null;

  const [credits, setCredits] = useState<number | null>(null);
  const { plans, plansError, reloadPlans, ensurePlans } = usePlans(client);
  const [ledger, setLedger] = useState<LedgerEntry[]>([]);
  const [summary, setSummary] = useState<BillingSummary | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [historyError, setHistoryError] = useState<AppError | null>(null);
  const [checkoutPlanId, setCheckoutPlanId] = useState<string | null>(null);

  // Counts balance updates that arrived from Realtime or from a spend; a read that started before
  // one of them carries an older number and must not overwrite it.
  const balanceVersion = useRef(0);
  const currentUser = useRef<string | null>(userId);
  currentUser.current = userId;

  const applyBalance = useCallback((value: number) => {
    balanceVersion.current += 1;
    setCredits(value);
  }, []);

  const refreshHistory = useCallback(async () => {
    const forUser = currentUser.current;
    if (!forUser) return;
    const [ledgerResult, summaryResult] = await Promise.all([api.fetchLedger(client), api.fetchSummary(client)]);
    if (currentUser.current !== forUser) return;
    if (ledgerResult.ok) setLedger(ledgerResult.data);
    if (summaryResult.ok) setSummary(summaryResult.data);
    // Either read failing means the History card would show an empty state that is not true.
    setHistoryError(ledgerResult.ok ? (summaryResult.ok ? null : summaryResult.error) : ledgerResult.error);
  }, [client]);

  const refresh = useCallback(async () => {
    const forUser = currentUser.current;
    if (!forUser) return;
    const startedAt = balanceVersion.current;
    // Plans too: a failed first read must not leave the page without prices until a reload.
    const [balanceResult] = await Promise.all([api.fetchBalance(client, forUser), refreshHistory(), ensurePlans()]);
    if (currentUser.current !== forUser) return;
    if (balanceResult.ok) {
      if (balanceVersion.current === startedAt) setCredits(balanceResult.data);
      setError(null);
    } else {
      setError(balanceResult.error);
      // The stored session no longer works: end it here so the guard sends the user to sign in
      // (with a "session expired" notice) instead of leaving them on a page that can't load.
      if (balanceResult.error.code === 'session_expired') void client.auth.signOut({ scope: 'local' });
    }
  }, [client, refreshHistory, ensurePlans]);

  // First read after sign-in; everything is cleared on sign-out so no other user's numbers linger.
  useEffect(() => {
    setCredits(null);
    setLedger([]);
    setSummary(null);
    setError(null);
    setHistoryError(null);
    if (!userId) {
      setLoading(false);
      return;
    }
    let active = true;
    setLoading(true);
    refresh().finally(() => { if (active) setLoading(false); });
    return () => { active = false; };
  }, [userId, refresh]);

  // The live balance: one channel per signed-in user, opened and closed only here.
  useEffect(() => {
    if (!userId) return;
    let historyTimer: ReturnType<typeof setTimeout> | undefined;
    // A topic of its own per subscription: supabase-js hands back an existing channel with the
    // same topic, which could be one still leaving after a quick sign-out / sign-in.
    const channel = client
      .channel(`balance:${userId}:${randomId()}`)
      .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'users', filter: `id=eq.${userId}` }, (payload) => {
        const next = creditsFromPayload(payload.new);
        if (next !== null) applyBalance(next);
        clearTimeout(historyTimer);
        historyTimer = setTimeout(() => { void refreshHistory(); }, HISTORY_REFRESH_DELAY_MS);
      })
      // Realtime answers the join (SUBSCRIBED) before it starts listening to the database; a change
      // committed in between is never sent. 'Subscribed to PostgreSQL' (status ok) says the
      // subscription is live, after every join and rejoin; an error says changes may have been
      // missed. Either way, re-reading now is what makes the number right.
      .on('system', {}, (message: { extension?: unknown }) => {
        if (message?.extension === 'postgres_changes') void refresh();
      })
      .subscribe();

    const onVisible = () => { if (document.visibilityState === 'visible') void refresh(); };
    const onOnline = () => { void refresh(); };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onOnline);
    return () => {
      clearTimeout(historyTimer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onOnline);
      void client.removeChannel(channel);
    };
  }, [client, userId, refresh, refreshHistory, applyBalance]);

  const hasEnoughCredits = useCallback((amount: number) => credits !== null && credits >= amount, [credits]);

  const deductCredits = useCallback(async (amount: number, reason?: string): Promise<Result<number>> => {
    const startedAt = balanceVersion.current;
    const result = await api.deductCredits(client, amount, reason ?? null);
    if (result.ok) {
      // Another update landed while the spend was in flight (Realtime, possibly of a later change):
      // which number is newer cannot be told from here, so the server decides.
      if (balanceVersion.current === startedAt) applyBalance(result.data);
      else void refresh();
      void refreshHistory();
    } else if (result.error.code === 'insufficient_credits') {
      // Our number was higher than the server's: re-read rather than trust either copy.
      void refresh();
    }
    return result;
  }, [client, applyBalance, refreshHistory, refresh]);

  const buyPlan = useCallback(async (planId: string): Promise<Result<null>> => {
    setCheckoutPlanId(planId);
    const result = await api.startCheckout(client, planId);
    if (!result.ok) {
      setCheckoutPlanId(null);
      return fail(result.error);
    }
    redirectToCheckout(result.data.url);
    return ok(null);
  }, [client]);

  const addCredits = useCallback(async (amount: number): Promise<Result<null>> => {
    let available = plans;
    if (!available.some((plan) => plan.kind === 'pack' && plan.credits === amount)) {
      // The plans may simply not have loaded yet (or failed to): ask once more before saying no.
      const reloaded = await reloadPlans();
      if (!reloaded.ok) return fail(reloaded.error);
      available = reloaded.data;
    }
    const pack = available.find((plan) => plan.kind === 'pack' && plan.credits === amount);
    if (!pack) return fail(appError('unknown_plan'));
    return buyPlan(pack.id);
  }, [plans, reloadPlans, buyPlan]);

  const value = useMemo<BillingValue>(() => ({
    credits, plans, plansError, ledger, summary, historyError, loading, error, checkoutPlanId,
    hasEnoughCredits, deductCredits, addCredits, buyPlan, refresh,
  }), [credits, plans, plansError, ledger, summary, historyError, loading, error, checkoutPlanId,
    hasEnoughCredits, deductCredits, addCredits, buyPlan, refresh]);

  return <BillingContext.Provider value={value}>{children}</BillingContext.Provider>;
}
