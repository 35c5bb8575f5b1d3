// Database crash under open realtime channels: two tabs of one recruiter (supabase-js clients that
// keep the balance as the SPA's billing provider does: apply UPDATE payloads, re-read on every
// postgres_changes system message) stay subscribed while the postmaster is SIGKILLed and Postgres
// is started again; two more tabs listen as the SPA does now, on the private Broadcast topic. A balance change committed right after the restart (before the API's change
// feed has reconnected) must reach both open channels. Several rounds, to catch a race.
// Runs on a throwaway cluster of its own (.local/rt-restart-pg) and an API server pointed at it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { ThrowawayCluster } from '../../lib/throwaway-cluster.ts';
import { startApiServer, type ApiServer } from '../src/server.ts';
import { subscribeReady } from '../../lib/realtime-ready.ts';
import { clientWithKey, freePort, signUpUser, stackEnv, waitFor, type SignedUpUser } from '../../../test-support/stack.ts';

const DATABASE = 'dev_rel_rt_restart';
const cluster = new ThrowawayCluster({ name: 'rt-restart-pg', port: await freePort(), database: DATABASE });
const ROUNDS = 3;

interface Tab { client: SupabaseClient; channel: RealtimeChannel; shown: number | null; changes: number[]; system: string[] }

let server: ApiServer | undefined;
let recruiter: SignedUpUser;
const tabs: Tab[] = [];
/** The same, on the private Broadcast channel (one per client: supabase-js keeps one channel per topic). */
const broadcastTabs: Tab[] = [];

async function openTab(): Promise<Tab> {
  const client = clientWithKey(stackEnv().ANON_KEY, server!.url);
  await client.auth.setSession({ access_token: recruiter.session.access_token, refresh_token: recruiter.session.refresh_token });
  const tab: Tab = { client, channel: undefined as unknown as RealtimeChannel, shown: null, changes: [], system: [] };
  const refresh = async (): Promise<void> => {
    const { data } = await client.from('users').select('credits').eq('id', recruiter.user.id).single();
    if (data) tab.shown = (data as { credits: number }).credits;
  };
  tab.channel = client.channel(`balance:${recruiter.user.id}:${tabs.length}`)
    .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'users', filter: `id=eq.${recruiter.user.id}` }, (payload) => {
      const credits = (payload.new as { credits: number }).credits;
      tab.changes.push(credits);
      tab.shown = credits;
    })
    .on('system', {}, (m: { extension: string; status: string }) => {
      if (m.extension !== 'postgres_changes') return;
      tab.system.push(m.status);
      void refresh();
    });
  await subscribeReady(tab.channel);
  await refresh();
  return tab;
}

/** A tab on the SPA's path: the private balance:<user id> topic (Broadcast from Database), re-read on join. */
async function openBroadcastTab(): Promise<Tab> {
  const client = clientWithKey(stackEnv().ANON_KEY, server!.url);
  await client.auth.setSession({ access_token: recruiter.session.access_token, refresh_token: recruiter.session.refresh_token });
  const tab: Tab = { client, channel: undefined as unknown as RealtimeChannel, shown: null, changes: [], system: [] };
  const refresh = async (): Promise<void> => {
    const { data } = await client.from('users').select('credits').eq('id', recruiter.user.id).single();
    if (data) tab.shown = (data as { credits: number }).credits;
  };
  tab.channel = client.channel(`balance:${recruiter.user.id}`, { config: { private: true } })
    .on('broadcast', { event: 'balance' }, ({ payload }) => {
      const credits = (payload as { credits: number }).credits;
      tab.changes.push(credits);
      tab.shown = credits;
    });
  await subscribeReady(tab.channel);
  await refresh();
  return tab;
}

/** Straight in the database, as a payment settling elsewhere would; retried while Postgres recovers. */
async function grant(amount: number): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    const client = new pg.Client({ connectionString: cluster.url(DATABASE), connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ r: { balance: number } }>(
        "select public.add_credits($1, $2, 'grant', 'realtime db restart test') as r", [recruiter.user.id, amount]);
      return rows[0].r.balance;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

beforeAll(async () => {
  await cluster.create();
  await cluster.start();
  await cluster.buildDatabase();
  server = await startApiServer({ port: await freePort(), dbUrl: cluster.url(DATABASE), env: stackEnv() });
  recruiter = await signUpUser('rt-db-restart', server.url);
}, 120_000);

afterAll(async () => {
  for (const tab of [...tabs, ...broadcastTabs]) await tab.client.removeAllChannels();
  await server?.close();
  await cluster.remove();
});

describe('database restart under open realtime channels', () => {
  it('a change committed right after Postgres is back reaches every open channel, round after round', async () => {
    tabs.push(await openTab(), await openTab());
    broadcastTabs.push(await openBroadcastTab(), await openBroadcastTab());
    const all = [...tabs, ...broadcastTabs];
    let expected = await grant(1);
    await waitFor(() => all.every((t) => t.shown === expected), 3000);

    for (let round = 1; round <= ROUNDS; round += 1) {
      const before = all.map((t) => t.changes.length);
      await cluster.kill();
      await cluster.start();
      expected = await grant(round * 10);
      await waitFor(() => all.every((t) => t.shown === expected), 5000).catch(() => {
        throw new Error(`round ${round}: tabs show ${all.map((t) => t.shown).join(', ')}, the database has ${expected}`);
      });
      // Delivered as a change on the open channel, not only found by a later re-read.
      for (const [i, tab] of all.entries()) expect(tab.changes.slice(before[i]), `round ${round}, tab ${i}`).toContain(expected);
    }
    // Nothing was lost, so no channel had to be told to re-read.
    expect(tabs.flatMap((t) => t.system)).toEqual(['ok', 'ok']);
  }, 60_000);

  // A failover to a server without the slot, or a rebuild: changes of the gap are not in the new slot.
  it('when the change feed loses its slot, every open channel gets a system error, then "Subscribed" again, and re-reads', async () => {
    const admin = new pg.Client({ connectionString: cluster.url(DATABASE) });
    await admin.connect();
    try {
      const marks = tabs.map((t) => t.system.length);
      // The SQL interface holds the slot only while a read runs: drop it between two reads.
      await waitFor(async () => (await admin.query(`select pg_drop_replication_slot(slot_name) from pg_replication_slots
        where slot_name like 'local_api_realtime_%' and not active`)).rowCount! > 0, 3000, 5);
      const expected = await grant(100);
      await waitFor(() => tabs.every((t, i) => t.system.length >= marks[i] + 2), 5000);
      await waitFor(() => tabs.every((t) => t.shown === expected), 3000);
      for (const [i, tab] of tabs.entries()) expect(tab.system.slice(marks[i])).toEqual(['error', 'ok']);
      // Live again on the new slot.
      const next = await grant(1);
      await waitFor(() => tabs.every((t) => t.changes.at(-1) === next), 3000);
    } finally {
      await admin.end();
    }
  }, 30_000);
});
