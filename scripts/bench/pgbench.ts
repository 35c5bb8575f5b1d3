// `deduct_credits` against the raw conditional update it wraps, both driven by pgbench with the
// same clients, duration and user distribution. The ratio is what the ledger, idempotency and
// validation cost on top of the single UPDATE that any credit system must do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { run } from '../lib/run.ts';
import { PG_BIN } from '../lib/config.ts';

export interface PgbenchFigure { name: string; tps: number; latencyMs: number; transactions: number }

export const USERS = 10_000;

/** 10,000 recruiters with enough credits for the run, plus a lookup table keyed 1..N for pgbench. */
export async function seedBenchUsers(url: string, hotCredits: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      create schema if not exists bench;
      create table bench.users (n int primary key, id uuid not null, claims text not null);
      insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
      select gen_random_uuid(), 'authenticated', 'authenticated', 'bench' || g || '@bench.test',
             '{"provider":"email"}', '{}', now(), now()
        from generate_series(1, ${USERS}) g;
      insert into bench.users (n, id, claims)
      select row_number() over (order by u.email), u.id,
             json_build_object('sub', u.id, 'role', 'authenticated', 'aud', 'authenticated')::text
        from public.users u where u.email like 'bench%@bench.test';
      select set_config('request.jwt.claims', '{"role":"service_role"}', false);`);
    await client.query(`select public.add_credits(id, 10000, 'grant', 'benchmark float') from bench.users`);
    // Every wallet has a low-balance alert it never reaches, as a real account would: each spend
    // (and the same-work floor's, on the same rows) pays the alert trigger's WHEN test.
    await client.query(`update public.users set low_balance_threshold = 100 where id in (select id from bench.users)`);
    for (let granted = 10_000; granted < hotCredits; granted += 10_000) {
      await client.query(`select public.add_credits(id, 10000, 'grant', 'benchmark float') from bench.users where n = 1`);
    }
    // The raw baseline: the same balances in a plain table with no ledger guard, as any credit
    // system's single conditional UPDATE would see them.
    await client.query(`create table bench.balances (id uuid primary key, credits integer not null check (credits >= 0));
      insert into bench.balances select id, credits from public.users where email like 'bench%@bench.test';`);
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}

async function pgbench(url: string, name: string, script: string, clients: number, seconds: number): Promise<PgbenchFigure> {
  const file = path.join(os.tmpdir(), `bench-${name.replace(/\W+/g, '-')}.sql`);
  fs.writeFileSync(file, script);
  const r = await run(`${PG_BIN}/pgbench`, ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2',
    '-T', String(seconds), '-f', file, url]);
  const tps = Number(/tps = ([\d.]+)/.exec(r.stdout)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(r.stdout)?.[1]);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(r.stdout)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps for ${name}:\n${r.stdout}\n${r.stderr}`);
  return { name, tps, latencyMs, transactions };
}

export const pick = (hot: boolean): string => (hot ? '\\set n 1\n' : `\\set n random(1, ${USERS})\n`);

export function rawScript(hot: boolean): string {
  return `${pick(hot)}update bench.balances set credits = credits - 1 where id = (select id from bench.users where n = :n) and credits >= 1;\n`;
}

// One round trip, as the function is meant to be called: the claims PostgREST would set for the
// signed-in user, then the function, in one statement's transaction.
export function deductScript(hot: boolean): string {
  return `${pick(hot)}select public.deduct_credits(1) from (select set_config('request.jwt.claims', claims, true) from bench.users where n = :n) s;\n`;
}

export interface PgbenchPair { label: string; raw: PgbenchFigure; fn: PgbenchFigure; ratio: number; roundRatios: number[] }

/**
 * Raw and function alternate, `rounds` times each, so a burst of load from elsewhere on the
 * machine lands on both sides rather than on one. tps is pooled over the rounds
 * (transactions / seconds); the per-round ratios show how steady the figure was.
 */
export interface PgbenchSide {
  name: string;
  script: (hot: boolean) => string;
  /** Connect as another role (the same-work floors run as bench_floor; see same-work.ts). */
  user?: string;
}

export async function runPgbenchPair(
  url: string, hot: boolean, clients: number, seconds: number, rounds = 2,
  baseline: PgbenchSide = { name: 'raw update', script: rawScript },
  measured: PgbenchSide & { hotLabel?: string; uniformLabel?: string } = { name: 'deduct_credits', script: deductScript },
): Promise<PgbenchPair> {
  const label = hot ? measured.hotLabel ?? 'one hot user' : measured.uniformLabel ?? `uniform over ${USERS} users`;
  const as = (side: PgbenchSide): string => (side.user === undefined ? url : url.replace('//postgres:', `//${side.user}:`));
  const raws: PgbenchFigure[] = [];
  const fns: PgbenchFigure[] = [];
  for (let round = 0; round < rounds; round += 1) {
    raws.push(await pgbench(as(baseline), `${baseline.name}, ${label}`, baseline.script(hot), clients, seconds));
    fns.push(await pgbench(as(measured), `${measured.name}, ${label}`, measured.script(hot), clients, seconds));
  }
  const raw = pool(raws, seconds);
  const fn = pool(fns, seconds);
  return { label, raw, fn, ratio: fn.tps / raw.tps, roundRatios: fns.map((f, i) => f.tps / raws[i].tps) };
}

function pool(figures: PgbenchFigure[], seconds: number): PgbenchFigure {
  const transactions = figures.reduce((sum, f) => sum + f.transactions, 0);
  const tps = transactions / (seconds * figures.length);
  const latencyMs = figures.reduce((sum, f) => sum + f.latencyMs * f.transactions, 0) / transactions;
  return { name: figures[0].name, tps, latencyMs, transactions };
}
