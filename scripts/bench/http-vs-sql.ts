// create_interview through the whole HTTP path (supabase-js -> local API -> PostgREST-style
// transaction) against the same function over a direct SQL connection, each with the same
// number of concurrent closed-loop clients (one user each). The ratio is what the HTTP layer costs.
import crypto from 'node:crypto';
import pg from 'pg';
import type { StackEnv } from '../lib/stack-env.ts';
import { summarize, ms, type LatencySummary } from './stats.ts';
import type { Row } from './report.ts';
import { makeBenchUsers, userClient } from './users.ts';

export interface HttpVsSqlOptions { apiUrl: string; dbUrl: string; env: StackEnv; clients: number; seconds: number }
interface Side { calls: number; errors: number; tps: number; latency: LatencySummary }

const ARGS = { job_position: 'Benchmark engineer', duration_minutes: 30, interview_type: 'technical' };

async function closedLoop(clients: number, seconds: number, call: (worker: number) => Promise<boolean>): Promise<Side> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, worker) => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const ok = await call(worker);
      latencies.push(performance.now() - t0);
      if (!ok) errors += 1;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  return { calls: latencies.length, errors, tps: latencies.length / elapsed, latency: summarize(latencies) };
}

export async function runHttpVsSql(options: HttpVsSqlOptions): Promise<{ rows: Row[]; details: unknown }> {
  const users = await makeBenchUsers(options.dbUrl, options.env, options.clients, 60_000, `http-${crypto.randomBytes(3).toString('hex')}-`);
  const clients = users.map((u) => userClient(options.apiUrl, options.env, u.jwt));
  const connections = await Promise.all(users.map(async () => {
    const c = new pg.Client({ connectionString: options.dbUrl });
    await c.connect();
    // What PostgREST does per request, minus HTTP: act as the user through the JWT claims.
    await c.query('set role authenticated');
    return c;
  }));
  const sqlCall = async (worker: number): Promise<boolean> => {
    const r = await connections[worker].query(
      `select public.create_interview($2, null, $3, $4) as result from (select pg_catalog.set_config('request.jwt.claims', $1, true)) s`,
      [users[worker].claims, ARGS.job_position, ARGS.duration_minutes, ARGS.interview_type]);
    return r.rows.length === 1;
  };
  const httpCall = async (worker: number): Promise<boolean> => {
    const { error } = await clients[worker].rpc('create_interview', ARGS);
    return !error;
  };
  try {
    // Warm both paths (plans, pools, JIT of the server code) before measuring.
    await closedLoop(options.clients, 1, httpCall);
    await closedLoop(options.clients, 1, sqlCall);
    const half = options.seconds / 2;
    const sides = { http: [] as Side[], sql: [] as Side[] };
    for (let round = 0; round < 2; round += 1) {
      sides.http.push(await closedLoop(options.clients, half, httpCall));
      sides.sql.push(await closedLoop(options.clients, half, sqlCall));
    }
    const merge = (s: Side[]): Side => ({
      calls: s.reduce((a, b) => a + b.calls, 0), errors: s.reduce((a, b) => a + b.errors, 0),
      tps: s.reduce((a, b) => a + b.tps, 0) / s.length,
      latency: { count: s.reduce((a, b) => a + b.latency.count, 0), p50: median(s.map((x) => x.latency.p50)), p99: Math.max(...s.map((x) => x.latency.p99)), max: Math.max(...s.map((x) => x.latency.max)) },
    });
    const http = merge(sides.http);
    const sql = merge(sides.sql);
    const section = `create_interview, ${options.clients} clients`;
    const rows: Row[] = [
      { section, measure: 'throughput HTTP vs SQL', value: `${http.tps.toFixed(0)}/s`, baseline: `${sql.tps.toFixed(0)}/s`, ratio: http.tps / sql.tps, note: `errors ${http.errors}/${sql.errors}` },
      { section, measure: 'p50 latency SQL vs HTTP', value: ms(http.latency.p50), baseline: ms(sql.latency.p50), ratio: sql.latency.p50 / http.latency.p50 },
      { section, measure: 'p99 latency SQL vs HTTP', value: ms(http.latency.p99), baseline: ms(sql.latency.p99), ratio: sql.latency.p99 / http.latency.p99 },
    ];
    return { rows, details: { http, sql, rounds: sides } };
  } finally {
    await Promise.all(connections.map((c) => c.end()));
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
