-- The RLS matrix: every table and view anon or a signed-in recruiter can read, read as anon, as
-- its owner, as another user and as service_role. The list of relations is taken from the catalog
-- here, so a new readable table (or a view) without an entry below fails the first test, and a
-- policy loosened to `using (true)` fails "another user". Per-table behaviour beyond reading
-- (writes, append-only) stays in rls_<table>.test.sql.
-- Team workspaces: every relation that holds rows of a wallet names its team column, and a team
-- with rows of every kind (made by the member and by others) is read as its owner, an admin, a
-- member, a removed member, an outsider and anon.
begin;
select plan(17);

-- Who may read what. owner_column: the column naming the recruiter a row belongs to (owned rows);
-- 'catalogue': rows anyone may read when active (plans); 'topic': realtime.messages, read per
-- Realtime topic (realtime_balance_topic.test.sql checks it the way Realtime joins).
-- 'team': rows read per team membership (the team section below).
-- team_column: the column naming the team a row belongs to ('none': no team rows, e.g. the
-- recruiter's own users row); member_column: the column naming the member who made a team row;
-- what owners, admins and members of the team read of its rows: all, own (member_column = me), none.
create temporary table matrix (relation text primary key, rule text not null, owner_column text,
  team_column text, member_column text, owner_reads text, admin_reads text, member_reads text);
insert into matrix values
  ('public.users', 'owned', 'id', 'none', null, null, null, null),
  ('public.credit_ledger', 'owned', 'user_id', 'user_id', 'member_id', 'all', 'all', 'own'),
  ('public.credit_lots', 'owned', 'user_id', 'user_id', null, 'all', 'all', 'all'),
  ('public.credit_lot_entries', 'owned', 'user_id', 'user_id', null, 'all', 'all', 'none'),
  ('public.interviews', 'owned', 'user_id', 'team_id', 'user_id', 'all', 'all', 'own'),
  ('public.payments', 'owned', 'user_id', 'team_id', 'user_id', 'all', 'all', 'none'),
  ('public.subscriptions', 'owned', 'user_id', 'team_id', null, 'all', 'all', 'all'),
  ('public.teams', 'team', null, 'id', null, 'all', 'all', 'all'),
  ('public.team_members', 'team', null, 'team_id', 'user_id', 'all', 'all', 'own'),
  ('public.plans', 'catalogue', null, 'none', null, null, null, null),
  ('realtime.messages', 'topic', null, 'topic', null, 'all', 'all', 'all');
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
select public.record_subscription_checkout(tests.get_user_id(u), null, 'sub_starter_monthly', 'local', 'cs_matrix_sub_' || u)
  from unnest(array['alice', 'bob']) u;
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

/**
 * Teams: the membership matrix.
 */
select is_empty($$ select relation from matrix where team_column is null
                    or (team_column <> 'none' and (owner_reads is null or admin_reads is null or member_reads is null)) $$,
  'every relation says whether it holds team rows and what each role of the team reads of them');

-- A team with everything a team wallet has: a grant, two purchases (by an admin, and by an admin
-- removed since), spends and interviews by the member, an admin and the removed member, and the
-- balance messages on balance:<team id>.
select tests.create_user(u) from unnest(array['mx_owner', 'mx_admin', 'mx_member', 'mx_removed', 'mx_outsider']) u;
select tests.create_team('mx_owner', 'Matrix team') as team \gset
select tests.add_member(:'team', 'mx_admin', 'admin'), tests.add_member(:'team', 'mx_member'),
       tests.add_member(:'team', 'mx_removed', 'admin');
select tests.give_wallet_credits(:'team', 40);
select public.record_checkout(tests.get_user_id(u), 'pack_5', 'local', 'cs_matrix_team_' || u, :'team')
  from unnest(array['mx_admin', 'mx_removed']) u;
select public.complete_checkout('evt_matrix_team_' || u, 'cs_matrix_team_' || u, 500, 'usd')
  from unnest(array['mx_admin', 'mx_removed']) u;
select public.record_subscription_checkout(tests.get_user_id('mx_admin'), :'team', 'sub_starter_monthly', 'local', 'cs_matrix_team_sub');
create function pg_temp.spend_as(p_name text, p_team uuid) returns void language plpgsql as $$
begin
  perform tests.act_as(p_name);
  perform public.deduct_credits(1, 'matrix', null, p_team);
  perform public.create_interview('Matrix ' || p_name, null, 30, 'technical', null, p_team);
  perform tests.reset_role();
end $$;
select pg_temp.spend_as(u, :'team') from unnest(array['mx_member', 'mx_admin', 'mx_removed']) u;
select tests.act_as('mx_owner');
select public.remove_member(:'team', tests.get_user_id('mx_removed'));
select tests.reset_role();

-- Rows of the team in one relation as the current role (realtime.messages: its topic's
-- broadcasts); with p_member, only those that member made. -1 when the role may not read it.
create function pg_temp.team_rows(p_relation text, p_team_column text, p_team uuid,
                                  p_member_column text default null, p_member uuid default null)
returns bigint language plpgsql as $$
declare
  v_n bigint;
begin
  execute pg_catalog.format('select count(*) from %s where %I = %L and %s and %s', p_relation, p_team_column,
    case when p_relation = 'realtime.messages' then 'balance:' || p_team else p_team::text end,
    case when p_relation = 'realtime.messages' then $q$extension = 'broadcast'$q$ else 'true' end,
    case when p_member is null then 'true' else pg_catalog.format('%I = %L', p_member_column, p_member) end) into v_n;
  return v_n;
exception when insufficient_privilege then
  return -1;
end $$;

-- What each role should read, from the rules above, counted as the database owner.
create temporary table team_expected as
select m.relation, r.role,
       case case r.role when 'owner' then m.owner_reads when 'admin' then m.admin_reads when 'member' then m.member_reads else 'none' end
         when 'all' then pg_temp.team_rows(m.relation, m.team_column, :'team')
         when 'own' then pg_temp.team_rows(m.relation, m.team_column, :'team', m.member_column, tests.get_user_id('mx_member'))
         else 0 end as reads
  from matrix m, unnest(array['owner', 'admin', 'member', 'removed', 'outsider', 'anon']) r(role)
 where m.team_column <> 'none';
grant select on team_expected to anon, authenticated, service_role;
select is_empty(format($$
  select m.relation from matrix m
   where m.team_column <> 'none'
     and (pg_temp.team_rows(m.relation, m.team_column, %1$L) < 1
          or (m.member_column is not null and m.relation <> 'public.payments'
              and (pg_temp.team_rows(m.relation, m.team_column, %1$L, m.member_column, tests.get_user_id('mx_member')) < 1
                   or pg_temp.team_rows(m.relation, m.team_column, %1$L)
                      <= pg_temp.team_rows(m.relation, m.team_column, %1$L, m.member_column, tests.get_user_id('mx_member'))))) $$, :'team'),
  'the set-up gives the team rows in every team relation, made by the member and by others');

-- Each role as Realtime and PostgREST see it: role, JWT claims (unexpired) and the topic joined.
create function pg_temp.team_role_reads(p_role text, p_name text, p_team uuid)
returns table (relation text, reads bigint) language plpgsql as $$
begin
  perform pg_catalog.set_config('role', case when p_name is null then 'anon' else 'authenticated' end, true);
  perform pg_catalog.set_config('realtime.topic', 'balance:' || p_team, true);
  perform pg_catalog.set_config('request.jwt.claims', pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'sub', case when p_name is null then null else tests.get_user_id(p_name) end,
    'role', case when p_name is null then 'anon' else 'authenticated' end,
    'exp', pg_catalog.floor(extract(epoch from pg_catalog.now())) + 3600))::text, true);
  return query select m.relation, greatest(pg_temp.team_rows(m.relation, m.team_column, p_team), 0)
                 from matrix m where m.team_column <> 'none' order by 1;
  perform tests.reset_role();
  perform pg_catalog.set_config('realtime.topic', '', true);
