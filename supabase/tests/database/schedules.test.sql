-- The schedules migration: pg_cron is installed and runs the two billing housekeeping jobs on
-- the stated schedules; the API roles cannot reach pg_cron's schema.
begin;
select plan(10);

select is((select e.extnamespace::regnamespace::text from pg_catalog.pg_extension e where e.extname = 'pg_cron'),
  'pg_catalog', 'pg_cron is installed, in pg_catalog as on hosted Supabase (nothing in public)');
select is(pg_catalog.current_setting('cron.database_name'), pg_catalog.current_database()::text,
  'the pg_cron launcher reads its jobs from this database');

select is(
  (select pg_catalog.array_agg(pg_catalog.format('%s | %s | %s | active=%s | %s', j.jobname, j.schedule, j.command, j.active,
            case when j.database = pg_catalog.current_database() then 'this database' else j.database end) order by j.jobname)
     from cron.job j where j.jobname in ('expire-credit-lots', 'release-lapsed-holds')),
  array['expire-credit-lots | * * * * * | do $$ begin while billing.expire_credit_lots() > 0 loop commit; end loop; end $$ | active=t | this database',
        'release-lapsed-holds | */5 * * * * | do $$ begin while billing.release_lapsed_holds() > 0 loop commit; end loop; end $$ | active=t | this database'],
  'expire-credit-lots runs every minute and release-lapsed-holds every 5 minutes, active, in this database'
);
select is((select pg_catalog.count(*)::int from cron.job j where j.jobname in ('expire-credit-lots', 'release-lapsed-holds')),
  2, 'exactly one job of each name');
select is((select pg_catalog.array_agg(distinct j.username::text) from cron.job j
            where j.jobname in ('expire-credit-lots', 'release-lapsed-holds')),
  array['postgres'], 'the jobs run as postgres (the owner of the billing procedures)');

-- Re-running the migration's statements changes nothing (cron.schedule replaces a job of the same name).
select j.jobid as first_id from cron.job j where j.jobname = 'expire-credit-lots' \gset
select cron.schedule('expire-credit-lots', '* * * * *',
  'do $$ begin while billing.expire_credit_lots() > 0 loop commit; end loop; end $$') as again_id \gset
select is(array[:again_id::bigint], (select pg_catalog.array_agg(j.jobid) from cron.job j where j.jobname = 'expire-credit-lots'),
  'scheduling a job again by name keeps one job of that name');
select is(:again_id::bigint, :first_id::bigint, 'and keeps its id');

select ok(not pg_catalog.has_schema_privilege('anon', 'cron', 'usage'), 'anon cannot use schema cron');
select ok(not pg_catalog.has_schema_privilege('authenticated', 'cron', 'usage'), 'authenticated cannot use schema cron');
select ok(not pg_catalog.has_schema_privilege('public', 'cron', 'usage'), 'PUBLIC has no usage on schema cron');

select * from finish();
rollback;
