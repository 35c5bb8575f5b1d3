-- public.users: one recruiter per auth user. Keyed by auth.users.id so a balance stays attached
-- when the email changes. Created by a trigger on sign-up; clients read their own row and may
-- change only name and picture. `credits` is the cached ledger balance (see credit_ledger).
-- An account becomes someone's when its address is confirmed (auth.users.email_confirmed_at null
-- -> a time): only then is the sign-up grant paid, and a password chosen before it is discarded,
-- because whoever typed the address may not own it (see "Section - Confirmation" below).

create table public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  email text unique,
  name text check (name is null or pg_catalog.char_length(name) <= 200),
  picture text check (picture is null or (pg_catalog.char_length(picture) <= 2000 and picture ~* '^https?://')),
  credits integer not null default 0 check (credits >= 0),
  -- Credits held by open holds (scheduled interviews): not spendable, not yet spent. credits is
  -- the available part; the two together are what the recruiter owns.
  credits_reserved integer not null default 0 check (credits_reserved >= 0),
  -- Running totals of the ledger by kind, on the row every balance change already updates, so a
  -- spend still writes one wallet row and one ledger row and the billing page reads one row
  -- instead of summing a history that only grows. All >= 0 except adjusted (signed, like its rows).
  credits_purchased bigint not null default 0 check (credits_purchased >= 0),
  credits_spent bigint not null default 0 check (credits_spent >= 0),
  credits_refunded bigint not null default 0 check (credits_refunded >= 0),
  credits_granted bigint not null default 0 check (credits_granted >= 0),
  credits_adjusted bigint not null default 0,
  credits_reversed bigint not null default 0 check (credits_reversed >= 0),
  credits_expired bigint not null default 0 check (credits_expired >= 0),
  -- Whether the account has a password to sign in with (auth.users.encrypted_password not empty),
  -- kept by the triggers below: sign-up proves the address first and sets the password after,
  -- so the SPA sends a confirmed user without one to "Choose your password".
  has_password boolean not null default false,
  created_at timestamptz not null default pg_catalog.now(),
  updated_at timestamptz not null default pg_catalog.now(),
  -- The totals explain the balance, on every row at every commit.
  constraint users_totals_explain_credits check (
    credits_purchased + credits_granted + credits_refunded + credits_adjusted
      - credits_spent - credits_reversed - credits_expired = credits + credits_reserved)
);

comment on table public.users is
  'A recruiter (one per auth user). Created automatically on sign-up. credits is the cached balance of credit_ledger and credits_* its running totals by kind (they explain it): never edit them by hand, use billing.support_adjust_credits().';
comment on column public.users.id is 'The auth user id (auth.users.id); also the owner key of the ledger.';
comment on column public.users.email is 'Email address, kept in sync with auth.users.email by a trigger. Null for phone-only or anonymous users.';
comment on column public.users.name is 'Display name (from sign-up metadata; the user may change it). At most 200 characters.';
comment on column public.users.picture is 'Avatar URL (http/https, at most 2000 characters); the user may change it.';
comment on column public.users.credits is 'Available credit balance (spendable now) = sum of credit_ledger.delta for this user = sum of credit_lots.remaining. Written only by the credit functions; never negative.';
comment on column public.users.credits_reserved is 'Reserved credits: held by scheduled interviews until they are completed (spent) or cancelled (returned) = sum of credit_ledger.reserved_delta = sum of credit_lots.held. Written only by the credit functions.';
comment on column public.users.credits_purchased is 'Running total: credits added by purchase ledger rows (sum of their delta). Written only with a ledger row, in the same statement.';
comment on column public.users.credits_spent is 'Running total: credits removed by spend ledger rows (interviews), positive. Written only with a ledger row, in the same statement.';
comment on column public.users.credits_refunded is 'Running total: credits returned by refund ledger rows (what completed interviews were charged, given back; never more than credits_spent). Written only with a ledger row, in the same statement.';
comment on column public.users.credits_granted is 'Running total: credits added by grant ledger rows (support, sign-up). Written only with a ledger row, in the same statement.';
comment on column public.users.credits_adjusted is 'Running total: signed sum of adjustment ledger rows (support corrections). Written only with a ledger row, in the same statement.';
comment on column public.users.credits_reversed is 'Running total: credits removed by reversal ledger rows (refunded payments), positive. Written only with a ledger row, in the same statement.';
comment on column public.users.credits_expired is 'Running total: credits removed by expiration ledger rows, positive. Written only with a ledger row, in the same statement.';
comment on column public.users.has_password is 'Whether the account has a password to sign in with (auth.users.encrypted_password is set). False after sign-up until the user chooses one (the SPA asks), and after confirmation discarded a password set before the address was proven. Kept by triggers on auth.users; nobody writes it directly.';
comment on column public.users.created_at is 'When the user signed up.';
comment on column public.users.updated_at is 'When the row last changed (name, picture, email or balance).';

-- Only when the statement left updated_at alone: the credit functions set it in their own update
-- of the wallet, so a balance change does not call PL/pgSQL for it (a measured share of a spend).
create trigger users_touch_updated_at
  before update on public.users
  for each row
  when (new.updated_at = old.updated_at)
  execute function billing.touch_updated_at();

alter table public.users enable row level security;

create policy "Users can read their own row"
  on public.users for select
  to authenticated
  using (id = (select auth.uid()));

