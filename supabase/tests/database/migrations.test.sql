-- The migrations are one per feature (supabase/README.md, "Migrations"): no migration up to the
-- first release patches a table an earlier one created. From subscriptions (issue 20) on, a
-- feature changes shared tables in its own new file (ALTER TABLE), as after a release.
begin;
select plan(2);

select is(
  (select pg_catalog.array_agg(m.name order by m.version) from supabase_migrations.schema_migrations m),
  array['schema', 'users', 'credit_ledger', 'credit_lots', 'teams', 'plans', 'payments', 'interviews', 'realtime', 'support', 'schedules', 'email_outbox', 'team_invitations', 'subscriptions', 'auto_topup', 'balance_alerts',
        'period_end'],
  'one migration per feature, in dependency order'
);

select is(
  (select pg_catalog.array_agg(m.name || ': ' || pg_catalog.left(s, 60))
     from supabase_migrations.schema_migrations m, pg_catalog.unnest(m.statements) s
    where s ~* 'alter\s+table\s+\S+\s+add\s+column' and m.version < '20261125000960'),
  null,
  'no migration before subscriptions adds a column to a table created earlier: each table is created whole'
);

select * from finish();
rollback;
