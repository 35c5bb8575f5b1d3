// Realtime commit-to-callback latency: N subscribers, each a supabase-js client with its own
// websocket, subscribed to postgres_changes UPDATE on its own users row. A writer commits a
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

export interface RealtimeOptions { apiUrl: string; dbUrl: string; env: StackEnv; quick: boolean }

interface Subscriber { user: BenchUser; client: SupabaseClient; waiters: Map<number, (at: number) => void> }
interface Figure { subscribers: number; joinSeconds: number; latency: LatencySummary; missed: number }

const JOIN_TIMEOUT_MS = 90_000;
const EVENT_TIMEOUT_MS = 5000;

async function subscribe(apiUrl: string, env: StackEnv, user: BenchUser, topic: string): Promise<Subscriber> {
  const client = userClient(apiUrl, env, user.jwt);
  const sub: Subscriber = { user, client, waiters: new Map() };
  // Join with the user's token, not the anon key: realtime-js fetches an `accessToken` lazily and
  // a join sent before that resolves is an anon subscriber, whom RLS shows nothing.
  await client.realtime.setAuth(user.jwt);
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

async function measure(options: RealtimeOptions, subscribers: number, changes: number, writers: number): Promise<Figure> {
  const users = await makeBenchUsers(options.dbUrl, options.env, subscribers, 0, `rt${subscribers}-`);
  const joinStarted = performance.now();
  const subs: Subscriber[] = [];
  // Join in waves so the server is not asked for a thousand RLS checks in the same instant.
  for (let i = 0; i < users.length; i += 50) {
    subs.push(...await Promise.all(users.slice(i, i + 50).map((u) => subscribe(options.apiUrl, options.env, u, `bench:${u.id}`))));
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
  try {
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
  } finally {
    await Promise.all(dbs.map((c) => c.end()));
    await Promise.all(subs.map((s) => s.client.removeAllChannels()));
  }
  return { subscribers, joinSeconds, latency: summarize(latencies), missed };
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
  const sizes = options.quick ? [1, 100] : [1, 100, 1000];
  let baseline: LatencySummary | undefined;
  for (const n of sizes) {
    try {
      const figure = await measure(options, n, Math.max(100, Math.min(n, 1000)), n === 1 ? 1 : 4);
      details[`subscribers_${n}`] = figure;
      baseline ??= figure.latency;
      rows.push({
        section: 'realtime commit-to-callback', measure: `${n} subscriber${n > 1 ? 's' : ''}, own rows: p50 / p99`,
        value: `${ms(figure.latency.p50)} / ${ms(figure.latency.p99)}`, baseline: n === 1 ? undefined : `${ms(baseline.p50)} (1 sub)`,
        ratio: n === 1 ? undefined : baseline.p50 / figure.latency.p50,
        note: `${figure.latency.count} changes, ${figure.missed} missed; joined in ${figure.joinSeconds.toFixed(1)} s`,
      });
    } catch (error) {
      details[`subscribers_${n}`] = { error: String(error) };
      rows.push({ section: 'realtime commit-to-callback', measure: `${n} subscribers`, value: 'not measured', note: String(error).slice(0, 120) });
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