create policy "Users can update their own row"
  on public.users for update
  to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- Supabase grants everything on new public tables to the API roles by default: take it back,
-- then grant exactly. Column privileges keep credits, its running totals (credits_*), email and id
-- out of the client's reach.
revoke all on table public.users from public, anon, authenticated, service_role;
grant select on table public.users to authenticated, service_role;
grant update (name, picture) on table public.users to authenticated, service_role;

-- Sign-up: the auth service inserts into auth.users; this creates the matching recruiter row.
create or replace function billing.on_auth_user_created()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  v_picture text := coalesce(v_meta ->> 'picture', v_meta ->> 'avatar_url');
begin
  -- Bad metadata must never block a sign-up: keep what fits, drop what does not.
  if v_picture is not null and (pg_catalog.char_length(v_picture) > 2000 or v_picture !~* '^https?://') then
    v_picture := null;
  end if;
  insert into public.users (id, email, name, picture, has_password)
  values (
    new.id,
    new.email,
    pg_catalog.left(coalesce(v_meta ->> 'name', v_meta ->> 'full_name'), 200),
    v_picture,
    coalesce(new.encrypted_password, '') <> ''
  )
  on conflict (id) do nothing;
  -- Created already confirmed (admin API with email_confirm, autoconfirm): the address is proven
  -- now, so the grant is paid now; otherwise at confirmation (billing.on_auth_user_confirmed).
  if found and new.email_confirmed_at is not null then
    perform billing.grant_signup_credits(new.id);
  end if;
  return new;
end;
$$;
comment on function billing.on_auth_user_created() is
  'Trigger on auth.users insert: creates the public.users row (email, name and picture from raw_user_meta_data, has_password) with 0 credits; when the user is created already confirmed, gives the sign-up grant configured in billing.signup_grant (a promotional lot; 0 credits by default, so nothing). Unconfirmed users get it at confirmation.';
revoke execute on function billing.on_auth_user_created() from public, anon, authenticated, service_role;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function billing.on_auth_user_created();

create or replace function billing.on_auth_user_email_changed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.users set email = new.email where id = new.id;
  return new;
end;
$$;
comment on function billing.on_auth_user_email_changed() is
  'Trigger on auth.users update of email: copies the new email to public.users.';
revoke execute on function billing.on_auth_user_email_changed() from public, anon, authenticated, service_role;

create trigger on_auth_user_email_changed
  after update of email on auth.users
  for each row
  when (old.email is distinct from new.email)
  execute function billing.on_auth_user_email_changed();

/**
  * Section - Confirmation
  * Hosted GoTrue keeps the password of an unconfirmed user when the address signs up again ("we
  * can't be sure of their claimed identity") and we cannot change it; the database is where our
  * rule runs on hosted projects too. So: whatever confirms the address (the sign-up link, a magic
  * link, a recovery link) discards a password set before it and ends the sessions opened before
  * it, and pays the sign-up grant.
 */

create or replace function billing.on_auth_user_confirming()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- '' is how GoTrue stores "no password" (OAuth and magic-link users; its password grant refuses
  -- it before any compare); null would do too on GoTrue 2.x, but older versions cannot scan it.
  new.encrypted_password := '';
  -- Sessions opened before the address was proven (support un-confirmed a disputed address, or
  -- the project allows unverified e-mail sign-ins) are whoever typed it: their refresh tokens die
  -- with the password. The link's own session is created after this update, so it stays.
  -- (refresh_tokens.session_id cascades; tokens of older GoTrue versions have none.)
  delete from auth.sessions s where s.user_id = new.id;
  delete from auth.refresh_tokens t where t.user_id = new.id::text;
  return new;
end;
$$;
comment on function billing.on_auth_user_confirming() is
  'Trigger before an auth.users update that confirms the address (email_confirmed_at null -> a time): discards the password set before confirmation (encrypted_password = '''') and ends every session and refresh token opened before it, so neither a password chosen nor a session opened by whoever typed the address first survives the owner proving it. The owner then chooses a password (PUT /user). Users created already confirmed are not touched.';
revoke execute on function billing.on_auth_user_confirming() from public, anon, authenticated, service_role;

create trigger on_auth_user_confirming
  before update on auth.users
  for each row
  when (old.email_confirmed_at is null and new.email_confirmed_at is not null)
  execute function billing.on_auth_user_confirming();

create or replace function billing.on_auth_user_confirmed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.users set has_password = coalesce(new.encrypted_password, '') <> ''
   where id = new.id and has_password is distinct from (coalesce(new.encrypted_password, '') <> '');
  -- The grant is once per recruiter (billing.grant_signup_credits), also when support un-confirmed
  -- the address and it is confirmed again.
  if old.email_confirmed_at is null and new.email_confirmed_at is not null then
    perform billing.grant_signup_credits(new.id);
  end if;
  return new;
end;
$$;
comment on function billing.on_auth_user_confirmed() is
  'Trigger after an auth.users update that confirms the address or changes the password: keeps public.users.has_password, and on confirmation gives the sign-up grant (billing.grant_signup_credits) unless this recruiter already had it.';
revoke execute on function billing.on_auth_user_confirmed() from public, anon, authenticated, service_role;

create trigger on_auth_user_confirmed
  after update on auth.users
  for each row
  when ((old.email_confirmed_at is null and new.email_confirmed_at is not null)
        or old.encrypted_password is distinct from new.encrypted_password)
  execute function billing.on_auth_user_confirmed();
