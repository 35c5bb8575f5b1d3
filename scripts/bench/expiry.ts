// Period end at scale (issues 14 and 20): `wallets` wallets (nine in ten personal, one in ten team
// wallets) each get `lotsPerWallet` lots that are already due, seeded set-wise (the ledger rows,
// lots, entries and wallet totals a grant writes, a few statements for all of them; one lot in ten
// carries rollover terms, as a subscription period's lot does), then one run of the
// expire-credit-lots job's own loop (billing.expire_credit_lots(batch): a batch of wallets per call,
// a commit after each) while `clients` connections keep spending. The spenders spend on the bench's
// 10,000 other recruiters, not on the expiring wallets: at the first of the month the wallets whose
// lots expire are mostly not the ones spending that second, and a spend on a wallet in the batch
// waits for that batch by design (its lots are being written). So the ratio measures what the run
// costs everyone else: CPU, WAL and locks it must not hold. Reports the run's time and lots per
// second (and per CPU second of its backend: the machine may be shared), spend latency during the run
// vs windows just before and just after it (same clients, same users, pooled), and checks the
// outcome: every due lot expired (or rolled over) exactly once, a second run finds nothing, the
// invariant check of the run's wallets is empty.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { USERS } from './pgbench.ts';
import { ms, summarize, type LatencySummary } from './stats.ts';
import type { Row } from './report.ts';

export interface ExpiryRun {
  batch: number;
  wallets: number;
  lots: number;
  seedMs: number;
  runMs: number;
  lotsPerSecond: number;
  spendsWithout: LatencySummary;
  spendsDuring: LatencySummary;
  expiredOnce: boolean;
  secondRunExpired: number;
  invariantViolations: number;
  loadBefore: number;
  loadAfter: number;
  /** CPU seconds the expiry's own backend used (null when the database is not on this machine). */
  runCpuSeconds: number | null;
  spendsBefore: LatencySummary;
  spendsAfter: LatencySummary;
}

export interface ExpiryOptions {
  url: string;
  runs: { batch: number; wallets: number; lotsPerWallet: number }[];
  clients: number;
  baselineSeconds: number;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * The run's wallets (bench.expiry_wallets, tagged) and their due lots, written set-wise as
 * billing.apply_credit_change would write grants: ledger rows with running balances, lots, opening
 * entries, the wallets' balances and credits_granted (billing.applying_ledger on, as the credit
 * functions set it). Ids are taken from the sequences in one block so lots and entries can name
 * them. Lots fell due up to an hour ago, in random order relative to the wallets.
 */
