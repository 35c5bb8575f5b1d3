// Single-call latency on an idle stack, the `latency` section of `npm run bench`: RPC round trips
// one at a time through the API (supabase-js over HTTP) vs the same function over direct SQL, and
// realtime commit-to-callback latency. With `subscribers` N, N clients (separate sockets) watch the
// row; the realtime figure is the time until the last of them got the change, so it includes the
// per-subscriber RLS checks.
import crypto from 'node:crypto';
import pg from 'pg';
import ws from 'ws';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { StackEnv } from '../lib/stack-env.ts';
import { urlAs } from '../local-supabase/src/db-urls.ts';
import { signUpAndConfirm } from '../lib/confirm-signup.ts';
import type { Row } from './report.ts';

export interface Stats { n: number; p50: number; p90: number; p99: number; mean: number }
export interface LatencyReport {
  rpcHttpReadMs: Stats;
  rpcSqlReadMs: Stats;
  rpcHttpWriteMs: Stats;
  rpcSqlWriteMs: Stats;
  realtimeCommitToCallbackMs: Stats;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (x: number): number => Math.round(x * 100) / 100;
  return { n: sorted.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length) };
}

async function time(n: number, work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(20, n); i += 1) await work();
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return samples;
}

function client(apiUrl: string, key: string): SupabaseClient {
  return createClient(apiUrl, key, {
    realtime: { transport: ws as unknown as typeof WebSocket },
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

/** The same call PostgREST makes, on a direct connection: one transaction as the user. */
async function asUserSql(db: pg.Client, claims: Record<string, unknown>, sql: string, args: unknown[]): Promise<void> {
  await db.query('begin');
  await db.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
  await db.query(sql, args);
  await db.query('commit');
}

export interface LatencyOptions { apiUrl: string; dbUrl: string; env: StackEnv; n: number; subscribers?: number }

export async function measureLatency(options: LatencyOptions): Promise<LatencyReport> {
  const { apiUrl, env, n } = options;
  const subscribers = Math.max(1, options.subscribers ?? 1);
  const user = client(apiUrl, env.ANON_KEY);
  const email = `latency-${crypto.randomBytes(6).toString('hex')}@example.test`;
  const signUp = { data: await signUpAndConfirm(user, apiUrl, email, `pw-${crypto.randomBytes(8).toString('hex')}`) };
  const userId = signUp.data.user.id;
  const claims = { sub: userId, role: 'authenticated', aud: 'authenticated' };
  const service = client(apiUrl, env.SERVICE_ROLE_KEY);
  const spends = 2 * (n + 20) + 200;
  for (let granted = 0; granted < spends; granted += 10_000) {
    const { error } = await service.rpc('add_credits', { user_id: userId, amount: Math.min(10_000, spends - granted), kind: 'grant', reason: 'latency benchmark' });
    if (error) throw new Error(`add_credits failed: ${error.message}`);
  }
  const db = new pg.Client({ connectionString: urlAs(options.dbUrl, 'authenticator') });
  await db.connect();
  const admin = new pg.Client({ connectionString: options.dbUrl });
  await admin.connect();
  try {
    const rpcHttpRead = await time(n, async () => {
      const { error } = await user.rpc('interview_cost', { duration_minutes: 60 }, { get: true });
      if (error) throw new Error(error.message);
    });
    const rpcSqlRead = await time(n, () => asUserSql(db, claims, 'select public.interview_cost(duration_minutes => $1)', [60]));
    const rpcHttpWrite = await time(n, async () => {
      const { error } = await user.rpc('deduct_credits', { amount: 1, reason: 'latency' });
      if (error) throw new Error(error.message);
    });
    const rpcSqlWrite = await time(n, () => asUserSql(db, claims, 'select public.deduct_credits(amount => $1, reason => $2)', [1, 'latency']));

    // Realtime: commit a change over SQL, time until every subscriber's callback has run.
    const watchers: SupabaseClient[] = [user];
    for (let i = 1; i < subscribers; i += 1) {
      const extra = client(apiUrl, env.ANON_KEY);
      await extra.auth.setSession({ access_token: signUp.data.session.access_token, refresh_token: signUp.data.session.refresh_token });
      watchers.push(extra);
    }
    // Each round waits for its own marker: earlier writes (the RPC phases above) may still be
    // on their way to the subscribers and must not count.
    let expected = '';
    let pending = 0;
    let resolveAll: (() => void) | undefined;
    await Promise.all(watchers.map((watcher, i) => new Promise<void>((resolve, reject) => {
      watcher.channel(`latency-${userId}-${i}`).on('postgres_changes',
        { event: 'UPDATE', schema: 'public', table: 'users', filter: `id=eq.${userId}` }, (payload) => {
          if ((payload.new as { name?: string }).name !== expected) return;
          pending -= 1;
          if (pending === 0) resolveAll?.();
        }).subscribe((status, error) => {
        if (status === 'SUBSCRIBED') resolve();
        else if (status !== 'CLOSED') reject(error ?? new Error(status));
      });
    })));
    const realtimeSamples: number[] = [];
    const rounds = Math.max(20, Math.floor(n / 5));
    for (let i = 0; i < rounds + 5; i += 1) {
      pending = watchers.length;
      expected = `latency ${i} ${crypto.randomBytes(4).toString('hex')}`;
      const arrived = new Promise<number>((resolve) => { resolveAll = () => resolve(performance.now()); });
      await admin.query(`update public.users set name = $1 where id = $2`, [expected, userId]);
      const committed = performance.now();
      const at = await Promise.race([arrived, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no realtime event within 5 s')), 5000))]);
      if (i >= 5) realtimeSamples.push(at - committed);
    }
    await Promise.all(watchers.map((w) => w.removeAllChannels()));
    return {
      rpcHttpReadMs: stats(rpcHttpRead),
      rpcSqlReadMs: stats(rpcSqlRead),
      rpcHttpWriteMs: stats(rpcHttpWrite),
      rpcSqlWriteMs: stats(rpcSqlWrite),
      realtimeCommitToCallbackMs: stats(realtimeSamples),
    };
  } finally {
    await db.end();
    await admin.end();
  }
}

const fmt = (s: Stats): string => `${s.p50.toFixed(2)} / ${s.p99.toFixed(2)} ms`;

/** The bench rows: each HTTP figure against the same call over direct SQL (p50 ratio SQL/HTTP). */
export async function runLatency(options: LatencyOptions): Promise<{ rows: Row[]; details: LatencyReport }> {
  const report = await measureLatency(options);
  const section = 'single-call latency, idle (p50 / p99)';
  const pair = (measure: string, http: Stats, sql: Stats): Row => ({
    section, measure, value: fmt(http), baseline: `${fmt(sql)} SQL`, ratio: sql.p50 / http.p50, note: `n=${http.n}, one call at a time`,
  });
  return {
    rows: [
      pair('interview_cost (GET) through the API', report.rpcHttpReadMs, report.rpcSqlReadMs),
      pair('deduct_credits through the API', report.rpcHttpWriteMs, report.rpcSqlWriteMs),
      { section, measure: `realtime commit-to-callback, last of ${Math.max(1, options.subscribers ?? 1)}`, value: fmt(report.realtimeCommitToCallbackMs), note: `n=${report.realtimeCommitToCallbackMs.n}` },
    ],
    details: report,
  };
}
