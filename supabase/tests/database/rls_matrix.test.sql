-- The RLS matrix: every table and view anon or a signed-in recruiter can read, read as anon, as
-- its owner, as another user and as service_role. The list of relations is taken from the catalog
-- here, so a new readable table (or a view) without an entry below fails the first test, and a
-- policy loosened to `using (true)` fails "another user". Per-table behaviour beyond reading
-- (writes, append-only) stays in rls_<table>.test.sql.
begin;
select plan(9);

-- Who may read what. owner_column: the column naming the recruiter a row belongs to (owned rows);
-- 'catalogue': rows anyone may read when active (plans); 'topic': realtime.messages, read per
-- Realtime topic (realtime_balance_topic.test.sql checks it the way Realtime joins).
create temporary table matrix (relation text primary key, rule text not null, owner_column text);
insert into matrix values
  ('public.users', 'owned', 'id'),
  ('public.credit_ledger', 'owned', 'user_id'),
  ('public.credit_lots', 'owned', 'user_id'),
  ('public.credit_lot_entries', 'owned', 'user_id'),
  ('public.interviews', 'owned', 'user_id'),
  ('public.payments', 'owned', 'user_id'),
  ('public.plans', 'catalogue', null),
  ('realtime.messages', 'topic', null);
grant select on matrix to anon, authenticated, service_role;

-- Everything anon or authenticated can SELECT and reach (usage on its schema), outside the
-- platform's own schemas (pg_catalog, information_schema; extensions holds pgTAP's and
-- pg_stat_statements' views, which expose no recruiter data).
select set_eq(
  $$ select n.nspname || '.' || c.relname
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'v', 'm', 'p', 'f')
        and n.nspname not in ('pg_catalog', 'information_schema', 'extensions', 'tests')
        and n.nspname not like 'pg\_%'
        and not c.relispartition
        and exists (select 1 from unnest(array['anon', 'authenticated']) r(role)
                     where pg_catalog.has_schema_privilege(r.role, n.oid, 'usage')
                       and pg_catalog.has_table_privilege(r.role, c.oid, 'select')) $$,
  $$ select relation from matrix $$,
  'every table and view anon or a recruiter can read has an entry in the RLS matrix (and every entry is readable)');

select is_empty($$ select relation from matrix m join pg_catalog.pg_class c on c.oid = m.relation::regclass
                  where m.rule <> 'topic' and (c.relkind <> 'r' or not c.relrowsecurity) $$,
  'each of them is a table with row level security on (a view would read past it)');

-- Two recruiters with a row in every owned table: credits (ledger, lot, lot entry), an interview
-- (its hold), a paid checkout (payment, purchase lot).
select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('alice', 4), tests.give_credits('bob', 4) \gset
select public.record_checkout(tests.get_user_id(u), 'pack_5', 'local', 'cs_matrix_' || u) from unnest(array['alice', 'bob']) u;
select public.complete_checkout('evt_matrix_' || u, 'cs_matrix_' || u, 500, 'usd') from unnest(array['alice', 'bob']) u;
select tests.act_as('alice');
select public.create_interview('Matrix A', null, 30);
select tests.act_as('bob');
select public.create_interview('Matrix B', null, 30);
select tests.reset_role();

-- Rows of one owner (null: all rows) in one relation as the current role; -1 when the role may
-- not read it at all (42501).
create function pg_temp.rows_of(p_relation text, p_owner_column text, p_owner uuid)
returns bigint language plpgsql as $$
declare
  v_n bigint;
begin
  execute pg_catalog.format('select count(*) from %s where %s', p_relation,
    case when p_owner is null then 'true' else pg_catalog.format('%I = %L', p_owner_column, p_owner) end) into v_n;
  return v_n;
exception when insufficient_privilege then
  return -1;
end $$;

create temporary table owned_rows as
select m.relation, pg_temp.rows_of(m.relation, m.owner_column, tests.get_user_id('alice')) as alice,
       pg_temp.rows_of(m.relation, m.owner_column, tests.get_user_id('bob')) as bob
  from matrix m where m.rule = 'owned';
grant select on owned_rows to anon, authenticated, service_role;
insert into public.plans (id, name, kind, credits, price_cents, currency, active, sort_order)
values ('matrix_retired', 'Retired pack', 'pack', 3, 300, 'usd', false, 99);
create temporary table plan_rows as
select count(*) filter (where active) as active, count(*) as every from public.plans;
grant select on plan_rows to anon, authenticated, service_role;
select is_empty($$ select relation from owned_rows where alice < 1 or bob < 1 $$,
  'the set-up gives alice and bob rows in every owned table (a new table needs them too)');

-- anon: no owned row at all (no privilege, or no rows); the active plans.
select tests.act_as_anon();
select is_empty($$ select relation, pg_temp.rows_of(relation, owner_column, null) from matrix
                    where rule = 'owned' and pg_temp.rows_of(relation, owner_column, null) > 0 $$,
  'anon reads no row of any owned table');
select results_eq($$ select count(*) from public.plans $$, $$ select active from plan_rows $$,
  'anon reads the active plans only');

-- The owner: all of her rows, and nobody else's.
select tests.act_as('alice');
select results_eq(
  $$ select m.relation, pg_temp.rows_of(m.relation, m.owner_column, null) from matrix m where m.rule = 'owned' order by 1 $$,
  $$ select relation, alice from owned_rows order by 1 $$,
  'the owner reads exactly her own rows in every owned table');

-- Another user: none of alice's rows (a policy of using (true) fails here).
select tests.act_as('bob');
select results_eq(
  $$ select m.relation, pg_temp.rows_of(m.relation, m.owner_column, tests.get_user_id('alice')) from matrix m where m.rule = 'owned' order by 1 $$,
  $$ select relation, 0::bigint from owned_rows order by 1 $$,
  'another user reads none of alice''s rows in any owned table');

-- service_role (the Edge Functions): everyone's rows.
select tests.act_as_service_role();
select results_eq(
  $$ select m.relation, pg_temp.rows_of(m.relation, m.owner_column, tests.get_user_id('alice')),
            pg_temp.rows_of(m.relation, m.owner_column, tests.get_user_id('bob'))
       from matrix m where m.rule = 'owned' order by 1 $$,
  $$ select relation, alice, bob from owned_rows order by 1 $$,
  'service_role reads every owner''s rows in every owned table');
select results_eq($$ select count(*) from public.plans $$, $$ select every from plan_rows $$,
  'service_role reads every plan');
select tests.reset_role();

select * from finish();
rollback;
