-- The credit API: one internal function that changes a balance and writes its ledger row in one
-- step (billing.apply_credit_change), the caller checks and argument checks every entry point
-- shares, and the two public entry points deduct_credits (the signed-in user spends) and
-- add_credits (service role grants).

-- Argument checks raise 22023 with message invalid_<argument> (HTTP 400 through PostgREST).
create or replace function billing.raise_invalid_argument(p_argument text, p_hint text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = '22023',
    message = 'invalid_' || p_argument,
    detail = pg_catalog.jsonb_build_object('argument', p_argument)::text,
    hint = p_hint;
end;
$$;
comment on function billing.raise_invalid_argument(text, text) is
  'Raises SQLSTATE 22023 with message invalid_<argument> and the given hint (the contract''s bad-argument error).';
revoke execute on function billing.raise_invalid_argument(text, text) from public, anon, authenticated, service_role;

create or replace function billing.raise_unknown(p_thing text, p_hint text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = '22023',
    message = 'unknown_' || p_thing,
    detail = pg_catalog.jsonb_build_object('unknown', p_thing)::text,
    hint = p_hint;
end;
$$;
comment on function billing.raise_unknown(text, text) is
  'Raises SQLSTATE 22023 with message unknown_<thing> (e.g. unknown_user, unknown_interview): an id that names nothing the caller may act on.';
revoke execute on function billing.raise_unknown(text, text) from public, anon, authenticated, service_role;

create or replace function billing.check_amount(p_argument text, p_amount integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_amount is null or p_amount < 1 or p_amount > 10000 then
    perform billing.raise_invalid_argument(p_argument, p_argument || ' must be a whole number of credits from 1 to 10000');
  end if;
end;
$$;
comment on function billing.check_amount(text, integer) is
  'Raises 22023 invalid_<argument> unless the amount is 1..10000 credits.';
revoke execute on function billing.check_amount(text, integer) from public, anon, authenticated, service_role;

create or replace function billing.check_text(p_argument text, p_value text, p_required boolean, p_max_length integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_value is null then
    if p_required then
      perform billing.raise_invalid_argument(p_argument, p_argument || ' is required');
    end if;
  elsif pg_catalog.char_length(p_value) > p_max_length
        or (p_required and pg_catalog.char_length(pg_catalog.btrim(p_value)) = 0) then
    perform billing.raise_invalid_argument(p_argument,
      p_argument || case when p_required then ' must be 1 to ' else ' must be at most ' end || p_max_length || ' characters');
  end if;
end;
$$;
comment on function billing.check_text(text, text, boolean, integer) is
  'Raises 22023 invalid_<argument> when a required text is null or blank, or when the text is longer than the limit.';
revoke execute on function billing.check_text(text, text, boolean, integer) from public, anon, authenticated, service_role;

create or replace function billing.check_idempotency_key(p_key text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_key is not null and pg_catalog.char_length(p_key) not between 1 and 200 then
    perform billing.raise_invalid_argument('idempotency_key', 'idempotency_key must be null or 1 to 200 characters');
  end if;
end;
$$;
comment on function billing.check_idempotency_key(text) is
  'Raises 22023 invalid_idempotency_key unless the key is null (not idempotent) or 1..200 characters.';
revoke execute on function billing.check_idempotency_key(text) from public, anon, authenticated, service_role;

create or replace function billing.require_signed_in()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user_id uuid := auth.uid();
begin
  if v_user_id is null then
    raise exception using
      errcode = '42501',
      message = 'not_signed_in',
      hint = 'Sign in and try again.';
  end if;
  return v_user_id;
end;
$$;
comment on function billing.require_signed_in() is
  'Returns the caller''s user id from the JWT (auth.uid()), or raises 42501 not_signed_in.';
revoke execute on function billing.require_signed_in() from public, anon, authenticated, service_role;

-- Service-role only, checked in the body too (defence in depth: a stray GRANT must not open it).
-- The only other caller allowed is a direct database session of postgres/supabase_admin without
-- any JWT (seed, dashboard SQL editor): such a session could change the data anyway.
create or replace function billing.require_service_role()
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_role text := auth.role();
begin
  if v_role = 'service_role' then
    return 'service_role';
  end if;
  if v_role is null
     and pg_catalog.current_setting('role') = 'none'
     and session_user in ('postgres', 'supabase_admin') then
    return session_user::text;
  end if;
  raise exception using
    errcode = '42501',
    message = 'not_allowed',
    detail = pg_catalog.jsonb_build_object('role', coalesce(v_role, pg_catalog.current_setting('role')))::text,
    hint = 'Only the service role (server side) may grant credits.';
end;
$$;
comment on function billing.require_service_role() is
  'Returns the actor name when the caller is the service role (JWT role service_role) or a postgres/supabase_admin session without JWT; otherwise raises 42501 not_allowed.';
revoke execute on function billing.require_service_role() from public, anon, authenticated, service_role;

create or replace function billing.apply_credit_change(
  p_user_id uuid,
  p_delta integer,
  p_kind text,
  p_actor text,
  p_reason text default null,
  p_reference text default null,
  p_interview_id uuid default null,
  p_payment_id uuid default null,
  p_idempotency_key text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_balance integer;
  v_ledger_id bigint;
begin
  if p_delta is null or p_delta = 0 then
    perform billing.raise_invalid_argument('amount', 'a balance change must not be zero');
  end if;
  -- The row lock taken by this conditional update serialises concurrent changes of one balance;
  -- a waiting spender re-checks the condition against the committed balance, so it never goes
  -- below zero. The flag lets the guard trigger on users.credits know the ledger is being written.
  -- Update and ledger insert are one statement: one executor start instead of two, and the row
  -- lock of a busy balance is held for less time. No row back means the condition failed.
  -- set_config is called in an IF (a simple expression, as cheap as the assignment it replaces;
  -- PERFORM would plan a whole SELECT) so no write-only variable is needed.
  if pg_catalog.set_config('billing.applying_ledger', 'on', true) is null then null; end if;
  with changed as (
    update public.users
       set credits = credits + p_delta
     where id = p_user_id
       and credits + p_delta >= 0
    returning credits
  )
  insert into public.credit_ledger
    (user_id, delta, balance_after, kind, reason, reference, interview_id, payment_id, actor, idempotency_key)
  select p_user_id, p_delta, changed.credits, p_kind, p_reason, p_reference, p_interview_id, p_payment_id, p_actor, p_idempotency_key
    from changed
  returning id, balance_after into v_ledger_id, v_balance;
  if pg_catalog.set_config('billing.applying_ledger', 'off', true) is null then null; end if;

  if v_ledger_id is null then
    select u.credits into v_balance from public.users u where u.id = p_user_id;
    if not found then
      perform billing.raise_unknown('user', 'No recruiter with this id.');
    end if;
    raise exception using
      errcode = 'PT402',
      message = 'insufficient_credits',
      detail = pg_catalog.jsonb_build_object('balance', v_balance, 'required', -p_delta)::text,
      hint = 'Not enough credits: buy a credit pack on the billing page, then try again.';
  end if;

  return pg_catalog.jsonb_build_object('balance', v_balance, 'ledger_id', v_ledger_id);
end;
$$;
comment on function billing.apply_credit_change(uuid, integer, text, text, text, text, uuid, uuid, text) is
  'The only writer of balances: adds p_delta to users.credits (never below zero) and appends the matching credit_ledger row, atomically. Returns {balance, ledger_id}. Raises PT402 insufficient_credits (detail {balance, required}) or 22023 unknown_user. Internal: called by the public credit functions, payment processing and support tools.';
revoke execute on function billing.apply_credit_change(uuid, integer, text, text, text, text, uuid, uuid, text) from public, anon, authenticated, service_role;

create or replace function public.deduct_credits(
  amount integer,
  reason text default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := auth.uid();
  v_replay jsonb;
  v_change jsonb;
begin
  -- The hot path. Each check is a plain condition here and the shared helper runs only to raise
  -- its error: every call of a function with its own search_path costs a GUC save and restore,
  -- which was a third of a spend's time in the benchmark. Likewise, unkeyed calls (the common
  -- case) skip the idempotency bookkeeping entirely.
  if v_user_id is null then
    perform billing.require_signed_in();
  end if;
  if amount is null or amount < 1 or amount > 10000 then
    perform billing.check_amount('amount', amount);
  end if;
  if pg_catalog.char_length(reason) > 500 then
    perform billing.check_text('reason', reason, false, 500);
  end if;

  if idempotency_key is not null then
    perform billing.check_idempotency_key(idempotency_key);
    v_replay := billing.idempotency_begin(v_user_id, idempotency_key, 'deduct_credits',
      pg_catalog.jsonb_build_object('amount', amount, 'reason', reason), 'user');
    if v_replay is not null then
      return v_replay;
    end if;
  end if;

  v_change := billing.apply_credit_change(v_user_id, -amount, 'spend', 'user:' || v_user_id,
    coalesce(reason, 'Credits spent'), null, null, null, idempotency_key) || '{"replayed": false}'::jsonb;
  if idempotency_key is not null then
    perform billing.idempotency_finish(v_user_id, idempotency_key, v_change, 'user');
  end if;
  return v_change;
end;
$$;
comment on function public.deduct_credits(integer, text, text) is
  'Spends amount (1..10000) credits of the signed-in user atomically and records a spend in the ledger. Returns {balance, ledger_id, replayed}. Errors: 42501 not_signed_in, 22023 invalid_amount/invalid_reason/invalid_idempotency_key, PT402 insufficient_credits (detail {balance, required}), PT409 idempotency_key_reused. A repeat with the same idempotency_key returns the first result.';
revoke execute on function public.deduct_credits(integer, text, text) from public, anon, authenticated, service_role;
grant execute on function public.deduct_credits(integer, text, text) to authenticated;

create or replace function public.add_credits(
  user_id uuid,
  amount integer,
  kind text default 'grant',
  reason text default null,
  reference text default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor text := billing.require_service_role();
  v_user_id uuid := add_credits.user_id;
  v_replay jsonb;
  v_change jsonb;
begin
  if v_user_id is null then
    perform billing.raise_invalid_argument('user_id', 'user_id is required');
  end if;
  perform billing.check_amount('amount', amount);
  if kind is null or kind not in ('purchase', 'grant', 'refund', 'adjustment') then
    perform billing.raise_invalid_argument('kind', 'kind must be one of purchase, grant, refund, adjustment');
  end if;
  perform billing.check_text('reason', reason, false, 500);
  perform billing.check_text('reference', reference, false, 500);
  perform billing.check_idempotency_key(idempotency_key);
  if not exists (select 1 from public.users u where u.id = v_user_id) then
    perform billing.raise_unknown('user', 'No recruiter with this id.');
  end if;

  v_replay := billing.idempotency_begin(v_user_id, idempotency_key, 'add_credits',
    pg_catalog.jsonb_build_object('amount', amount, 'kind', kind, 'reason', reason, 'reference', reference), 'system');
  if v_replay is not null then
    return v_replay;
  end if;

  v_change := billing.apply_credit_change(v_user_id, amount, kind, v_actor,
    coalesce(reason, 'Credits added'), reference, null, null, idempotency_key);
  return billing.idempotency_finish(v_user_id, idempotency_key, v_change || '{"replayed": false}'::jsonb, 'system');
end;
$$;
comment on function public.add_credits(uuid, integer, text, text, text, text) is
  'Service role only (never the browser): adds amount (1..10000) credits to a user with kind purchase, grant, refund or adjustment. Returns {balance, ledger_id, replayed}. Errors: 42501 not_allowed, 22023 invalid_user_id/unknown_user/invalid_amount/invalid_kind/invalid_reason/invalid_reference/invalid_idempotency_key, PT409 idempotency_key_reused.';
revoke execute on function public.add_credits(uuid, integer, text, text, text, text) from public, anon, authenticated, service_role;
grant execute on function public.add_credits(uuid, integer, text, text, text, text) to service_role;
