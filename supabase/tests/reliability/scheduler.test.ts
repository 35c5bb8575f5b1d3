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

beforeAll(async () => {
  await db().query(`create schema if not exists ${SCHEMA};
    revoke all on schema ${SCHEMA} from public;
    create table if not exists ${SCHEMA}.ticks (job text not null, at timestamptz not null default now())`);
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
});
