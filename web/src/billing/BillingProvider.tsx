// The single owner of billing server state: balance, ledger, totals and plans. It composes the
// hooks that hold each part (useLedgerHistory, usePlans, useCheckout) and the live balance's
// wiring (useLiveBalance), and keeps the balance itself: which answer is newest is decided here.
// The signed-in user comes as a prop (app/ passes the session's), so billing does not import auth.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import type { Result } from '../lib/result.ts';
import { BillingContext, type BillingValue } from './BillingContext.ts';
import * as api from './billingApi.ts';
import { usePlans } from './usePlans.ts';
import { useLedgerHistory } from './useLedgerHistory.ts';
import { useCheckout } from './useCheckout.ts';
import { useLiveBalance } from './useLiveBalance.ts';
import type { BalanceUpdate } from './balancePayload.ts';
import type { Balance } from './billingTypes.ts';

export function BillingProvider({ userId, children }: { userId: string | null; children: ReactNode }) {
  const client = useSupabase();

  // Available (users.credits) and reserved (users.credits_reserved) move together: one state.
  const [balance, setBalance] = useState<Balance | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  // Counts balance updates that arrived from Realtime or from a spend; a read that started before
  // one of them carries an older number and must not overwrite it.
  const balanceVersion = useRef(0);
  const currentUser = useRef<string | null>(userId);
  // eslint-disable-next-line react-hooks/refs -- answers that arrive after a sign-out or a switch of user compare against the user rendered last; an effect would update it too late for the first read
  currentUser.current = userId;

  const { plans, plansError, reloadPlans, ensurePlans } = usePlans(client);
  const {
    ledger, summary, historyError, hasOlderHistory, loadingOlderHistory, refreshHistory, showOlderHistory, clearHistory,
  } = useLedgerHistory(client, currentUser);
  const { checkoutPlanId, buyPlan, addCredits } = useCheckout(client, { plans, reloadPlans });

  const applyBalance = useCallback(({ credits, reserved }: BalanceUpdate) => {
    balanceVersion.current += 1;
    setBalance((previous) => ({ credits, reserved: reserved ?? previous?.reserved ?? 0 }));
  }, []);

  const refresh = useCallback(async () => {
    const forUser = currentUser.current;
    if (!forUser) return;
    const startedAt = balanceVersion.current;
    // The balance lands as soon as its own read answers: the history and totals (a page of up to
    // 200 rows, re-rendered) and the plans follow when they arrive and never hold the number back.
    const balanceRead = api.fetchBalance(client, forUser).then((balanceResult) => {
      if (currentUser.current !== forUser) return;
      if (balanceResult.ok) {
        if (balanceVersion.current === startedAt) setBalance(balanceResult.data);
        setError(null);
      } else {
        setError(balanceResult.error);
        // The stored session no longer works: end it here so the guard sends the user to sign in
        // (with a "session expired" notice) instead of leaving them on a page that can't load.
        if (balanceResult.error.code === 'session_expired') void client.auth.signOut({ scope: 'local' });
      }
    });
    // Plans too: a failed first read must not leave the page without prices until a reload.
    await Promise.all([balanceRead, refreshHistory(), ensurePlans()]);
  }, [client, refreshHistory, ensurePlans]);

  // First read after sign-in; everything is cleared on sign-out so no other user's numbers linger.
  useEffect(() => {
    setBalance(null);
    clearHistory();
    setError(null);
    if (!userId) {
      setLoading(false);
      return;
    }
    let active = true;
    setLoading(true);
    refresh().finally(() => { if (active) setLoading(false); });
    return () => { active = false; };
  }, [userId, refresh, clearHistory]);

  useLiveBalance(client, userId, { applyBalance, refresh, refreshHistory });

  const credits = balance?.credits ?? null;
  const reserved = balance?.reserved ?? null;
  // Reserved credits belong to scheduled interviews: only the available part can pay.
  const hasEnoughCredits = useCallback((amount: number) => credits !== null && credits >= amount, [credits]);

  const deductCredits = useCallback(async (amount: number, reason?: string): Promise<Result<number>> => {
    const startedAt = balanceVersion.current;
    const result = await api.deductCredits(client, amount, reason ?? null);
    if (result.ok) {
      // Another update landed while the spend was in flight (Realtime, possibly of a later change):
      // which number is newer cannot be told from here, so the server decides.
      if (balanceVersion.current === startedAt) applyBalance({ credits: result.data, reserved: null });
      else void refresh();
      void refreshHistory();
    } else if (result.error.code === 'insufficient_credits') {
      // Our number was higher than the server's: re-read rather than trust either copy.
      void refresh();
    }
    return result;
  }, [client, applyBalance, refreshHistory, refresh]);

  const value = useMemo<BillingValue>(() => ({
    credits, reserved, plans, plansError, ledger, summary, historyError, hasOlderHistory, loadingOlderHistory, showOlderHistory,
    loading, error, checkoutPlanId, hasEnoughCredits, deductCredits, addCredits, buyPlan, refresh,
  }), [credits, reserved, plans, plansError, ledger, summary, historyError, hasOlderHistory, loadingOlderHistory, showOlderHistory,
    loading, error, checkoutPlanId, hasEnoughCredits, deductCredits, addCredits, buyPlan, refresh]);

  return <BillingContext.Provider value={value}>{children}</BillingContext.Provider>;
}
