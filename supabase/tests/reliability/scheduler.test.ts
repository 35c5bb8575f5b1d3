// pg_cron really runs jobs in the stack's database. This layer starts after `npm test` rebuilt the
// database (buildDatabase drops it WITH (FORCE), which ends pg_cron's launcher for good), so a
// launcher on today's database and a job that runs prove the set-up brings the scheduler back.
// pg_cron 1.4 fires on minute boundaries: the one wait here (up to ~60 s) runs beside the other
// files of this layer (supabase/tests/vitest.config.ts, project "scheduler").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, db, waitFor } from '../../../test-support/stack.ts';

const JOB = `test-scheduler-probe-${process.pid}`;
const SCHEMA = 'scheduler_probe';
let jobId: string | undefined;
let dueLot: string | undefined;
let dueSince: Date | undefined;

beforeAll(async () => {
  await db().query(`create schema if not exists ${SCHEMA};
    revoke all on schema ${SCHEMA} from public;
    create table if not exists ${SCHEMA}.ticks (job text not null, at timestamptz not null default now())`);
  // A recruiter with a lot that is already due, for the real expire-credit-lots job to write off.
  const { rows: [user] } = await db().query<{ id: string }>(`
    insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    values (gen_random_uuid(), 'authenticated', 'authenticated', $1, '{"provider":"email"}', '{}', now(), now())
    returning id`, [`scheduler-${process.pid}-${Date.now()}@tests.local`]);
  const { rows: [lot] } = await db().query<{ id: string }>(
    `select (public.add_credits($1, 4, 'grant', 'Scheduler probe', null, null, now() + interval '1 hour') ->> 'lot_id') as id`, [user.id]);
  const { rows: [due] } = await db().query<{ at: Date }>(
    // Time passes for the lot: a past expiry is refused to a hand edit (billing.check_credit_lot_expiry),
    // so it is written as the credit functions write, with billing.applying_ledger on for the statement.
    `with flag as (select pg_catalog.set_config('billing.applying_ledger', 'on', true))
     update public.credit_lots set expires_at = now() - interval '1 second' from flag where id = $1 returning now() as at`, [lot.id]);
  dueLot = lot.id;
  dueSince = due.at;
});

afterAll(async () => {
  if (jobId) {
    await db().query('select cron.unschedule($1::bigint)', [jobId]);
    await db().query('delete from cron.job_run_details where jobid = $1', [jobId]);
  }
  await db().query(`drop schema if exists ${SCHEMA} cascade`);
  await closeDb();
});

describe('pg_cron in the local stack', () => {
  it('has its launcher running on the current database (restarted after the rebuild)', async () => {
    const { rows } = await db().query<{ datname: string; on_current: boolean }>(`
      select a.datname, a.datid = (select d.oid from pg_database d where d.datname = current_database()) as on_current
        from pg_stat_activity a where a.backend_type = 'pg_cron launcher'`);
    expect(rows).toEqual([{ datname: 'postgres', on_current: true }]);
  });

  it('runs a scheduled job: its row is written and cron.job_run_details says succeeded', async () => {
    const scheduled = await db().query<{ id: string }>(
      'select cron.schedule($1, $2, $3) as id', [JOB, '* * * * *', `insert into ${SCHEMA}.ticks (job) values ('${JOB}')`]);
    jobId = scheduled.rows[0].id;
    let run: { status: string; return_message: string } | undefined;
    await waitFor(async () => {
      const r = await db().query<{ status: string; return_message: string }>(
        "select status, return_message from cron.job_run_details where jobid = $1 and status in ('succeeded', 'failed') order by runid limit 1", [jobId]);
      run = r.rows[0];
      return run !== undefined;
    }, 65_000, 500);
    expect(run).toEqual({ status: 'succeeded', return_message: 'INSERT 0 1' });
    const ticks = await db().query<{ n: number }>(`select count(*)::int as n from ${SCHEMA}.ticks where job = $1`, [JOB]);
    expect(ticks.rows[0].n).toBeGreaterThanOrEqual(1);
  }, 75_000);

  it('runs the real expire-credit-lots job: it succeeded after the lot fell due, and the lot is written off', async () => {
    // Fires on the same minute boundaries as the probe above, so this waits seconds at most.
    let run: { status: string; return_message: string } | undefined;
    await waitFor(async () => {
      const r = await db().query<{ status: string; return_message: string }>(`
        select d.status, d.return_message from cron.job_run_details d join cron.job j on j.jobid = d.jobid
         where j.jobname = 'expire-credit-lots' and d.start_time > $1 and d.status in ('succeeded', 'failed')
         order by d.runid limit 1`, [dueSince]);
      run = r.rows[0];
      return run !== undefined;
    }, 65_000, 500);
    expect(run).toEqual({ status: 'succeeded', return_message: 'DO' });
    const { rows } = await db().query('select remaining, expired from public.credit_lots where id = $1', [dueLot]);
    expect(rows).toEqual([{ remaining: 0, expired: 4 }]);
    const { rows: expirations } = await db().query(
      "select delta, actor from public.credit_ledger where reference = 'lot:' || $1", [dueLot]);
    expect(expirations).toEqual([{ delta: -4, actor: 'system:expiry' }]);
  }, 75_000);
});
