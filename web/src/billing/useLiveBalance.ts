// The live balance's wiring for BillingProvider: private Realtime channels (Broadcast from
// Database: the database sends each committed balance change to balance:<wallet id>, and
// realtime.messages policies let only the user, or a current member of the team, join), opened
// and closed only here, plus the browser events after which the number on screen may be stale.
// - The workspace's wallet: balance:<user id> for the personal workspace, balance:<team id> for a team.
// - The user's own topic balance:<user id> always, for the `membership` event {team_id, removed}
//   sent when they leave a team or are removed from it (the tab must leave that team at once).
// - The `limits` event {team_id} (a monthly limit changed: the member's on their own topic, the
//   team's on the team's): the summary, which carries the limits, is read again.
// - The wallet's `low_balance` (the balance crossed the alert) and `low_balance_threshold` (the
//   alert was changed in another tab) events carry the threshold: the banner follows at once.
// The balance is re-read whenever the wallet's channel is (re)joined, when the tab becomes visible
// and when the browser comes back online, so a dropped socket or a restarted database can never
// leave a stale number on screen.
import { useEffect } from 'react';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import {
  balanceFromPayload, limitsChangedFromPayload, membershipEndedFromPayload, thresholdFromPayload, type BalanceUpdate,
} from './balancePayload.ts';

const HISTORY_REFRESH_DELAY_MS = 250;

export interface LiveBalanceHandlers {
  /** A new balance sent by Realtime (available, and reserved when the message carries it). */
  applyBalance(balance: BalanceUpdate): void;
  /** Re-reads balance, history and plans. */
  refresh(): Promise<void>;
  /** Re-reads the history (after a change, debounced: one read for a burst of changes). */
  refreshHistory(): Promise<void>;
  /** The user is no longer a member of this team (removed, left, or the team deleted). */
  membershipEnded?(teamId: string): void;
  /** The workspace's low-balance threshold as a message says it is now (null: no alert). */
  applyThreshold?(threshold: number | null): void;
}

type Channel = ReturnType<AppSupabaseClient['channel']>;

// supabase-js hands back the channel it already has for a topic, and a channel being removed
// (a quick sign-out / sign-in, a switch of workspace) stays listed until its leave is answered:
// wait for that first.
const removals = new WeakMap<AppSupabaseClient, Promise<unknown>>();

export function useLiveBalance(
  client: AppSupabaseClient, userId: string | null, teamId: string | null,
  { applyBalance, refresh, refreshHistory, membershipEnded, applyThreshold }: LiveBalanceHandlers,
): void {
  useEffect(() => {
    if (!userId) return;
    let historyTimer: ReturnType<typeof setTimeout> | undefined;
    const channels: Channel[] = [];
    let ended = false;
    const onBalance = ({ payload }: { payload: unknown }) => {
      const next = balanceFromPayload(payload);
      if (next !== null) applyBalance(next);
      clearTimeout(historyTimer);
      historyTimer = setTimeout(() => { void refreshHistory(); }, HISTORY_REFRESH_DELAY_MS);
    };
    const onMembership = ({ payload }: { payload: unknown }) => {
      const team = membershipEndedFromPayload(payload);
      if (team) membershipEnded?.(team);
    };
    const onLimits = ({ payload }: { payload: unknown }) => {
      if (teamId !== null && limitsChangedFromPayload(payload) === teamId) void refreshHistory();
    };
    const onThreshold = ({ payload }: { payload: unknown }) => {
      const threshold = thresholdFromPayload(payload);
      if (threshold !== undefined) applyThreshold?.(threshold);
    };
    const open = async () => {
      await removals.get(client)?.catch(() => {});
      // A private join carries the user's access token; make sure Realtime has the current one.
      await client.realtime.setAuth().catch(() => {});
      if (ended) return;
      const own = client.channel(`balance:${userId}`, { config: { private: true } })
        .on('broadcast', { event: 'membership' }, onMembership)
        .on('broadcast', { event: 'limits' }, onLimits);
      // On a team, the personal balance's messages on the user's own topic are not this tab's.
      if (teamId === null) own.on('broadcast', { event: 'balance' }, onBalance);
      channels.push(own);
      const wallet = teamId === null ? own
        : client.channel(`balance:${teamId}`, { config: { private: true } })
          .on('broadcast', { event: 'balance' }, onBalance)
          .on('broadcast', { event: 'limits' }, onLimits);
      // Only the shown workspace's alert: on a team, the personal one's messages are not this tab's.
      wallet.on('broadcast', { event: 'low_balance' }, onThreshold)
        .on('broadcast', { event: 'low_balance_threshold' }, onThreshold);
      if (wallet !== own) {
        channels.push(wallet);
        own.subscribe();
      }
      // For Broadcast the join reply is the subscription: from SUBSCRIBED on, every change is
      // sent. What changed before it (or while the socket was down) is what this re-read finds.
      wallet.subscribe((status) => {
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
      if (channels.length > 0) removals.set(client, Promise.all(channels.map((channel) => client.removeChannel(channel))));
    };
  }, [client, userId, teamId, refresh, refreshHistory, applyBalance, membershipEnded, applyThreshold]);
}