end $$;
select results_eq(format('select * from pg_temp.team_role_reads(%L, %L, %L)', 'owner', 'mx_owner', :'team'),
  $$ select relation, reads from team_expected where role = 'owner' order by 1 $$,
  'the owner reads every row of the team''s wallet, members, interviews and payments, and its topic');
select results_eq(format('select * from pg_temp.team_role_reads(%L, %L, %L)', 'admin', 'mx_admin', :'team'),
  $$ select relation, reads from team_expected where role = 'admin' order by 1 $$,
  'an admin reads every row of the team, like the owner');
select results_eq(format('select * from pg_temp.team_role_reads(%L, %L, %L)', 'member', 'mx_member', :'team'),
  $$ select relation, reads from team_expected where role = 'member' order by 1 $$,
  'a member reads the team, its lots and topic, and only their own ledger rows, interviews and membership');
select results_eq(format('select * from pg_temp.team_role_reads(%L, %L, %L)', 'removed', 'mx_removed', :'team'),
  $$ select relation, reads from team_expected where role = 'removed' order by 1 $$,
  'a removed member reads nothing of the team (not even the rows and purchases they made)');
select results_eq(format('select * from pg_temp.team_role_reads(%L, %L, %L)', 'outsider', 'mx_outsider', :'team'),
  $$ select relation, reads from team_expected where role = 'outsider' order by 1 $$,
  'an outsider reads nothing of the team');
select results_eq(format('select * from pg_temp.team_role_reads(%L, %L, %L)', 'anon', null, :'team'),
  $$ select relation, reads from team_expected where role = 'anon' order by 1 $$,
  'anon reads nothing of the team');
select tests.reset_role();

select * from finish();
rollback;
