-- public.credit_ledger: the append-only history of every balance change. users.credits is a
-- cache of it: users.credits = sum(delta), and balance_after is the running sum in id order.
-- Rows are written only by billing.apply_credit_change(); nobody may update, delete or truncate.

create table public.credit_ledger (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.users (id),
  delta integer not null check (delta <> 0),
  balance_after integer not null check (balance_after >= 0),
  kind text not null check (kind in ('purchase', 'spend', 'refund', 'grant', 'adjustment', 'expiration', 'reversal')),
  reason text check (reason is null or pg_catalog.char_length(reason) <= 500),
  reference text check (reference is null or pg_catalog.char_length(reference) <= 500),
  interview_id uuid,
  payment_id uuid,
  actor text not null check (pg_catalog.char_length(actor) between 1 and 200),
  idempotency_key text check (idempotency_key is null or pg_catalog.char_length(idempotency_key) between 1 and 200),
  -- Keys a user chose (their own calls, actor user:<id>) and keys the system chose (payments,
  -- service role, support, seed) live in separate namespaces, so no string a user sends can ever
  -- occupy a key the payment code needs later (e.g. payment:<id>:purchase).
  idempotency_namespace text not null
    generated always as (case when actor like 'user:%' then 'user' else 'system' end) stored,
  created_at timestamptz not null default pg_catalog.now(),
  -- The sign of a change follows from its kind; adjustments (support) go either way.
  constraint credit_ledger_delta_sign_matches_kind check (
    (kind in ('purchase', 'grant', 'refund') and delta > 0)
    or (kind in ('spend', 'expiration', 'reversal') and delta < 0)
    or kind = 'adjustment'
  )
);

comment on table public.credit_ledger is
  'Append-only history of every credit balance change (one row per change). users.credits equals the sum of delta per user; rows can never be updated or deleted. Corrections are new rows (kind adjustment via billing.support_adjust_credits).';
comment on column public.credit_ledger.id is 'Sequential id; for one user, id order is the order the changes were applied.';
comment on column public.credit_ledger.user_id is 'Whose balance changed (the wallet owner, public.users.id).';
comment on column public.credit_ledger.delta is 'Credits added (positive) or removed (negative). Never 0.';
comment on column public.credit_ledger.balance_after is 'The balance right after this change (running sum of delta for the user).';
comment on column public.credit_ledger.kind is 'Why the balance changed: purchase, grant, refund (positive); spend, expiration, reversal (negative); adjustment (support, either sign).';
comment on column public.credit_ledger.reason is 'Human-readable explanation shown on the billing page and to support (at most 500 characters).';
comment on column public.credit_ledger.reference is 'What caused the change, e.g. interview:<id>, payment:<id>, ticket:<support ticket> (at most 500 characters).';
comment on column public.credit_ledger.interview_id is 'The interview charged or refunded, if any.';
comment on column public.credit_ledger.payment_id is 'The payment credited or reversed, if any.';
comment on column public.credit_ledger.actor is 'Who made the change: user:<id>, service_role, support:<database user>, seed.';
comment on column public.credit_ledger.idempotency_key is 'The caller''s idempotency key, unique per user and namespace; null when the call was not keyed.';
comment on column public.credit_ledger.idempotency_namespace is 'Whose key idempotency_key is: user (chosen by the user, actor user:<id>) or system (payments, service role, support, seed). Derived from actor; a user key never collides with a system key.';
comment on column public.credit_ledger.created_at is 'When the change was made.';

create index credit_ledger_user_id_id_idx on public.credit_ledger (user_id, id desc);
-- A key is unique per user and namespace. Partial: unkeyed rows (most spends) add no entry to it;
-- Postgres treats nulls as distinct anyway, so this is the same guarantee without the dead entries.
create unique index credit_ledger_user_idempotency_key_key
  on public.credit_ledger (user_id, idempotency_namespace, idempotency_key) where idempotency_key is not null;

alter table public.credit_ledger enable row level security;

create policy "Users can read their own ledger"
  on public.credit_ledger for select
  to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.credit_ledger from public, anon, authenticated, service_role;
grant select on table public.credit_ledger to authenticated, service_role;
-- Even the owner gives these up; the triggers below also refuse them (superusers ignore grants).
revoke update, delete, truncate on table public.credit_ledger from postgres;
revoke all on sequence public.credit_ledger_id_seq from public, anon, authenticated, service_role;

create or replace function billing.refuse_ledger_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = '42501',
    message = 'credit_ledger_is_append_only',
    detail = pg_catalog.format('%s on public.credit_ledger refused', tg_op),
    hint = 'Ledger rows are never changed or removed: add a correcting row with billing.support_adjust_credits().';
end;
$$;
comment on function billing.refuse_ledger_change() is
  'Trigger: refuses every UPDATE, DELETE and TRUNCATE of public.credit_ledger (the ledger is append-only).';
revoke execute on function billing.refuse_ledger_change() from public, anon, authenticated, service_role;

create trigger credit_ledger_refuse_update_delete
  before update or delete on public.credit_ledger
  for each row execute function billing.refuse_ledger_change();

create trigger credit_ledger_refuse_truncate
  before truncate on public.credit_ledger
  for each statement execute function billing.refuse_ledger_change();

-- users.credits may change only together with a ledger row. billing.apply_credit_change() sets
-- the transaction-local flag billing.applying_ledger around its update; any other write of credits
-- (a dashboard edit, a stray UPDATE by the owner) is refused so the cache never drifts.
create or replace function billing.guard_users_credits()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on'
     and ((tg_op = 'INSERT' and new.credits <> 0)
          or (tg_op = 'UPDATE' and new.credits is distinct from old.credits)) then
    raise exception using
      errcode = '42501',
      message = 'credits_changed_outside_ledger',
      detail = pg_catalog.format('user %s: credits %s -> %s', new.id,
                                 case when tg_op = 'UPDATE' then old.credits end, new.credits),
      hint = 'Change balances only with the credit functions, e.g. billing.support_adjust_credits(user_id, delta, reason, ticket).';
  end if;
  return new;
end;
$$;
comment on function billing.guard_users_credits() is
  'Trigger: refuses any change of public.users.credits not made by billing.apply_credit_change(), keeping the balance equal to the ledger sum.';
revoke execute on function billing.guard_users_credits() from public, anon, authenticated, service_role;

-- The WHEN conditions repeat the function's test so the common case (a ledger write, or an
-- update that leaves credits alone) is decided by the executor without calling plpgsql.
create trigger users_guard_credits
  before update of credits on public.users
  for each row
  when (new.credits is distinct from old.credits
        and pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.guard_users_credits();

create trigger users_guard_credits_on_insert
  before insert on public.users
  for each row
  when (new.credits <> 0
        and pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.guard_users_credits();
