// The single owner of billing server state: balance, ledger, totals and plans. It composes the
// hooks that hold each part (useLedgerHistory, usePlans, useCheckout) and the live balance's
// wiring (useLiveBalance), and keeps the balance itself: which answer is newest is decided here.
// The signed-in user and the workspace this tab shows come as props (app/ passes the session's
// user and the selected team), so billing imports neither auth nor teams. Everything it holds is
// the selected workspace's: a switch clears it and reads the other wallet.
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
import { monthlyLimitLeft } from './monthlyLimitLeft.ts';

interface Props {
  userId: string | null;
  /** The team workspace shown (its wallet), or null for the user's personal one. */
  teamId?: string | null;
  /** Told when the user's own topic says they are no longer in a team (removed, left, deleted). */
  onMembershipEnded?(teamId: string): void;
  children: ReactNode;
}

export function BillingProvider({ userId, teamId = null, onMembershipEnded, children }: Props) {
  const client = useSupabase();

  // Available (users.credits) and reserved (users.credits_reserved) move together: one state.
  const [balance, setBalance] = useState<Balance | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  // Counts balance updates that arrived from Realtime or from a spend; a read that started before
  // one of them carries an older number and must not overwrite it.
  const balanceVersion = useRef(0);
  // One object per (user, workspace): a read compares the scope it started for with the current
  // one by identity, so an answer for another user or another workspace is dropped.
  const scope = useMemo<api.BillingScope | null>(() => (userId ? { userId, teamId } : null), [userId, teamId]);
  const currentScope = useRef<api.BillingScope | null>(scope);
  // eslint-disable-next-line react-hooks/refs -- answers that arrive after a sign-out or a switch of user or workspace compare against the scope rendered last; an effect would update it too late for the first read
  currentScope.current = scope;

  const { plans, plansError, reloadPlans, ensurePlans } = usePlans(client);
  const {
    ledger, summary, historyError, hasOlderHistory, loadingOlderHistory, refreshHistory, showOlderHistory, clearHistory,
  } = useLedgerHistory(client, currentScope);
  const { checkoutPlanId, buyPlan, addCredits } = useCheckout(client, teamId, { plans, reloadPlans });

  const applyBalance = useCallback(({ credits, reserved }: BalanceUpdate) => {
    balanceVersion.current += 1;
    setBalance((previous) => ({ credits, reserved: reserved ?? previous?.reserved ?? 0, threshold: previous?.threshold ?? null }));
  }, []);

  // The alert's threshold from a Realtime message (crossed, or changed in another tab). It rides
  // with the balance, so a read that started earlier may still bring its own (older) copy: that
  // is the same row read later, never older than what the message said before it committed.
  const applyThreshold = useCallback((threshold: number | null) => {
    setBalance((previous) => (previous ? { ...previous, threshold } : previous));
  }, []);

  const refresh = useCallback(async () => {
    const forScope = currentScope.current;
    if (!forScope) return;
    const startedAt = balanceVersion.current;
    // The balance lands as soon as its own read answers: the history and totals (a page of up to
    // 200 rows, re-rendered) and the plans follow when they arrive and never hold the number back.
    const balanceRead = api.fetchBalance(client, forScope).then((balanceResult) => {
      if (currentScope.current !== forScope) return;
      if (balanceResult.ok) {
        const read = balanceResult.data;
        if (balanceVersion.current === startedAt) setBalance(read);
        // A newer balance arrived meanwhile; the threshold read with this one is still current.
        else setBalance((previous) => (previous ? { ...previous, threshold: read.threshold } : previous));
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

  // First read after sign-in or a switch of workspace; everything is cleared first so no other
  // user's or workspace's numbers linger.
  useEffect(() => {
    setBalance(null);
    clearHistory();
    setError(null);
    if (!scope) {
      setLoading(false);
      return;
    }
    let active = true;
    setLoading(true);
    refresh().finally(() => { if (active) setLoading(false); });
    return () => { active = false; };
  }, [scope, refresh, clearHistory]);

  useLiveBalance(client, userId, teamId, { applyBalance, refresh, refreshHistory, membershipEnded: onMembershipEnded, applyThreshold });

  const credits = balance?.credits ?? null;
  const reserved = balance?.reserved ?? null;
  const lowBalanceThreshold = balance?.threshold ?? null;

  const setLowBalanceAlert = useCallback(async (threshold: number | null): Promise<Result<number | null>> => {
    const result = await api.setLowBalanceAlert(client, threshold, currentScope.current?.teamId ?? null);
    if (result.ok) applyThreshold(result.data);
    return result;
  }, [client, applyThreshold]);
  const limitLeft = summary?.limits ? monthlyLimitLeft(summary.limits) : null;
  // Reserved credits belong to scheduled interviews: only the available part can pay; in a team,
  // the member's and the team's monthly limits must allow it too.
  const hasEnoughCredits = useCallback((amount: number) => credits !== null && credits >= amount
    && (limitLeft === null || limitLeft >= amount), [credits, limitLeft]);

  const deductCredits = useCallback(async (amount: number, reason?: string): Promise<Result<number>> => {
    const startedAt = balanceVersion.current;
    const result = await api.deductCredits(client, amount, reason ?? null, currentScope.current?.teamId ?? null);
    if (result.ok) {
      // Another update landed while the spend was in flight (Realtime, possibly of a later change):
      // which number is newer cannot be told from here, so the server decides.
      if (balanceVersion.current === startedAt) applyBalance({ credits: result.data, reserved: null });
      else void refresh();
      void refreshHistory();
    } else if (['insufficient_credits', 'member_limit_reached', 'team_limit_reached'].includes(result.error.code)) {
      // Our number was higher than the server's: re-read rather than trust either copy.
      void refresh();
    }
    return result;
  }, [client, applyBalance, refreshHistory, refresh]);

  const value = useMemo<BillingValue>(() => ({
    teamId, limitLeft, credits, reserved, lowBalanceThreshold, setLowBalanceAlert, plans, plansError, ledger, summary, historyError, hasOlderHistory, loadingOlderHistory, showOlderHistory,
    loading, error, checkoutPlanId, hasEnoughCredits, deductCredits, addCredits, buyPlan, refresh,
  }), [teamId, limitLeft, credits, reserved, lowBalanceThreshold, setLowBalanceAlert, plans, plansError, ledger, summary, historyError, hasOlderHistory, loadingOlderHistory, showOlderHistory,
    loading, error, checkoutPlanId, hasEnoughCredits, deductCredits, addCredits, buyPlan, refresh]);

  return <BillingContext.Provider value={value}>{children}</BillingContext.Provider>;
}
