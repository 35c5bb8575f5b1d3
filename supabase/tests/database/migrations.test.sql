-- The migrations are one per feature (supabase/README.md, "Migrations"): up to the first release
-- (team_invitations) no later migration patches a table an earlier one created; from then on a
-- change of an existing table is a new migration of its own (period_end adds lot columns).
begin;
select plan(2);

select is(
  (select pg_catalog.array_agg(m.name order by m.version) from supabase_migrations.schema_migrations m),
  array['schema', 'users', 'credit_ledger', 'credit_lots', 'teams', 'plans', 'payments', 'interviews', 'realtime', 'support', 'schedules', 'email_outbox', 'team_invitations',
        'period_end'],
  'one migration per feature, in dependency order'
);

select is(
  (select pg_catalog.array_agg(m.name || ': ' || pg_catalog.left(s, 60))
     from supabase_migrations.schema_migrations m, pg_catalog.unnest(m.statements) s
    where s ~* 'alter\s+table\s+\S+\s+add\s+column' and m.version < '20261125000960'),
  null,
  'no migration of the first release adds a column to a table created earlier: each table is created whole'
);

select * from finish();
rollback;
