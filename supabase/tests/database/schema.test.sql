-- The schema explains and protects itself: tables exist, RLS is on everywhere, every table,
-- column and function carries a comment (support staff read them in the dashboard), functions
-- pin search_path, foreign keys are indexed and the private schema is closed to the API roles.
begin;
select plan(25);

select has_table('public', 'users', 'public.users exists');
select has_table('public', 'credit_ledger', 'public.credit_ledger exists');
select has_table('public', 'plans', 'public.plans exists');
select has_table('public', 'payments', 'public.payments exists');
select has_table('public', 'interviews', 'public.interviews exists');
select has_table('billing', 'idempotency_keys', 'billing.idempotency_keys exists');
select col_is_pk('public', 'users', 'id', 'users are keyed by the auth user id');
select fk_ok('public', 'users', 'id', 'auth', 'users', 'id', 'users.id references auth.users.id');

select is_empty($$
  select n.nspname || '.' || c.relname
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity
$$, 'every table in public has row level security enabled');

select is_empty($$
  select n.nspname || '.' || c.relname
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where n.nspname in ('public', 'billing') and c.relkind in ('r', 'p', 'v', 'm')
     and pg_catalog.obj_description(c.oid, 'pg_class') is null
$$, 'every table in public and billing has a comment');

select is_empty($$
  select n.nspname || '.' || c.relname || '.' || a.attname
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
   where n.nspname in ('public', 'billing') and c.relkind in ('r', 'p', 'v', 'm')
     and pg_catalog.col_description(c.oid, a.attnum) is null
$$, 'every column in public and billing has a comment');

select is_empty($$
  select p.oid::regprocedure::text
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'billing')
     and pg_catalog.obj_description(p.oid, 'pg_proc') is null
$$, 'every function in public and billing has a comment');

select is_empty($$
  select p.oid::regprocedure::text
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'billing')
     and not coalesce(p.proconfig @> array['search_path=""'], false)
$$, 'every function in public and billing runs with an empty search_path');

select is_empty($$
  select p.oid::regprocedure::text
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'billing') and p.prokind = 'p'
$$, 'no procedures: a procedure cannot commit with a pinned search_path (the scheduled jobs loop and commit in their job)');

select is_empty($$
  select p.oid::regprocedure::text
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'billing')
     and (p.proacl is null or exists (select 1 from pg_catalog.aclexplode(p.proacl) a where a.grantee = 0))
$$, 'no function in public or billing is executable by PUBLIC (grants are explicit)');

select is(
  (select pg_catalog.array_agg(p.proname::text order by p.proname)
     from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and pg_catalog.has_function_privilege('anon', p.oid, 'execute')),
  array['interview_cost', 'invitation_preview'],
  'anon may execute only interview_cost and invitation_preview (the accept page before signing in)');

select is(
  (select pg_catalog.array_agg(p.proname::text order by p.proname)
     from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and pg_catalog.has_function_privilege('authenticated', p.oid, 'execute')),
  array['accept_invitation', 'billing_summary', 'cancel_interview', 'create_interview', 'create_team', 'credit_history', 'deduct_credits', 'delete_team',
        'interview_cost', 'invitation_preview', 'invite_member', 'leave_team', 'my_workspaces', 'remove_member', 'rename_team',
        'revoke_invitation', 'set_low_balance_alert', 'set_member_limit', 'set_member_role', 'set_team_limit', 'subscription_status', 'team_members_usage'],
  'authenticated may execute exactly the user-facing functions');

select ok(
  not pg_catalog.has_schema_privilege('anon', 'billing', 'usage')
  and not pg_catalog.has_schema_privilege('authenticated', 'billing', 'usage')
  and not pg_catalog.has_schema_privilege('service_role', 'billing', 'usage'),
  'the billing schema is closed to anon, authenticated and service_role');

select is_empty($$
  select p.oid::regprocedure::text
    from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where p.oid in ('public.deduct_credits(integer, text, text, uuid)'::regprocedure,
                   'public.add_credits(uuid, integer, text, text, text, text, timestamptz, boolean)'::regprocedure,
                   'public.create_interview(text, text, integer, text, text, uuid)'::regprocedure,
                   'public.cancel_interview(uuid, text)'::regprocedure,
                   'public.billing_summary(uuid)'::regprocedure,
                   'public.credit_history(bigint, integer, uuid)'::regprocedure,
                   'billing.apply_credit_change(uuid, integer, text, text, text, text, uuid, uuid, text, timestamptz, timestamptz, text, bigint, uuid)'::regprocedure)
     and not p.prosecdef
$$, 'the credit functions are security definer');

select is_empty($$
  select c.conrelid::regclass::text || '(' || a.attname || ')'
    from pg_catalog.pg_constraint c
    join pg_catalog.pg_namespace n on n.oid = c.connamespace
    join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
   where c.contype = 'f' and n.nspname in ('public', 'billing')
     and not exists (
       select 1 from pg_catalog.pg_index i
        where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1]
          -- a partial index "where <column> is not null" serves the foreign key's lookups too
          and (i.indpred is null
               or pg_catalog.pg_get_expr(i.indpred, i.indrelid) = '(' || pg_catalog.quote_ident(a.attname) || ' IS NOT NULL)'))
$$, 'every foreign key in public and billing is the leading column of an index');

select ok(
  exists (select 1 from pg_catalog.pg_publication_tables
           where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'users'),
  'public.users is in the supabase_realtime publication');

select has_trigger('auth', 'users', 'on_auth_user_created', 'sign-up creates the recruiter row');
select has_trigger('public', 'credit_ledger', 'credit_ledger_refuse_update_delete', 'the ledger refuses update and delete');
select has_trigger('public', 'users', 'users_guard_credits', 'users.credits is guarded');
select col_has_check('public', 'users', 'credits', 'users.credits has a check (never negative)');

select * from finish();
rollback;
