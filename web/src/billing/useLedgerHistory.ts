// The ledger (keyset pages of credit_history) and its totals for BillingProvider, with the last
// failure kept so the History card never shows a false "no activity".
import { startTransition, useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import type { AppError } from '../lib/appError.ts';
import * as api from './billingApi.ts';
import type { BillingScope } from './billingApi.ts';
import type { BillingSummary, CreditHistoryPage } from './billingSchemas.ts';
import type { LedgerEntry } from './billingTypes.ts';
import { NO_HISTORY, withNewestPage, withOlderPage, type LoadedHistory } from './historyPages.ts';

export interface LedgerHistoryState {
  ledger: LedgerEntry[];
  summary: BillingSummary | null;
  historyError: AppError | null;
  /** True when older rows exist than those loaded. */
  hasOlderHistory: boolean;
  /** True while an older page is being read. */
  loadingOlderHistory: boolean;
  /** Re-reads the newest page and totals of the workspace shown now; a late answer for another user or workspace is dropped. */
  refreshHistory(): Promise<void>;
  /** Reads the next older page (keyset: rows before the oldest loaded) and appends it. */
  showOlderHistory(): Promise<void>;
  /** Forgets everything (sign-out, another user, another workspace). */
  clearHistory(): void;
}

const loaded = (page: CreditHistoryPage): LoadedHistory => ({ entries: page.entries, nextBeforeId: page.next_before_id });

export function useLedgerHistory(client: AppSupabaseClient, currentScope: RefObject<BillingScope | null>): LedgerHistoryState {
  const [history, setHistory] = useState<LoadedHistory>(NO_HISTORY);
  const [summary, setSummary] = useState<BillingSummary | null>(null);
  const [historyError, setHistoryError] = useState<AppError | null>(null);
  const [loadingOlderHistory, setLoadingOlderHistory] = useState(false);
  // Reads overlap (Realtime, a purchase, a cancel): an answer to an older read must not replace a
  // newer one, or "Payment complete" could sit beside totals read before the payment.
  // A superseded read resolves when the newest one has landed, so whoever awaited it sees data at
  // least as new as what it asked for.
  const latestRead = useRef<Promise<void> | null>(null);
  const latestToken = useRef<object | null>(null);
  // A read's promise resolves once its transition has committed, not when it was scheduled: an
  // urgent update made after awaiting it ("Payment complete") would otherwise commit first, beside
  // totals that do not include the purchase yet.
  const [committedRead, setCommittedRead] = useState(0);
  const readCount = useRef(0);
  const waitingForCommit = useRef(new Map<number, () => void>());
  useEffect(() => {
    for (const [n, resolve] of waitingForCommit.current) {
      if (n <= committedRead) { waitingForCommit.current.delete(n); resolve(); }
    }
  }, [committedRead]);

  const refreshHistory = useCallback(async () => {
    const forScope = currentScope.current;
    if (!forScope) return;
    const token = {};
    latestToken.current = token;
    const read: Promise<void> = (async () => {
      const [pageResult, summaryResult] = await Promise.all([
        api.fetchHistoryPage(client, null, forScope.teamId), api.fetchSummary(client, forScope.teamId)]);
      if (currentScope.current !== forScope) return;
      if (latestToken.current !== token) return latestRead.current ?? undefined;
      // A transition: re-rendering a long history (thousands of rows once "Show older" was used)
      // takes the main thread for a while, and a balance that arrives meanwhile must not wait for
      // it. React renders this in slices and drops the slice in progress for the balance's update.
      const n = ++readCount.current;
      const committed = new Promise<void>((resolve) => { waitingForCommit.current.set(n, resolve); });
      startTransition(() => {
        if (pageResult.ok) setHistory((current) => withNewestPage(current, loaded(pageResult.data)));
        if (summaryResult.ok) setSummary(summaryResult.data);
        // Either read failing means the History card would show an empty state that is not true.
        setHistoryError(pageResult.ok ? (summaryResult.ok ? null : summaryResult.error) : pageResult.error);
        setCommittedRead(n);
      });
      await committed;
    })();
    latestRead.current = read;
    return read;
  }, [client, currentScope]);

  const nextBeforeId = history.nextBeforeId;
  const showOlderHistory = useCallback(async () => {
    const forScope = currentScope.current;
    if (!forScope || nextBeforeId === null) return;
    setLoadingOlderHistory(true);
    const result = await api.fetchHistoryPage(client, nextBeforeId, forScope.teamId);
    if (currentScope.current !== forScope) return;
    setLoadingOlderHistory(false);
    if (result.ok) setHistory((current) => withOlderPage(current, nextBeforeId, loaded(result.data)));
    else setHistoryError(result.error);
  }, [client, currentScope, nextBeforeId]);

  const clearHistory = useCallback(() => {
    setHistory(NO_HISTORY);
    setSummary(null);
    setHistoryError(null);
    setLoadingOlderHistory(false);
  }, []);

  return {
    ledger: history.entries, summary, historyError, hasOlderHistory: nextBeforeId !== null, loadingOlderHistory,
    refreshHistory, showOlderHistory, clearHistory,
  };
}