async function seedDueLots(db: pg.Client, tag: string, wallets: number, lotsPerWallet: number): Promise<void> {
  const teams = Math.floor(wallets / 10);
  await db.query('begin');
  try {
    await db.query(`select set_config('billing.applying_ledger', 'on', true)`);
    await db.query(`create table if not exists bench.expiry_wallets (tag text not null, id uuid not null, primary key (tag, id))`);
    await db.query(`
      insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
      select gen_random_uuid(), 'authenticated', 'authenticated', 'expiry-' || $1 || '-' || g || '@bench.test',
             '{"provider":"email"}', '{}', now(), now()
        from generate_series(1, $2::int) g`, [tag, wallets - teams]);
    await db.query(`
      insert into bench.expiry_wallets (tag, id)
      select $1, u.id from public.users u where u.email like 'expiry-' || $1 || '-%@bench.test'`, [tag]);
    await db.query(`
      with t as (insert into public.teams (name) select 'Expiry bench ' || $1 || ' ' || g from generate_series(1, $2::int) g returning id)
      insert into bench.expiry_wallets (tag, id) select $1, t.id from t`, [tag, teams]);
    await db.query(`
      create temporary table seed on commit drop as
      select w.id as user_id, k, 1 + (k + abs(hashtext(w.id::text))) % 3 as amount,
             now() - random() * interval '1 hour' as expires_at, k % 10 = 0 as rolls,
             row_number() over (order by w.id, k) as n
        from bench.expiry_wallets w, generate_series(1, $2::int) k
       where w.tag = $1`, [tag, lotsPerWallet]);
    const { rows: [block] } = await db.query<{ ledger: string; lot: string; count: string }>(`
      select nextval(pg_get_serial_sequence('public.credit_ledger', 'id')) as ledger,
             nextval(pg_get_serial_sequence('public.credit_lots', 'id')) as lot, (select count(*) from seed) as count`);
    await db.query(`select setval(pg_get_serial_sequence('public.credit_ledger', 'id'), $1::bigint + $3::bigint),
                           setval(pg_get_serial_sequence('public.credit_lots', 'id'), $2::bigint + $3::bigint)`,
    [block.ledger, block.lot, block.count]);
    await db.query(`
      insert into public.credit_ledger (id, user_id, delta, balance_after, kind, reason, actor, created_at)
      overriding system value
      select $1::bigint + s.n - 1, s.user_id, s.amount,
             sum(s.amount) over (partition by s.user_id order by s.k), 'grant', 'bench period end', 'bench', now()
        from seed s order by s.n`, [block.ledger]);
    await db.query(`
      insert into public.credit_lots (id, user_id, source, amount, remaining, expires_at, priority, ledger_id, reason,
                                      rollover_limit, rollover_expires_after)
      overriding system value
      select $2::bigint + s.n - 1, s.user_id, 'grant', s.amount, s.amount, s.expires_at, 1, $1::bigint + s.n - 1,
             'bench period end', case when s.rolls then 1 end, case when s.rolls then interval '1 month' end
        from seed s order by s.n`, [block.ledger, block.lot]);
    await db.query(`
      insert into public.credit_lot_entries (ledger_id, lot_id, user_id, remaining_delta, held_delta)
      select $1::bigint + s.n - 1, $2::bigint + s.n - 1, s.user_id, s.amount, 0 from seed s`, [block.ledger, block.lot]);
    await db.query(`
      with t as (select user_id, sum(amount)::int as total from seed group by user_id),
           u as (update public.users u set credits = u.credits + t.total, credits_granted = u.credits_granted + t.total
                   from t where u.id = t.user_id returning u.id)
      update public.teams x set credits = x.credits + t.total, credits_granted = x.credits_granted + t.total
        from t where x.id = t.user_id`);
    await db.query('commit');
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
  await db.query('vacuum analyze public.credit_lots, public.credit_ledger, public.credit_lot_entries, public.users, public.teams');
  await db.query('checkpoint');
}

/** `clients` connections spending 1 credit as random bench users (not the expiring wallets) until `until` resolves. */
async function spendWhile(url: string, clients: number, until: Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  let done = false;
  void until.finally(() => { done = true; });
  const sql = `select public.deduct_credits(1) from (select set_config('request.jwt.claims', claims, true) from bench.users where n = $1) s`;
  await Promise.all(Array.from({ length: clients }, async () => {
    const db = await connect(url);
    try {
      while (!done) {
        const started = performance.now();
        await db.query({ name: 'spend', text: sql, values: [1 + Math.floor(Math.random() * USERS)] });
        samples.push(performance.now() - started);
      }
    } finally {
      await db.end();
    }
  }));
  return samples;
}

/**
 * CPU seconds (user + system) a local backend has used so far, from /proc; null when it cannot be
 * read (the database on another machine). The machine is shared: lots per CPU second of the expiry's
 * backend says what the run costs whatever else competes for the cores.
 */
function backendCpuSeconds(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  } catch {
    return null;
  }
}

/** The expire-credit-lots job's command (20261125000900_schedules.sql) with the bench's batch size. */
const expiryRun = (batch: number): string =>
  `do $$ begin while billing.expire_credit_lots(${Number(batch)}) > 0 loop commit; end loop; end $$`;

