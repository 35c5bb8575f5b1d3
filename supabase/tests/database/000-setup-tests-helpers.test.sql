-- Shared pgTAP helpers, created once (this file runs first and is NOT rolled back) in schema
-- `tests`, so every other file reads like the behaviour it checks:
--   select tests.create_user('alice');  select tests.act_as('alice');
--   select throws_ok($$ select public.deduct_credits(0) $$, '22023', 'invalid_amount');
-- Test users are auth.users rows with email <name>@tests.local; the sign-up trigger creates
-- their public.users row. Idempotent: safe to run again on the same database.

create extension if not exists pgtap with schema extensions;

create schema if not exists tests;
comment on schema tests is 'pgTAP helpers (tests only; never exposed by the API).';
-- The helpers are called after switching to the API roles, so those roles need to reach them.
grant usage on schema tests to anon, authenticated, service_role;

create or replace function tests.create_user(p_name text, p_metadata jsonb default null)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid := pg_catalog.gen_random_uuid();
begin
  -- Confirmed, as a recruiter who followed the sign-up link (the grant is paid on confirmation).
  insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
  values (v_id, 'authenticated', 'authenticated', p_name || '@tests.local', pg_catalog.now(),
          '{"provider":"email","providers":["email"]}',
          coalesce(p_metadata, pg_catalog.jsonb_build_object('name', p_name)),
          pg_catalog.now(), pg_catalog.now());
  return v_id;
end;
$$;
comment on function tests.create_user(text, jsonb) is 'Creates a confirmed auth user <name>@tests.local (the trigger adds public.users) and returns its id.';

create or replace function tests.get_user_id(p_name text)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  select u.id into v_id from auth.users u where u.email = p_name || '@tests.local';
  if v_id is null then
    raise exception 'tests: no test user %; call tests.create_user(%) first', p_name, pg_catalog.quote_literal(p_name);
  end if;
  return v_id;
end;
$$;
comment on function tests.get_user_id(text) is 'The id of the test user created by tests.create_user(name).';

