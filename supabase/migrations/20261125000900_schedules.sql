-- Schedules: pg_cron runs the billing housekeeping inside the database (supabase/README.md,
-- "Schedules"). Local clusters load pg_cron with cron.database_name = the migrated database
-- (scripts/lib/db.ts); hosted Supabase preloads it for `postgres`. pg_cron lives in pg_catalog
-- (as Supabase installs it): its objects are in schema `cron`, nothing lands in public.
create extension if not exists pg_cron with schema pg_catalog;

-- Only the database owner manages jobs and reads their runs; the API roles never see `cron`.
revoke all on schema cron from public, anon, authenticated;
grant usage on schema cron to postgres;
grant all privileges on all tables in schema cron to postgres;

-- cron.schedule with a job name replaces that job's schedule and command: re-running this file
-- leaves exactly one job of each name. Each job calls its batch function until nothing is due,
-- committing after every batch, so a wallet is locked only while its own few rows are written
-- (a DO block at the top level may commit; a function with a pinned search_path may not).
select cron.schedule('expire-credit-lots', '* * * * *',
  'do $$ begin while billing.expire_credit_lots() > 0 loop commit; end loop; end $$');
select cron.schedule('release-lapsed-holds', '*/5 * * * *',
  'do $$ begin while billing.release_lapsed_holds() > 0 loop commit; end loop; end $$');
