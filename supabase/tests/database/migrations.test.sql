-- The migrations are one per feature (supabase/README.md, "Migrations"): no later migration
-- patches a table an earlier one created.
begin;
select plan(2);

select is(
  (select pg_catalog.array_agg(m.name order by m.version) from supabase_migrations.schema_migrations m),
  array['schema', 'users', 'credit_ledger', 'credit_lots', 'teams', 'plans', 'payments', 'interviews', 'realtime', 'support', 'schedules', 'email_outbox', 'team_invitations'],
  'one migration per feature, in dependency order'
);

select is(
  (select pg_catalog.array_agg(m.name || ': ' || pg_catalog.left(s, 60))
     from supabase_migrations.schema_migrations m, pg_catalog.unnest(m.statements) s
    where s ~* 'alter\s+table\s+\S+\s+add\s+column'),
  null,
  'no migration adds a column to a table created earlier: each table is created whole'
);

select * from finish();
rollback;
