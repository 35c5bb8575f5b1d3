// The billing page's reads against the length of one account's history: billing_summary() and
// credit_history() pages of 50 (the newest, and one mid-history by its keyset cursor), each beside
// the REST query it replaces (`order by id desc limit 50`, `id < cursor` for the deep page) as the
// SPA sent it (RLS alone names the user) and with `user_id = $1` added. Each account's rows are written in bulk by the superuser
// with users.credits and its running totals (credits_granted, credits_spent) kept equal to the
// ledger's sums. Accounts are seeded smallest first, so the small ones sit behind a million newer
// rows of the big one: what a backward walk of the primary key has to read past.
import pg from 'pg';
import { ms, summarize, type LatencySummary } from './stats.ts';
import type { Row } from './report.ts';

export interface SummaryFigure {
  rows: number;
  summary: LatencySummary;
  /** credit_history(null, 50) and credit_history(<mid-history id>, 50). */
  firstPage: LatencySummary;
  deepPage: LatencySummary;
  /** The same pages as the SPA read them before (PostgREST: RLS alone names the user). */
  restFirstPage: LatencySummary;
  restDeepPage: LatencySummary;
  /** The same pages with the user also named as `user_id = $1`, under RLS. */
  restUserFirstPage: LatencySummary;
  restUserDeepPage: LatencySummary;
}

// Odd rows grant 2 credits, even rows spend 1: after row i the balance is 2 * ceil(i/2) - floor(i/2).
async function seedAccount(client: pg.Client, rows: number): Promise<string> {
  const email = `history${rows}@bench.test`;
  const { rows: [user] } = await client.query<{ id: string }>(`
    insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    values (gen_random_uuid(), 'authenticated', 'authenticated', $1, '{"provider":"email"}', '{}', now(), now())
    returning id`, [email]);
  const grants = Math.ceil(rows / 2);
  const spends = Math.floor(rows / 2);
  await client.query('begin');
  await client.query(`select set_config('billing.applying_ledger', 'on', true)`);
  await client.query(`
    insert into public.credit_ledger (user_id, delta, balance_after, kind, reason, actor, created_at)
    select $1, case when i % 2 = 1 then 2 else -1 end, 2 * ((i + 1) / 2) - i / 2,
           case when i % 2 = 1 then 'grant' else 'spend' end, 'bench history', 'seed',
           now() - make_interval(secs => $2 - i)
      from generate_series(1, $2::int) i`, [user.id, rows]);
  await client.query('update public.users set credits = $2, credits_granted = $3, credits_spent = $4 where id = $1',
    [user.id, 2 * grants - spends, 2 * grants, spends]);
  await client.query('commit');
  return user.id;
}

async function timeCalls(client: pg.Client, sql: string, params: unknown[], n: number): Promise<LatencySummary> {
  for (let i = 0; i < 5; i += 1) await client.query(sql, params);
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = process.hrtime.bigint();
    await client.query(sql, params);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarize(samples);
}

const PAGE_SIZE = 50;
const REST_PAGE = `select id, delta, balance_after, kind, reason, reference, interview_id, payment_id, created_at
  from public.credit_ledger`;

export async function runSummary(url: string, sizes: number[], n: number): Promise<{ rows: Row[]; details: SummaryFigure[] }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const figures: SummaryFigure[] = [];
  try {
    const users: string[] = [];
    for (const size of sizes) users.push(await seedAccount(admin, size));
    await admin.query('vacuum analyze public.credit_ledger');
    await admin.query('vacuum analyze public.users');
    await admin.query('checkpoint');
    for (const [index, size] of sizes.entries()) {
      // Signed in as the account's owner, as PostgREST runs a request: role authenticated, RLS on.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const claims = JSON.stringify({ sub: users[index], role: 'authenticated', aud: 'authenticated' });
        await client.query(`select set_config('request.jwt.claims', $1, false)`, [claims]);
        await client.query('set role authenticated');
        const summary = await timeCalls(client, 'select public.billing_summary()', [], n);
        const { rows: [mid] } = await client.query<{ id: string }>(
          `select id from public.credit_ledger order by id limit 1 offset $1`, [Math.floor(size / 2)]);
        const firstPage = await timeCalls(client, 'select public.credit_history(null, $1)', [PAGE_SIZE], n);
        const deepPage = await timeCalls(client, 'select public.credit_history($1, $2)', [mid.id, PAGE_SIZE], n);
        const restFirstPage = await timeCalls(client, `${REST_PAGE} order by id desc limit ${PAGE_SIZE}`, [], n);
        const restDeepPage = await timeCalls(client, `${REST_PAGE} where id < $1 order by id desc limit ${PAGE_SIZE}`, [mid.id], n);
        const restUserFirstPage = await timeCalls(client, `${REST_PAGE} where user_id = $1 order by id desc limit ${PAGE_SIZE}`, [users[index]], n);
        const restUserDeepPage = await timeCalls(client,
          `${REST_PAGE} where user_id = $1 and id < $2 order by id desc limit ${PAGE_SIZE}`, [users[index], mid.id], n);
        figures.push({ rows: size, summary, firstPage, deepPage, restFirstPage, restDeepPage, restUserFirstPage, restUserDeepPage });
      } finally {
        await client.end();
      }
    }
  } finally {
    await admin.end();
  }
  const smallest = figures[0];
  const rows: Row[] = [];
  for (const f of figures) {
    const label = `${f.rows.toLocaleString('en-US')} ledger rows in one account`;
    rows.push({ section: 'billing page vs history length', measure: `billing_summary(), ${label}`, value: `p50 ${ms(f.summary.p50)}`,
      baseline: `p50 ${ms(smallest.summary.p50)} at ${smallest.rows}`, ratio: f.summary.p50 / smallest.summary.p50, note: `p99 ${ms(f.summary.p99)}; target ~1` });
    rows.push({ section: 'billing page vs history length', measure: `credit_history first page (${PAGE_SIZE}), ${label}`, value: `p50 ${ms(f.firstPage.p50)}`,
      baseline: `p50 ${ms(smallest.firstPage.p50)} at ${smallest.rows}`, ratio: f.firstPage.p50 / smallest.firstPage.p50,
      note: `p99 ${ms(f.firstPage.p99)}; REST order by id desc (RLS only / + user_id = $1) p50 ${ms(f.restFirstPage.p50)} / ${ms(f.restUserFirstPage.p50)}` });
    rows.push({ section: 'billing page vs history length', measure: `credit_history mid-history page (${PAGE_SIZE}), ${label}`, value: `p50 ${ms(f.deepPage.p50)}`,
      baseline: `p50 ${ms(smallest.deepPage.p50)} at ${smallest.rows}`, ratio: f.deepPage.p50 / smallest.deepPage.p50,
      note: `p99 ${ms(f.deepPage.p99)}; REST id < cursor (RLS only / + user_id = $1) p50 ${ms(f.restDeepPage.p50)} / ${ms(f.restUserDeepPage.p50)}` });
  }
  return { rows, details: figures };
}
