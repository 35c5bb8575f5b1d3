-- The private schema `billing`: internals of the credit system (idempotency records, processed
-- webhook events, trigger functions, support tools). It is not in the API's exposed schemas and
-- the API roles get no privilege on it, so nothing here is reachable over REST/RPC.

create schema if not exists billing;
comment on schema billing is
  'Private internals of the credit system (idempotency records, webhook bookkeeping, trigger and support functions). Not exposed by the API; reached only through the security definer functions in public.';

revoke all on schema billing from public, anon, authenticated, service_role;

-- Functions are executable by PUBLIC by default; in this schema nobody but the owner may call them.
alter default privileges in schema billing revoke execute on functions from public;

/**
  * Section - Argument limits
  * Each limit an argument check enforces, named once. Immutable: a check like
  * `amount > billing.max_credits_per_call()` is folded to a constant when its plan is made, so the
  * hot paths pay nothing for the name. Table checks keep their literals on purpose: a constraint
  * must not depend on a function a later migration could redefine without revalidating the rows.
 */

create or replace function billing.max_credits_per_call()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 10000;
$$;
comment on function billing.max_credits_per_call() is
  'Most credits one call may add or take (deduct_credits, add_credits amount; support_adjust_credits delta, either sign). Used by the argument checks.';
revoke execute on function billing.max_credits_per_call() from public, anon, authenticated, service_role;

create or replace function billing.hold_lifetime()
returns interval
language sql
immutable
parallel safe
set search_path = ''
as $$
  select interval '30 days';
$$;
comment on function billing.hold_lifetime() is
  'How long an interview''s credits stay reserved if it is neither completed nor cancelled: after that the scheduled billing.release_lapsed_holds returns them and cancels the interview (reason hold_lapsed).';
revoke execute on function billing.hold_lifetime() from public, anon, authenticated, service_role;

-- How far ahead an expiry may be: now() + a longer one can leave the timestamp range (and a date
-- near the end of that range is one no browser can show). The same bound as the check constraints
-- on plans.credits_expire_after and billing.signup_grant.expires_after.
create or replace function billing.max_credit_lifetime()
returns interval
language sql
immutable
parallel safe
set search_path = ''
as $$
  select interval '100 years';
$$;
comment on function billing.max_credit_lifetime() is
  'Longest time credits may last from now (100 years): the upper bound of every expiry set by a caller or by support (billing.check_expires_at).';
revoke execute on function billing.max_credit_lifetime() from public, anon, authenticated, service_role;

create or replace function billing.max_ledger_text_length()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 500;
$$;
comment on function billing.max_ledger_text_length() is
  'Longest reason or reference of a ledger row, in characters (the credit_ledger columns hold as much). Used by the argument checks.';
revoke execute on function billing.max_ledger_text_length() from public, anon, authenticated, service_role;

create or replace function billing.max_idempotency_key_length()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 200;
$$;
comment on function billing.max_idempotency_key_length() is
  'Longest idempotency_key, in characters. Used by the argument checks.';
revoke execute on function billing.max_idempotency_key_length() from public, anon, authenticated, service_role;

create or replace function billing.max_job_position_length()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 200;
$$;
comment on function billing.max_job_position_length() is
  'Longest job_position of an interview, in characters. Used by the argument checks.';
revoke execute on function billing.max_job_position_length() from public, anon, authenticated, service_role;

create or replace function billing.max_job_description_length()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 5000;
$$;
comment on function billing.max_job_description_length() is
  'Longest job_description of an interview, in characters. Used by the argument checks.';
revoke execute on function billing.max_job_description_length() from public, anon, authenticated, service_role;

create or replace function billing.max_provider_ref_length()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 500;
$$;
comment on function billing.max_provider_ref_length() is
  'Longest provider id an argument may carry (checkout session id, payment intent, payment_ref), in characters. Used by the argument checks.';
revoke execute on function billing.max_provider_ref_length() from public, anon, authenticated, service_role;

create or replace function billing.max_event_id_length()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 255;
$$;
comment on function billing.max_event_id_length() is
  'Longest provider event id, in characters. Used by the argument checks.';
revoke execute on function billing.max_event_id_length() from public, anon, authenticated, service_role;

/**
  * Section - Shared helpers
  * Used by every feature below: the updated_at trigger, the contract's errors, argument checks and caller checks.
 */

create or replace function billing.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;
comment on function billing.touch_updated_at() is
  'Trigger: sets updated_at to now() on every update of the row.';
revoke execute on function billing.touch_updated_at() from public, anon, authenticated, service_role;

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
  if p_amount is null or p_amount < 1 or p_amount > billing.max_credits_per_call() then
    perform billing.raise_invalid_argument(p_argument,
      p_argument || ' must be a whole number of credits from 1 to ' || billing.max_credits_per_call());
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

-- An expiry is a real date after now and at most billing.max_credit_lifetime() ahead, or null
-- (never). 'infinity' spells "never" in a way no page can show as a date; a date already passed
-- (or now) would make credits expire the moment they are given or edited: to take credits back,
-- support writes an adjustment the recruiter sees (billing.support_adjust_credits).
create or replace function billing.check_expires_at(p_argument text, p_expires_at timestamptz)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_expires_at is not null
     and (not pg_catalog.isfinite(p_expires_at) or p_expires_at <= pg_catalog.now()
          or p_expires_at > pg_catalog.now() + billing.max_credit_lifetime()) then
    perform billing.raise_invalid_argument(p_argument,
      p_argument || ' must be a date after now and at most ' || billing.max_credit_lifetime()
      || ' ahead, or null (the credits never expire); infinity is refused: null means never');
  end if;
end;
$$;
comment on function billing.check_expires_at(text, timestamptz) is
  'Raises 22023 invalid_<argument> unless the expiry is null (never) or a finite date after now() and at most billing.max_credit_lifetime() (100 years) ahead.';
revoke execute on function billing.check_expires_at(text, timestamptz) from public, anon, authenticated, service_role;

create or replace function billing.check_idempotency_key(p_key text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_key is not null and pg_catalog.char_length(p_key) not between 1 and billing.max_idempotency_key_length() then
    perform billing.raise_invalid_argument('idempotency_key',
      'idempotency_key must be null or 1 to ' || billing.max_idempotency_key_length() || ' characters');
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

