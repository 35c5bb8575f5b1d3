-- The migrations are one per feature (supabase/README.md, "Migrations"): up to team_invitations
-- no later migration patches a table an earlier one created. From issue 20 on, each feature's new
-- file adds its columns to the existing tables (the after-release rule: only new files).
begin;
select plan(2);

select is(
  (select pg_catalog.array_agg(m.name order by m.version) from supabase_migrations.schema_migrations m),
  array['schema', 'users', 'credit_ledger', 'credit_lots', 'teams', 'plans', 'payments', 'interviews', 'realtime', 'support', 'schedules', 'email_outbox', 'team_invitations', 'balance_alerts'],
  'one migration per feature, in dependency order'
);

select is(
  (select pg_catalog.array_agg(m.name || ': ' || pg_catalog.left(s, 60))
     from supabase_migrations.schema_migrations m, pg_catalog.unnest(m.statements) s
    where s ~* 'alter\s+table\s+\S+\s+add\s+column' and m.version <= '20261125000950'),
  null,
  'no migration up to team_invitations adds a column to a table created earlier: each table is created whole'
);

select * from finish();
rollback;
