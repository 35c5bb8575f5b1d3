// Realtime commit-to-callback latency: N subscribers, each a supabase-js client with its own
// websocket, each on its own topic, in both ways the SPA could listen: Broadcast from Database on
// the private `balance:<user id>` topic (what it does) and postgres_changes UPDATE on its own users
// row (what it did). Also the database work per change (pg_stat_database tup_returned +
// tup_fetched over the measured changes, minus the writer's own statements measured alone). A writer commits a
// balance change over SQL and the clock runs from the moment the commit returns until that
// subscriber's callback fires. Then the fan-out: one user with 10 tabs, the time until the last
// tab has heard of a change. Clients and writer share this process; the API server has its own.
import pg from 'pg';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { StackEnv } from '../lib/stack-env.ts';
import { subscribeReady } from '../lib/realtime-ready.ts';
import { makeBenchUsers, userClient, type BenchUser } from './users.ts';
import { ms, summarize, type LatencySummary } from './stats.ts';
import type { Row } from './report.ts';

export interface RealtimeOptions { apiUrl: string; dbUrl: string; env: StackEnv; quick: boolean; sizes?: number[] }

interface Subscriber { user: BenchUser; client: SupabaseClient; waiters: Map<number, (at: number) => void> }
interface Figure { mode: Mode; subscribers: number; joinSeconds: number; latency: LatencySummary; missed: number; rowsReadPerChange: number }
export type Mode = 'broadcast' | 'postgres_changes';

const JOIN_TIMEOUT_MS = 90_000;
const EVENT_TIMEOUT_MS = 5000;

async function subscribe(apiUrl: string, env: StackEnv, user: BenchUser, topic: string, mode: Mode = 'postgres_changes'): Promise<Subscriber> {
  const client = userClient(apiUrl, env, user.jwt);
  const sub: Subscriber = { user, client, waiters: new Map() };
  // Join with the user's token, not the anon key: realtime-js fetches an `accessToken` lazily and
  // a join sent before that resolves is an anon subscriber, whom RLS shows nothing.
  await client.realtime.setAuth(user.jwt);
  const heard = (credits: number): void => {
    const at = performance.now();
    sub.waiters.get(credits)?.(at);
    sub.waiters.delete(credits);
  };
  if (mode === 'broadcast') {
    // The join reply is the subscription (authorised by the realtime.messages policy).
    await subscribeReady(client.channel(`balance:${user.id}`, { config: { private: true } })
      .on('broadcast', { event: 'balance' }, ({ payload }) => heard((payload as { credits: number }).credits)), JOIN_TIMEOUT_MS);
    return sub;
  }
  // Ready at 'Subscribed to PostgreSQL', which follows SUBSCRIBED: a change committed before it may not arrive.
  await subscribeReady(client.channel(topic)
    .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'users', filter: `id=eq.${user.id}` }, (payload) => {
      const at = performance.now();
      const credits = (payload.new as { credits: number }).credits;
      sub.waiters.get(credits)?.(at);
      sub.waiters.delete(credits);
    }), JOIN_TIMEOUT_MS);
  return sub;
}

/** Resolves with the callback time of the UPDATE that sets the balance to `credits`, or null. */
function awaitChange(sub: Subscriber, credits: number): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { sub.waiters.delete(credits); resolve(null); }, EVENT_TIMEOUT_MS);
    sub.waiters.set(credits, (at) => { clearTimeout(timer); resolve(at); });
  });
}

/** One balance change committed over SQL; returns the new balance and when the commit returned. */
async function spendOne(db: pg.Client, userId: string): Promise<{ balance: number; committedAt: number }> {
  const { rows } = await db.query<{ credits: number }>(
    "select (public.add_credits($1, 1, 'grant', 'realtime bench') ->> 'balance')::int as credits", [userId]);
  return { balance: rows[0].credits, committedAt: performance.now() };
}

/** Rows the database read (seq + index) so far, all sessions. */
async function rowsRead(db: pg.Client): Promise<number> {
  await db.query('select pg_stat_clear_snapshot()');
  const { rows } = await db.query<{ n: string }>('select tup_returned + tup_fetched as n from pg_stat_database where datname = current_database()');
  return Number(rows[0].n);
}

/** Rows read by the writer's own statements per change (no subscriber), to subtract. */
async function writerRowsPerChange(options: RealtimeOptions): Promise<number> {
  const [user] = await makeBenchUsers(options.dbUrl, options.env, 1, 0, 'rt-writer-');
  const db = new pg.Client({ connectionString: options.dbUrl });
  await db.connect();
  try {
    const before = await rowsRead(db);
    for (let i = 0; i < 50; i += 1) {
      await db.query('select credits from public.users where id = $1', [user.id]);
      await spendOne(db, user.id);
    }
    await new Promise((r) => setTimeout(r, 1100)); // stats are flushed at most once a second
    return (await rowsRead(db) - before) / 50;
  } finally {
    await db.end();
  }
}

