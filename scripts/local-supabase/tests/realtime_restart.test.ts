// API restart during realtime: three "tabs" of one recruiter (supabase-js clients that keep the
// balance the way the SPA's billing provider does: apply UPDATE payloads, re-read whenever the
// change subscription is live again ('Subscribed to PostgreSQL', after every join and rejoin))
// watch their balance while our own API server instance (on a free port) is stopped, the balance
// changes behind its back, and it comes back. realtime-js must reconnect and rejoin on its own,
// every tab must show the database's balance, and changes after the restart arrive as payloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { startApiServer, type ApiServer } from '../src/server.ts';
import { balanceOf, clientWithKey, closeDb, db, freePort, grantCredits, signUpUser, stackEnv, TEST_DB_URL, waitFor, type SignedUpUser } from '../../../test-support/stack.ts';

const PORT = await freePort();
const URL = `http://127.0.0.1:${PORT}`;

let server: ApiServer | undefined;
let recruiter: SignedUpUser;

interface Tab { client: SupabaseClient; channel: RealtimeChannel; shown: number | null; joins: number; payloads: number[]; names: string[] }

const tabs: Tab[] = [];

async function openTab(): Promise<Tab> {
  const client = clientWithKey(stackEnv().ANON_KEY, URL);
  await client.auth.setSession({ access_token: recruiter.session.access_token, refresh_token: recruiter.session.refresh_token });
  const tab: Tab = { client, channel: undefined as unknown as RealtimeChannel, shown: null, joins: 0, payloads: [], names: [] };
  const refresh = async (): Promise<void> => {
    const { data } = await client.from('users').select('credits').eq('id', recruiter.user.id).single();
    if (data) tab.shown = (data as { credits: number }).credits;
  };
  tab.channel = client
    .channel(`balance:${recruiter.user.id}:${tabs.length}`)
    .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'users', filter: `id=eq.${recruiter.user.id}` }, (payload) => {
      const row = payload.new as { credits: number; name: string | null };
      tab.shown = row.credits;
      tab.payloads.push(tab.shown);
      tab.names.push(row.name ?? '');
    })
    // Counts live subscriptions: 'Subscribed to PostgreSQL' follows every join and rejoin.
    .on('system', {}, (m: { extension: string; status: string }) => {
      if (m.extension !== 'postgres_changes') return;
      if (m.status === 'ok') tab.joins += 1;
      void refresh();
    })
    .subscribe();
  return tab;
}

const start = (): Promise<ApiServer> => startApiServer({ port: PORT, dbUrl: TEST_DB_URL, env: stackEnv() });
const allShow = (value: number) => () => tabs.every((t) => t.shown === value);

beforeAll(async () => {
  server = await start();
  recruiter = await signUpUser('restart', URL);
});

afterAll(async () => {
  for (const t of tabs) await t.client.removeAllChannels();
  await server?.close();
  await closeDb();
});

describe('API restart during realtime', () => {
  it('tabs reconnect and rejoin on their own, show the database balance, then follow it live again', async () => {
    for (let i = 0; i < 3; i += 1) tabs.push(await openTab());
    await waitFor(() => tabs.every((t) => t.joins === 1 && t.shown === 0), 10_000);
    // Sign-up's own row changes (choosing the password sets users.has_password) may still be in the
    // change feed when the tabs join: a marker after them, once every tab has it, means the feed has
    // passed them, so the payloads counted below are this test's alone.
    await db().query("update public.users set name = 'restart marker' where id = $1", [recruiter.user.id]);
    await waitFor(() => tabs.every((t) => t.names.includes('restart marker')), 5000);
    for (const t of tabs) t.payloads.length = 0;

    // A grant through this server's own REST reaches every tab as a payload.
    await grantCredits(recruiter.user.id, 5, URL);
    await waitFor(allShow(5), 5000);
    expect(tabs.map((t) => t.payloads)).toEqual([[5], [5], [5]]);

    await server!.close();
    server = undefined;
    // Straight in the database, as a payment settling elsewhere would: missed by every socket.
    await db().query("select public.add_credits($1, $2, 'grant', 'realtime restart test')", [recruiter.user.id, 7]);
    await new Promise((r) => setTimeout(r, 500));
    expect(tabs.map((t) => t.shown)).toEqual([5, 5, 5]);

    server = await start();
    // realtime-js retries after 1 s, 2 s, 5 s ...; the rejoin ends with 'Subscribed to PostgreSQL' again.
    await waitFor(() => tabs.every((t) => t.joins >= 2), 30_000, 50);
    await waitFor(allShow(12), 5000);
    expect(await balanceOf(recruiter.user.id)).toBe(12);

    // Live again after the restart: a spend in one tab reaches all of them as a payload.
    const { error } = await tabs[0].client.rpc('deduct_credits', { amount: 2 });
    expect(error).toBeNull();
    await waitFor(allShow(10), 5000);
    for (const t of tabs) expect(t.payloads.at(-1)).toBe(10);
    expect(await balanceOf(recruiter.user.id)).toBe(10);
  }, 60_000);
});
