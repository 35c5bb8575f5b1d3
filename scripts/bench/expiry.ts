// Expiry at scale (issue 14): lots made through add_credits with an expiry a second away, then one
// run of the expire-credit-lots job's own loop (billing.expire_credit_lots(batch), one wallet per
// call, a commit after each) while several connections keep spending on the same
// users. Reports the run's time, lots per second, spend latency during the run vs just before it
// (same clients, same users), and checks the outcome: every due lot expired exactly once (one
// expiration ledger row per lot, nothing left), a second run finds nothing, the invariant is empty.
import pg from 'pg';
import { USERS } from './pgbench.ts';
import { ms, summarize, type LatencySummary } from './stats.ts';
import type { Row } from './report.ts';

export interface ExpiryRun {
  batch: number;
  lots: number;
  runMs: number;
  lotsPerSecond: number;
  spendsWithout: LatencySummary;
  spendsDuring: LatencySummary;
  expiredOnce: boolean;
  secondRunExpired: number;
  invariantViolations: number;
}

export interface ExpiryOptions { url: string; runs: { batch: number; lots: number }[]; clients: number; baselineSeconds: number }

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** `lots` one-credit grants spread over the bench users in random order, all due a second from now. */
async function makeDueLots(db: pg.Client, lots: number, reason: string): Promise<void> {
  await db.query(`select set_config('request.jwt.claims', '{"role":"service_role"}', false)`);
  await db.query(`
    select count(public.add_credits(x.id, 1, 'grant', $1, null, null, now() + interval '1 second'))
      from (select u.id from bench.users u cross join generate_series(1, $2::int) g order by random() limit $3) x`,
  [reason, Math.ceil(lots / USERS), lots]);
  await db.query(`select pg_sleep(greatest(0, extract(epoch from max(expires_at) - clock_timestamp())) + 0.1)
                    from public.credit_lots where reason = $1`, [reason]);
}

/** `clients` connections spending 1 credit as random bench users until `until` resolves. */
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

/** The expire-credit-lots job's command (20261125000900_schedules.sql) with the bench's batch size. */
const expiryRun = (batch: number): string =>
  `do $$ begin while billing.expire_credit_lots(${Number(batch)}) > 0 loop commit; end loop; end $$`;

const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function oneRun(options: ExpiryOptions, batch: number, lots: number): Promise<ExpiryRun> {
  const db = await connect(options.url);
  try {
    const reason = `bench expiry, batch ${batch}`;
    await makeDueLots(db, lots, reason);
    await db.query('vacuum analyze public.credit_lots');
    const spendsWithout = summarize(await spendWhile(options.url, options.clients, sleep(options.baselineSeconds)));

    let runMs = 0;
    const expiry = (async () => {
      const runner = await connect(options.url);
      try {
        const started = performance.now();
        // What the pg_cron job runs; simple protocol, so the DO block may commit after each call.
        await runner.query(expiryRun(batch));
        runMs = performance.now() - started;
      } finally {
        await runner.end();
      }
    })();
    const spendsDuring = summarize(await spendWhile(options.url, options.clients, expiry));
    await expiry;

    // Exactly once: each lot made for this run has nothing left and one expiration row per lot
    // that still had credits (a lot spent in full before it was due would have none).
    const check = await db.query<{ wrong: string; made: string }>(`
      select count(*) filter (where l.remaining <> 0 or e.rows <> (case when l.amount > l.spent then 1 else 0 end)) as wrong,
             count(*) as made
        from public.credit_lots l
        cross join lateral (select count(*) as rows from billing.credit_lot_moves m
                             where m.user_id = l.user_id and m.lot_id = l.id and m.kind = 'expiration') e
       where l.reason = $1`, [reason]);
    const before = await db.query<{ n: string }>(`select count(*) as n from public.credit_ledger where kind = 'expiration'`);
    await db.query(expiryRun(batch));
    const after = await db.query<{ n: string }>(`select count(*) as n from public.credit_ledger where kind = 'expiration'`);
    // The wallets this run touched (the summary bench's bulk-written history accounts have no lots,
    // so a whole-database check would count their rows, not anything expiry did).
    const violations = await db.query<{ n: string }>(`
      select count(*) as n from billing.credit_invariant_violations() v
       where v.user_id in (select l.user_id from public.credit_lots l where l.reason = $1)`, [reason]);
    return {
      batch,
      lots: Number(check.rows[0].made),
      runMs,
      lotsPerSecond: Number(check.rows[0].made) / (runMs / 1000),
      spendsWithout,
      spendsDuring,
      expiredOnce: Number(check.rows[0].wrong) === 0 && Number(check.rows[0].made) >= lots,
      secondRunExpired: Number(after.rows[0].n) - Number(before.rows[0].n),
      invariantViolations: Number(violations.rows[0].n),
    };
  } finally {
    await db.end();
  }
}

export async function runExpiry(options: ExpiryOptions): Promise<{ rows: Row[]; details: ExpiryRun[] }> {
  const details: ExpiryRun[] = [];
  for (const { batch, lots } of options.runs) details.push(await oneRun(options, batch, lots));
  const rows = details.flatMap((r): Row[] => [
    {
      section: 'expiry run vs spends',
      measure: `${r.lots.toLocaleString('en-US')} lots, batch ${r.batch}: run`,
      value: `${(r.runMs / 1000).toFixed(1)} s`,
      note: `${r.lotsPerSecond.toFixed(0)} lots/s; each due lot expired once: ${r.expiredOnce ? 'yes' : 'NO'}; second run expired ${r.secondRunExpired}; invariant violations ${r.invariantViolations}`,
    },
    {
      section: 'expiry run vs spends',
      measure: `${r.lots.toLocaleString('en-US')} lots, batch ${r.batch}: spend p99 during / without`,
      value: ms(r.spendsDuring.p99),
      baseline: ms(r.spendsWithout.p99),
      ratio: r.spendsDuring.p99 / r.spendsWithout.p99,
      note: `${options.clients} clients; p50 ${ms(r.spendsDuring.p50)} / ${ms(r.spendsWithout.p50)}, max ${ms(r.spendsDuring.max)} / ${ms(r.spendsWithout.max)}; ${r.spendsDuring.count} / ${r.spendsWithout.count} spends`,
    },
  ]);
  return { rows, details };
}