-- Switches the transaction to what PostgREST does for a request: SET LOCAL ROLE + JWT claims.
create or replace function tests.act_as(p_name text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid := tests.get_user_id(p_name);
begin
  perform pg_catalog.set_config('role', 'authenticated', true);
  perform pg_catalog.set_config('request.jwt.claims', pg_catalog.jsonb_build_object(
    'sub', v_id, 'role', 'authenticated', 'aud', 'authenticated', 'email', p_name || '@tests.local')::text, true);
end;
$$;
comment on function tests.act_as(text) is 'Acts as the signed-in test user (role authenticated, JWT claims with sub) until the transaction ends or tests.reset_role().';

create or replace function tests.act_as_anon()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('role', 'anon', true);
  perform pg_catalog.set_config('request.jwt.claims', '{"role":"anon"}', true);
end;
$$;
comment on function tests.act_as_anon() is 'Acts as a visitor who is not signed in (role anon).';

create or replace function tests.act_as_service_role()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('role', 'service_role', true);
  perform pg_catalog.set_config('request.jwt.claims', '{"role":"service_role"}', true);
end;
$$;
comment on function tests.act_as_service_role() is 'Acts as the service role (server side, e.g. Edge Functions).';

create or replace function tests.reset_role()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('role', 'none', true);
  perform pg_catalog.set_config('request.jwt.claims', '', true);
end;
$$;
comment on function tests.reset_role() is 'Back to the database owner session (postgres, no JWT), e.g. to set up data.';

-- Runs a statement and returns its error as {code, message, detail, hint} (null if it succeeded),
-- so a test can look inside an error, e.g. the balance in the detail of insufficient_credits.
create or replace function tests.error_of(p_sql text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_code text;
  v_message text;
  v_detail text;
  v_hint text;
begin
  execute p_sql;
  return null;
exception when others then
  get stacked diagnostics v_code = returned_sqlstate, v_message = message_text,
                          v_detail = pg_exception_detail, v_hint = pg_exception_hint;
  return pg_catalog.jsonb_build_object('code', v_code, 'message', v_message,
    'detail', nullif(v_detail, ''), 'hint', nullif(v_hint, ''));
end;
$$;
comment on function tests.error_of(text) is 'Executes p_sql; returns null on success or its error as {code, message, detail, hint} (the statement''s effects are rolled back).';

-- The ledger invariant, for every user: users.credits = sum(delta), balance_after = running sum.
-- Returns the users that break it (none means the invariant holds).
-- The running totals on public.users (credits_*) against the ledger they summarise, for every user.
create or replace function tests.totals_violations()
returns table (user_id uuid, kept jsonb, summed jsonb)
language sql
stable
security definer
set search_path = ''
as $$
  -- The product's own rule (billing.credit_invariant_violations, totals_are_ledger_sums), so the
  -- sums by kind are written once.
  select v.user_id, v.detail -> 'kept', v.detail -> 'summed'
    from billing.credit_invariant_violations() v
   where v.rule = 'totals_are_ledger_sums'
$$;
comment on function tests.totals_violations() is 'Users whose running totals (public.users.credits_*) differ from the sums of their ledger rows by kind (empty = the running totals are exact).';

create or replace function tests.ledger_violations()
returns table (user_id uuid, rule text, detail jsonb)
language sql
stable
security definer
set search_path = ''
as $$
  select * from billing.credit_invariant_violations()
$$;
comment on function tests.ledger_violations() is 'Every break of the credit invariant (billing.credit_invariant_violations: balances = ledger sums, running sums, totals by kind, lots hold the balance, lot entries explain every ledger row and lot); empty = it holds.';

-- Grants credits as the owner session (through the real credit API), whatever role is active.
create or replace function tests.give_credits(p_name text, p_amount integer)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
begin
  return (billing.apply_credit_change(tests.get_user_id(p_name), p_amount, 'grant', 'tests',
    'test setup', null, null, null, null) ->> 'balance')::integer;
end;
$$;
comment on function tests.give_credits(text, integer) is 'Grants credits to a test user through billing.apply_credit_change (as a grant row) and returns the new balance.';

create or replace function tests.balance_of(p_name text)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select u.credits from public.users u where u.id = tests.get_user_id(p_name)
$$;
comment on function tests.balance_of(text) is 'The current balance of a test user, whatever role is active.';

-- Time passing, for lots: moves lots' expiry to p_at (default a second ago). Support may not set a
-- past expiry by hand (billing.check_credit_lot_expiry refuses it), so this writes it as the credit
-- functions do, with billing.applying_ledger on for the one statement.
create or replace function tests.pass_lot_expiry(p_lot_ids bigint[], p_at timestamptz default null)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_moved integer;
begin
  perform pg_catalog.set_config('billing.applying_ledger', 'on', true);
  update public.credit_lots set expires_at = coalesce(p_at, pg_catalog.now() - interval '1 second') where id = any (p_lot_ids);
  get diagnostics v_moved = row_count;
  perform pg_catalog.set_config('billing.applying_ledger', 'off', true);
  return v_moved;
end;
$$;
comment on function tests.pass_lot_expiry(bigint[], timestamptz) is 'Lets time pass for lots: sets their expires_at to p_at (default now() - 1 second), past the support-edit rule; returns how many lots moved.';

-- The random-sequence tests' generator: a linear congruential step (glibc's constants), so a run
-- is the same sequence on every machine and a failure names a seed that reproduces it.
create or replace function tests.next_seed(p_seed bigint)
returns bigint
language sql
immutable
set search_path = ''
as $$
  select (p_seed * 1103515245 + 12345) % 2147483648;
$$;
comment on function tests.next_seed(bigint) is 'Next state of the random-sequence tests'' deterministic generator.';

-- Teams: created through public.create_team as the named owner (whatever role is active; the
-- caller's claims are put back), members added as an accepted invitation would add them.
create or replace function tests.create_team(p_owner text, p_name text default 'Test team')
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_claims text := pg_catalog.current_setting('request.jwt.claims', true);
  v_team_id uuid;
begin
  perform pg_catalog.set_config('request.jwt.claims',
    pg_catalog.jsonb_build_object('sub', tests.get_user_id(p_owner), 'role', 'authenticated')::text, true);
  v_team_id := (public.create_team(p_name) ->> 'team_id')::uuid;
  perform pg_catalog.set_config('request.jwt.claims', coalesce(v_claims, ''), true);
  return v_team_id;
end;
$$;
comment on function tests.create_team(text, text) is 'Creates a team with public.create_team as test user p_owner (its first owner) and returns its id.';

create or replace function tests.add_member(p_team_id uuid, p_name text, p_role text default 'member', p_monthly_limit integer default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.team_members (team_id, user_id, role, monthly_limit, added_by)
  values (p_team_id, tests.get_user_id(p_name), p_role, p_monthly_limit,
          (select m.user_id from public.team_members m where m.team_id = p_team_id and m.role = 'owner' limit 1));
end;
$$;
comment on function tests.add_member(uuid, text, text, integer) is 'Adds test user p_name to a team with a role (and monthly limit), as an accepted invitation does.';

create or replace function tests.give_wallet_credits(p_wallet_id uuid, p_amount integer, p_expires_at timestamptz default null)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
begin
  return (billing.apply_credit_change(p_wallet_id, p_amount, 'grant', 'tests',
    'test setup', null, null, null, null, null, p_expires_at) ->> 'balance')::integer;
end;
$$;
comment on function tests.give_wallet_credits(uuid, integer, timestamptz) is 'Grants credits to any wallet (a recruiter''s or a team''s id) through billing.apply_credit_change; returns the new balance.';

create or replace function tests.team_wallet(p_team_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object('credits', t.credits, 'reserved', t.credits_reserved,
           'used', t.used_this_month, 'usage_month', t.usage_month)
    from public.teams t where t.id = p_team_id
$$;
comment on function tests.team_wallet(uuid) is 'A team wallet''s {credits, reserved, used (this month''s team usage), usage_month}, whatever role is active.';

create or replace function tests.member_used(p_team_id uuid, p_name text)
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select m.used_this_month from public.team_members m where m.team_id = p_team_id and m.user_id = tests.get_user_id(p_name)
$$;
comment on function tests.member_used(uuid, text) is 'A member''s used_this_month counter (as stored, whatever its usage_month), whatever role is active.';

-- Time passing for monthly limits: the counters were last moved in the previous month.
create or replace function tests.age_usage_month(p_team_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.team_members m set usage_month = (m.usage_month - interval '1 month')::date where m.team_id = p_team_id;
  update public.teams t set usage_month = (t.usage_month - interval '1 month')::date where t.id = p_team_id;
end;
$$;
comment on function tests.age_usage_month(uuid) is 'Lets a month pass for a team''s monthly limits: moves usage_month of the team and its members one month back.';

-- A dblink connection string to this same database, as the same superuser (for race tests that
-- need separate sessions). The local stack's password is postgres.
create or replace function tests.self_conninfo()
returns text
language sql
stable
set search_path = ''
as $$
  select pg_catalog.format('host=%s port=%s dbname=%s user=%s password=postgres',
    coalesce(pg_catalog.host(pg_catalog.inet_server_addr()), '127.0.0.1'), pg_catalog.current_setting('port'),
    pg_catalog.current_database(), session_user)
$$;
comment on function tests.self_conninfo() is 'libpq connection string back to this database (dblink race tests).';

-- The racer machinery of the race files (lots_races, team_races): queues of calls, one per
-- dblink connection back to this database, each call its own transaction as an API request is,
-- all connections driven at once. A race file fills tests.race_queue inside its own transaction
-- (rolled back with it) and calls tests.race_drive().
create extension if not exists dblink with schema extensions;

create table if not exists tests.race_queue (conn text, seq int, sql text, sent boolean default false, result text);
comment on table tests.race_queue is 'Racer queues of the race tests: per connection, the calls in order, and each answer (or error).';

-- Opens a racer connection and runs its set-up statements (e.g. tests.race_as_caller).
create or replace function tests.race_open(p_conn text, p_setup text[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_sql text;
begin
  perform extensions.dblink_connect(p_conn, tests.self_conninfo());
  foreach v_sql in array p_setup loop
    perform extensions.dblink_exec(p_conn, v_sql);
  end loop;
end $$;
comment on function tests.race_open(text, text[]) is 'Opens dblink connection p_conn to this database and runs p_setup on it.';

-- A session acting as an API caller: role and JWT claims for the whole session.
create or replace function tests.race_as_caller(p_role text, p_sub uuid)
returns text[]
language sql
set search_path = ''
as $$
  select array[pg_catalog.format('set role %I', p_role),
               pg_catalog.format('set request.jwt.claims = %L', pg_catalog.jsonb_build_object('role', p_role, 'sub', p_sub)::text)] $$;
comment on function tests.race_as_caller(text, uuid) is 'The set-up statements that make a racer session an API caller (role, JWT claims).';

-- A call through tests.error_of: 'ok' when it succeeded, else its SQLSTATE and message.
create or replace function tests.race_call(p_sql text)
returns text
language sql
set search_path = ''
as $$
  select pg_catalog.format($q$select coalesce((select (e ->> 'code') || ' ' || (e ->> 'message') from (select tests.error_of(%L) as e) x), 'ok')$q$,
                p_sql) $$;
comment on function tests.race_call(text) is 'Wraps a call so a racer answers ok or its SQLSTATE and message.';

-- Runs every queue at once: sends each connection its next query as soon as the previous one is
-- answered, until all are done. Each answer (or error message) goes to race_queue.result.
create or replace function tests.race_drive()
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_conn text;
  v_item tests.race_queue;
  v_result text;
  v_pending boolean;
  v_inflight text[] := '{}'::text[];
begin
  loop
    v_pending := false;
    for v_conn in select distinct conn from tests.race_queue order by conn loop
      if v_conn = any (v_inflight) then
        if extensions.dblink_is_busy(v_conn) = 1 then
          v_pending := true;
          continue;
        end if;
        select r into v_result from extensions.dblink_get_result(v_conn, false) as t(r text);
        if v_result is null then
          v_result := 'dblink error: ' || extensions.dblink_error_message(v_conn);
        end if;
        perform 1 from extensions.dblink_get_result(v_conn, false) as t(r text);
        update tests.race_queue set result = v_result
         where conn = v_conn and seq = (select pg_catalog.max(seq) from tests.race_queue where conn = v_conn and sent);
        v_inflight := pg_catalog.array_remove(v_inflight, v_conn);
      end if;
      select * into v_item from tests.race_queue where conn = v_conn and not sent order by seq limit 1;
      if found then
        perform extensions.dblink_send_query(v_conn, v_item.sql);
        update tests.race_queue set sent = true where conn = v_conn and seq = v_item.seq;
        v_inflight := v_inflight || v_conn;
        v_pending := true;
      end if;
    end loop;
    exit when not v_pending;
    perform pg_catalog.pg_sleep(0.0005);
  end loop;
end $$;
comment on function tests.race_drive() is 'Sends each racer connection its next queued call as soon as the previous one answered, until every queue is done; answers go to tests.race_queue.result.';

grant execute on all functions in schema tests to anon, authenticated, service_role;

select plan(4);
select has_function('tests', 'act_as', array['text'], 'tests.act_as(name) exists');
select has_function('tests', 'create_user', array['text', 'jsonb'], 'tests.create_user(name) exists');
select has_function('tests', 'error_of', array['text'], 'tests.error_of(sql) exists');
select has_function('tests', 'ledger_violations', 'tests.ledger_violations() exists');
select * from finish();