async function measure(options: RealtimeOptions, mode: Mode, subscribers: number, changes: number, writers: number, writerRows: number): Promise<Figure> {
  const users = await makeBenchUsers(options.dbUrl, options.env, subscribers, 0, `rt${mode === 'broadcast' ? 'b' : 'p'}${subscribers}-`);
  const joinStarted = performance.now();
  const subs: Subscriber[] = [];
  // Join in waves so the server is not asked for a thousand RLS checks in the same instant.
  for (let i = 0; i < users.length; i += 50) {
    subs.push(...await Promise.all(users.slice(i, i + 50).map((u) => subscribe(options.apiUrl, options.env, u, `bench:${u.id}`, mode))));
  }
  const joinSeconds = (performance.now() - joinStarted) / 1000;
  await new Promise((r) => setTimeout(r, 500));

  const dbs = await Promise.all(Array.from({ length: writers }, async () => {
    const c = new pg.Client({ connectionString: options.dbUrl });
    await c.connect();
    return c;
  }));
  const latencies: number[] = [];
  let missed = 0;
  let next = 0;
  let rowsPerChange: number;
  try {
    await new Promise((r) => setTimeout(r, 1100));
    const before = await rowsRead(dbs[0]);
    await Promise.all(dbs.map(async (db) => {
      for (let n = next++; n < changes; n = next++) {
        const sub = subs[n % subs.length];
        const balance = (await db.query<{ credits: number }>('select credits from public.users where id = $1', [sub.user.id])).rows[0].credits + 1;
        const heard = awaitChange(sub, balance);
        const { committedAt } = await spendOne(db, sub.user.id);
        const at = await heard;
        if (at === null) missed += 1;
        else latencies.push(Math.max(0, at - committedAt));
      }
    }));
    await new Promise((r) => setTimeout(r, 1100));
    rowsPerChange = Math.max(0, (await rowsRead(dbs[0]) - before) / changes - writerRows);
  } finally {
    await Promise.all(dbs.map((c) => c.end()));
    await Promise.all(subs.map((s) => s.client.removeAllChannels()));
  }
  return { mode, subscribers, joinSeconds, latency: summarize(latencies), missed, rowsReadPerChange: rowsPerChange };
}

/** One user, `tabs` clients on the same row: the time until every tab has the change. */
async function fanOut(options: RealtimeOptions, tabs: number, changes: number): Promise<{ last: LatencySummary; each: LatencySummary; missed: number }> {
  const [user] = await makeBenchUsers(options.dbUrl, options.env, 1, 0, 'rt-tabs-');
  const subs = await Promise.all(Array.from({ length: tabs }, (_, i) => subscribe(options.apiUrl, options.env, user, `tabs:${user.id}:${i}`)));
  await new Promise((r) => setTimeout(r, 500));
  const db = new pg.Client({ connectionString: options.dbUrl });
  await db.connect();
  const last: number[] = [];
  const each: number[] = [];
  let missed = 0;
  try {
    for (let n = 1; n <= changes; n += 1) {
      const heard = subs.map((s) => awaitChange(s, n));
      const { committedAt } = await spendOne(db, user.id);
      const times = await Promise.all(heard);
      if (times.some((t) => t === null)) { missed += 1; continue; }
      const deltas = (times as number[]).map((t) => Math.max(0, t - committedAt));
      each.push(...deltas);
      last.push(Math.max(...deltas));
    }
  } finally {
    await db.end();
    await Promise.all(subs.map((s) => s.client.removeAllChannels()));
  }
  return { last: summarize(last), each: summarize(each), missed };
}

export async function runRealtime(options: RealtimeOptions): Promise<{ rows: Row[]; details: unknown }> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const sizes = options.sizes ?? (options.quick ? [1, 100] : [1, 100, 1000, 3000, 5000]);
  const writerRows = await writerRowsPerChange(options);
  details.writer_rows_read_per_change = writerRows;
  let baseline: LatencySummary | undefined;
  for (const n of sizes) {
    for (const mode of ['broadcast', 'postgres_changes'] as const) {
      try {
        const figure = await measure(options, mode, n, Math.max(100, Math.min(n, 1000)), n === 1 ? 1 : 4, writerRows);
        details[`${mode}_subscribers_${n}`] = figure;
        if (mode === 'postgres_changes') baseline ??= figure.latency;
        rows.push({
          section: `realtime commit-to-callback (${mode === 'broadcast' ? 'Broadcast from Database, private' : 'postgres_changes'})`,
          measure: `${n} subscriber${n > 1 ? 's' : ''}, own topics: p50 / p99`,
          value: `${ms(figure.latency.p50)} / ${ms(figure.latency.p99)}`,
          note: `${figure.latency.count} changes, ${figure.missed} missed; ${figure.rowsReadPerChange.toFixed(1)} rows read by the database per change; joined in ${figure.joinSeconds.toFixed(1)} s`,
        });
      } catch (error) {
        details[`${mode}_subscribers_${n}`] = { error: String(error) };
        rows.push({ section: `realtime commit-to-callback (${mode})`, measure: `${n} subscribers`, value: 'not measured', note: String(error).slice(0, 120) });
      }
    }
  }
  const tabs = await fanOut(options, 10, options.quick ? 20 : 100);
  details.fan_out_10_tabs = tabs;
  rows.push({
    section: 'realtime fan-out', measure: '1 user, 10 tabs: last tab p50 / p99',
    value: `${ms(tabs.last.p50)} / ${ms(tabs.last.p99)}`, baseline: baseline ? `${ms(baseline.p50)} (1 tab)` : undefined,
    ratio: baseline ? baseline.p50 / tabs.last.p50 : undefined, note: `${tabs.last.count} changes, ${tabs.missed} missed; any tab p50 ${ms(tabs.each.p50)}`,
  });
  return { rows, details };
}
