-- The migrations are one per feature (supabase/README.md, "Migrations"): no later migration
-- patches a table an earlier one created (issue 20's feature files, from 20261125000960 on, extend
-- the wallet and payment tables they share, each from its own file).
begin;
select plan(2);

select is(
  (select pg_catalog.array_agg(m.name order by m.version) from supabase_migrations.schema_migrations m),
  array['schema', 'users', 'credit_ledger', 'credit_lots', 'teams', 'plans', 'payments', 'interviews', 'realtime', 'support', 'schedules', 'email_outbox', 'team_invitations', 'auto_topup'],
  'one migration per feature, in dependency order'
);

select is(
  (select pg_catalog.array_agg(m.name || ': ' || pg_catalog.left(s, 60))
     from supabase_migrations.schema_migrations m, pg_catalog.unnest(m.statements) s
    where s ~* 'alter\s+table\s+\S+\s+add\s+column'
      -- Issue 20's features (subscriptions, auto top-up, alerts, period end) each extend the
      -- shared wallet and payment tables from their own file (docs: one file per feature).
      and m.version < '20261125000960'),
  null,
  'no migration adds a column to a table created earlier: each table is created whole'
);

select * from finish();
rollback;
