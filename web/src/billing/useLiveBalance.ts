// The live balance's wiring for BillingProvider: one private Realtime channel per signed-in user
// (topic `balance:<user id>`, Broadcast from Database: the database sends each committed balance
// change there, and realtime.messages policies let only that user join), opened and closed only
// here, plus the browser events after which the number on screen may be stale.
// The balance is re-read whenever the channel is (re)joined, when the tab becomes visible and when
// the browser comes back online, so a dropped socket or a restarted database can never leave a
// stale number on screen.
import { useEffect } from 'react';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { balanceFromPayload, type BalanceUpdate } from './balancePayload.ts';

const HISTORY_REFRESH_DELAY_MS = 250;

export interface LiveBalanceHandlers {
  /** A new balance sent by Realtime (available, and reserved when the message carries it). */
  applyBalance(balance: BalanceUpdate): void;
  /** Re-reads balance, history and plans. */
  refresh(): Promise<void>;
  /** Re-reads the history (after a change, debounced: one read for a burst of changes). */
  refreshHistory(): Promise<void>;
}

// supabase-js hands back the channel it already has for a topic, and a channel being removed
// (a quick sign-out / sign-in) stays listed until its leave is answered: wait for that first.
const removals = new WeakMap<AppSupabaseClient, Promise<unknown>>();

export function useLiveBalance(client: AppSupabaseClient, userId: string | null, { applyBalance, refresh, refreshHistory }: LiveBalanceHandlers): void {
  useEffect(() => {
    if (!userId) return;
    let historyTimer: ReturnType<typeof setTimeout> | undefined;
    let channel: ReturnType<AppSupabaseClient['channel']> | undefined;
    let ended = false;
    const open = async () => {
      await removals.get(client)?.catch(() => {});
      // A private join carries the user's access token; make sure Realtime has the current one.
      await client.realtime.setAuth().catch(() => {});
      if (ended) return;
      channel = client
        .channel(`balance:${userId}`, { config: { private: true } })
        .on('broadcast', { event: 'balance' }, ({ payload }) => {
          const next = balanceFromPayload(payload);
          if (next !== null) applyBalance(next);
          clearTimeout(historyTimer);
          historyTimer = setTimeout(() => { void refreshHistory(); }, HISTORY_REFRESH_DELAY_MS);
        })
        // For Broadcast the join reply is the subscription: from SUBSCRIBED on, every change is
        // sent. What changed before it (or while the socket was down) is what this re-read finds.
        .subscribe((status) => {
          if (status === 'SUBSCRIBED') void refresh();
        });
    };
    void open();

    const onVisible = () => { if (document.visibilityState === 'visible') void refresh(); };
    const onOnline = () => { void refresh(); };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onOnline);
    return () => {
      ended = true;
      clearTimeout(historyTimer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onOnline);
      if (channel) removals.set(client, client.removeChannel(channel));
    };
  }, [client, userId, refresh, refreshHistory, applyBalance]);
}
