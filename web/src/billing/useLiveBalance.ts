// The live balance's wiring for BillingProvider: one Realtime channel per signed-in user, opened and
// closed only here, plus the browser events after which the number on screen may be stale.
// The balance is re-read when the channel's change subscription is live (again), when Realtime says
// changes may have been missed, when the tab becomes visible and when the browser comes back
// online, so a dropped socket or a restarted database can never leave a stale number on screen.
import { useEffect } from 'react';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { randomId } from '../lib/randomId.ts';

const HISTORY_REFRESH_DELAY_MS = 250;

export interface LiveBalanceHandlers {
  /** A new balance sent by Realtime. */
  applyBalance(credits: number): void;
  /** Re-reads balance, history and plans. */
  refresh(): Promise<void>;
  /** Re-reads the history (after a change, debounced: one read for a burst of changes). */
  refreshHistory(): Promise<void>;
}

function creditsFromPayload(row: unknown): number | null {
  if (typeof row !== 'object' || row === null) return null;
  const credits = (row as { credits?: unknown }).credits;
  return typeof credits === 'number' ? credits : null;
}

export function useLiveBalance(client: AppSupabaseClient, userId: string | null, { applyBalance, refresh, refreshHistory }: LiveBalanceHandlers): void {
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
}
