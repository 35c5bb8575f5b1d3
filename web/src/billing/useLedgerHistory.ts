// The ledger and its totals for BillingProvider, with the last failure kept so the History card
// never shows a false "no activity".
import { useCallback, useRef, useState, type RefObject } from 'react';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import type { AppError } from '../lib/appError.ts';
import * as api from './billingApi.ts';
import type { BillingSummary } from './billingSchemas.ts';
import type { LedgerEntry } from './billingTypes.ts';

export interface LedgerHistoryState {
  ledger: LedgerEntry[];
  summary: BillingSummary | null;
  historyError: AppError | null;
  /** Re-reads ledger and totals for the user signed in now; a late answer for another user is dropped. */
  refreshHistory(): Promise<void>;
  /** Forgets everything (sign-out, another user). */
  clearHistory(): void;
}

export function useLedgerHistory(client: AppSupabaseClient, currentUser: RefObject<string | null>): LedgerHistoryState {
  const [ledger, setLedger] = useState<LedgerEntry[]>([]);
  const [summary, setSummary] = useState<BillingSummary | null>(null);
  const [historyError, setHistoryError] = useState<AppError | null>(null);
  // Reads overlap (Realtime, a purchase, a cancel): an answer to an older read must not replace a
  // newer one, or "Payment complete" could sit beside totals read before the payment.
  // A superseded read resolves when the newest one has landed, so whoever awaited it sees data at
  // least as new as what it asked for.
  const latestRead = useRef<Promise<void> | null>(null);
  const latestToken = useRef<object | null>(null);

  const refreshHistory = useCallback(async () => {
    const forUser = currentUser.current;
    if (!forUser) return;
    const token = {};
    latestToken.current = token;
    const read: Promise<void> = (async () => {
      const [ledgerResult, summaryResult] = await Promise.all([api.fetchLedger(client), api.fetchSummary(client)]);
      if (currentUser.current !== forUser) return;
      if (latestToken.current !== token) return latestRead.current ?? undefined;
      if (ledgerResult.ok) setLedger(ledgerResult.data);
      if (summaryResult.ok) setSummary(summaryResult.data);
      // Either read failing means the History card would show an empty state that is not true.
      setHistoryError(ledgerResult.ok ? (summaryResult.ok ? null : summaryResult.error) : ledgerResult.error);
    })();
    latestRead.current = read;
    return read;
  }, [client, currentUser]);

  const clearHistory = useCallback(() => {
    setLedger([]);
    setSummary(null);
    setHistoryError(null);
  }, []);

  return { ledger, summary, historyError, refreshHistory, clearHistory };
}