const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function oneRun(options: ExpiryOptions, index: number, run: ExpiryOptions['runs'][number]): Promise<ExpiryRun> {
  const db = await connect(options.url);
  try {
    const tag = `r${index}b${run.batch}`;
    // The cluster's own pg_cron job would start on the seeded lots at the next minute (during the
    // baseline, or as a second loop beside the measured one): paused while this run is measured.
    await db.query(`select cron.alter_job(j.jobid, active := false) from cron.job j where j.jobname = 'expire-credit-lots'`);
    const seedStarted = performance.now();
    await seedDueLots(db, tag, run.wallets, run.lotsPerWallet);
    const seedMs = performance.now() - seedStarted;
    const loadBefore = os.loadavg()[0];
    // Spends without the run: a window before it and one after it (pooled), so a burst of load
    // from elsewhere on the shared machine, or the seed's checkpoint, weighs on neither side alone.
    const before = await spendWhile(options.url, options.clients, sleep(options.baselineSeconds));

    let runMs = 0;
    let runCpuSeconds: number | null = null;
    const expiry = (async () => {
      const runner = await connect(options.url);
      try {
        const { rows: [{ pid }] } = await runner.query<{ pid: number }>('select pg_backend_pid() as pid');
        const cpuBefore = backendCpuSeconds(pid);
        const started = performance.now();
        // What the pg_cron job runs; simple protocol, so the DO block may commit after each call.
        await runner.query(expiryRun(run.batch));
        runMs = performance.now() - started;
        const cpuAfter = backendCpuSeconds(pid);
        runCpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
      } finally {
        await runner.end();
      }
    })();
    const spendsDuring = summarize(await spendWhile(options.url, options.clients, expiry));
    await expiry;
    const loadAfter = os.loadavg()[0];
    const after = await spendWhile(options.url, options.clients, sleep(options.baselineSeconds));
    const spendsWithout = summarize([...before, ...after]);

    // Exactly once: each seeded lot has nothing left, its credits are expired or rolled over, and
    // it has one expiration row when something expired and one rollover row when something rolled.
    const check = await db.query<{ wrong: string; made: string }>(`
      with lots as (
        select l.* from public.credit_lots l join bench.expiry_wallets w on w.tag = $1 and w.id = l.user_id
         where l.source <> 'rollover'
      ), rows as (
        select g.reference, count(*) filter (where g.kind = 'expiration') as expirations,
               count(*) filter (where g.kind = 'rollover') as rollovers
          from public.credit_ledger g join bench.expiry_wallets w on w.tag = $1 and w.id = g.user_id
         where g.kind in ('expiration', 'rollover')
         group by g.reference
      )
      select count(*) filter (where l.remaining <> 0 or l.expired + l.rolled_over <> l.amount
                                or coalesce(r.expirations, 0) <> (l.expired > 0)::int
                                or coalesce(r.rollovers, 0) <> (l.rolled_over > 0)::int) as wrong,
             count(*) as made
        from lots l left join rows r on r.reference = 'lot:' || l.id`, [tag]);
    const rowsBefore = await db.query<{ n: string }>(`select count(*) as n from public.credit_ledger where kind in ('expiration', 'rollover')`);
    await db.query(expiryRun(run.batch));
    const rowsAfter = await db.query<{ n: string }>(`select count(*) as n from public.credit_ledger where kind in ('expiration', 'rollover')`);
    const violations = await db.query<{ n: string }>(`
      select count(*) as n from billing.credit_invariant_violations_among(array(select id from bench.expiry_wallets where tag = $1))`, [tag]);
    await db.query(`select cron.alter_job(j.jobid, active := true) from cron.job j where j.jobname = 'expire-credit-lots'`);
    const made = Number(check.rows[0].made);
    return {
      batch: run.batch,
      wallets: run.wallets,
      lots: made,
      seedMs,
      runMs,
      lotsPerSecond: made / (runMs / 1000),
      spendsWithout,
      spendsDuring,
      expiredOnce: Number(check.rows[0].wrong) === 0 && made === run.wallets * run.lotsPerWallet,
      secondRunExpired: Number(rowsAfter.rows[0].n) - Number(rowsBefore.rows[0].n),
      invariantViolations: Number(violations.rows[0].n),
      loadBefore,
      loadAfter,
      runCpuSeconds,
      spendsBefore: summarize(before),
      spendsAfter: summarize(after),
    };
  } finally {
    await db.end();
  }
}

export async function runExpiry(options: ExpiryOptions): Promise<{ rows: Row[]; details: ExpiryRun[] }> {
  const details: ExpiryRun[] = [];
  for (const [index, run] of options.runs.entries()) details.push(await oneRun(options, index, run));
  const rows = details.flatMap((r): Row[] => [
    {
      section: 'expiry run vs spends',
      measure: `${r.lots.toLocaleString('en-US')} due lots of ${r.wallets.toLocaleString('en-US')} wallets, batch ${r.batch} wallets: run`,
      value: `${(r.runMs / 1000).toFixed(1)} s`,
      note: `${r.lotsPerSecond.toFixed(0)} lots/s (target 10,000)${r.runCpuSeconds === null ? '' : `; the run's backend used ${r.runCpuSeconds.toFixed(1)} CPU s: ${(r.lots / r.runCpuSeconds).toFixed(0)} lots per CPU second`}; each due lot expired once: ${r.expiredOnce ? 'yes' : 'NO'}; second run expired ${r.secondRunExpired}; invariant violations ${r.invariantViolations}; seeded in ${(r.seedMs / 1000).toFixed(1)} s; load ${r.loadBefore.toFixed(1)} -> ${r.loadAfter.toFixed(1)}`,
    },
    {
      section: 'expiry run vs spends',
      measure: `${r.lots.toLocaleString('en-US')} due lots, batch ${r.batch}: spend p99 during / without (spenders on other wallets)`,
      value: ms(r.spendsDuring.p99),
      baseline: ms(r.spendsWithout.p99),
      ratio: r.spendsDuring.p99 / r.spendsWithout.p99,
      note: `target 2.0 at most; ${options.clients} clients; without = before ${ms(r.spendsBefore.p99)} and after ${ms(r.spendsAfter.p99)} pooled; p50 ${ms(r.spendsDuring.p50)} / ${ms(r.spendsWithout.p50)}, max ${ms(r.spendsDuring.max)} / ${ms(r.spendsWithout.max)}; ${r.spendsDuring.count} / ${r.spendsWithout.count} spends`,
    },
  ]);
  return { rows, details };
}
