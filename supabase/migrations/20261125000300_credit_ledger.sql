-- The credit ledger: the append-only history of balance changes, the one function that writes
-- it (billing.apply_credit_change), the stored results of keyed calls, the two public entry
-- points deduct_credits (the signed-in user spends) and add_credits (service role grants), and
-- billing_summary, the billing page in one call.

/**
  * Section - Ledger table
 */

-- public.credit_ledger: the append-only history of every balance change. users.credits is a
-- cache of it: users.credits = sum(delta), and balance_after is the running sum in id order.
-- Rows are written only by billing.apply_credit_change(); nobody may update, delete or truncate.

create table public.credit_ledger (
  id bigint generated always as identity primary key,
  -- The wallet: a recruiter's id (personal workspace, public.users) or a team's (public.teams).
  -- No foreign key: it names one of two tables; billing.apply_credit_change writes a row only after
  -- updating that wallet, and a wallet with rows cannot be deleted (billing.refuse_wallet_delete).
  user_id uuid not null,
  delta integer not null,
  balance_after integer not null check (balance_after >= 0),
  -- The reserved part of the balance (holds of scheduled interviews) moves with reserved_delta:
  -- a hold moves credits from available to reserved, a release back, a capture spends them.
  reserved_delta integer not null default 0,
  reserved_after integer not null default 0 check (reserved_after >= 0),
  kind text not null check (kind in ('purchase', 'spend', 'refund', 'grant', 'adjustment', 'expiration', 'reversal', 'hold', 'release')),
  reason text check (reason is null or pg_catalog.char_length(reason) <= 500),
  reference text check (reference is null or pg_catalog.char_length(reference) <= 500),
  interview_id uuid,
  payment_id uuid,
  -- Which member of a team made the change (null on personal wallets and on system changes).
  member_id uuid,
  -- The single-lot form (public.credit_lots, next migration): a row that moved exactly one lot
  -- (the common spend, hold, release and capture; every expiration and reversal) names it here
  -- and writes no credit_lot_entries row; the lot moved by the row's own deltas. A row that moved
  -- several lots (a spend spanning lots) or created one (credits coming in: the lot's ledger_id
  -- names the row) leaves it null and has entries. billing.credit_lot_moves reads both as one.
  -- No foreign key and no index: each would cost every spend (a lookup, an index insert); only
  -- apply_credit_change writes it, with the id of the lot it just updated, every reader comes
  -- through the ledger row, and billing.credit_invariant_violations checks the lot exists and is
  -- the same wallet's (entry_owner_matches).
  lot_id bigint,
  actor text not null check (pg_catalog.char_length(actor) between 1 and 200),
  idempotency_key text check (idempotency_key is null or pg_catalog.char_length(idempotency_key) between 1 and 200),
  -- Keys a user chose (their own calls, actor user:<id>) and keys the system chose (payments,
  -- service role, support, seed) live in separate namespaces, so no string a user sends can ever
  -- occupy a key the payment code needs later (e.g. payment:<id>:purchase).
  idempotency_namespace text not null
    generated always as (case when actor like 'user:%' then 'user' else 'system' end) stored,
  created_at timestamptz not null default pg_catalog.now(),
  -- The sign of a change follows from its kind; adjustments (support) go either way. Only holds,
  -- releases and captures (a spend of reserved credits) touch the reserved part.
  constraint credit_ledger_delta_sign_matches_kind check (
    (kind in ('purchase', 'grant', 'refund') and delta > 0 and reserved_delta = 0)
    or (kind in ('expiration', 'reversal') and delta < 0 and reserved_delta = 0)
    or (kind = 'spend' and ((delta < 0 and reserved_delta = 0) or (delta = 0 and reserved_delta < 0)))
    or (kind = 'hold' and delta < 0 and reserved_delta = -delta)
    or (kind = 'release' and delta > 0 and reserved_delta = -delta)
    or (kind = 'adjustment' and delta <> 0 and reserved_delta = 0)
  )
);

comment on table public.credit_ledger is
  'Append-only history of every credit balance change (one row per change). users.credits equals the sum of delta per user; rows can never be updated or deleted. Corrections are new rows (kind adjustment via billing.support_adjust_credits).';
comment on column public.credit_ledger.id is 'Sequential id; for one user, id order is the order the changes were applied.';
comment on column public.credit_ledger.user_id is 'Whose balance changed: the wallet id, a recruiter''s (public.users.id, their personal workspace) or a team''s (public.teams.id).';
comment on column public.credit_ledger.delta is 'Change of the available balance: credits added (positive) or removed (negative). 0 only for a capture (kind spend of reserved credits).';
comment on column public.credit_ledger.balance_after is 'The available balance right after this change (running sum of delta for the user).';
comment on column public.credit_ledger.reserved_delta is 'Change of the reserved balance: +n for a hold, -n for its release or capture, else 0.';
comment on column public.credit_ledger.reserved_after is 'The reserved balance right after this change (running sum of reserved_delta for the user).';
comment on column public.credit_ledger.kind is 'Why the balance changed: purchase, grant, refund (positive; a refund returns credits charged for a completed interview, naming it); spend, expiration, reversal (negative); hold (available to reserved: an interview was created), release (reserved back to available: it was cancelled or its hold lapsed); a spend with delta 0 captures a hold (the interview took place); adjustment (support, either sign). lot_id or credit_lot_entries say which lots each row moved (billing.credit_lot_moves).';
comment on column public.credit_ledger.reason is 'Human-readable explanation shown on the billing page and to support (at most 500 characters).';
comment on column public.credit_ledger.reference is 'What caused the change, e.g. interview:<id>, payment:<id>, ticket:<support ticket> (at most 500 characters).';
comment on column public.credit_ledger.interview_id is 'The interview charged or refunded, if any.';
comment on column public.credit_ledger.payment_id is 'The payment credited or reversed, if any.';
comment on column public.credit_ledger.member_id is 'On a team wallet: the member who made the change (public.users.id; their spends, holds, cancels). Null on personal wallets (user_id is the recruiter) and for system, payment and support changes.';
comment on column public.credit_ledger.lot_id is 'The one lot this row moved, by exactly its deltas (the lot''s remaining by delta, its held part by reserved_delta); such a row has no credit_lot_entries. Null when the row moved several lots or created one: then credit_lot_entries says how much from each. Read both forms through billing.credit_lot_moves.';
comment on column public.credit_ledger.actor is 'Who made the change: user:<id>, service_role, support:<database user>, seed.';
comment on column public.credit_ledger.idempotency_key is 'The caller''s idempotency key, unique per user and namespace; null when the call was not keyed.';
comment on column public.credit_ledger.idempotency_namespace is 'Whose key idempotency_key is: user (chosen by the user, actor user:<id>) or system (payments, service role, support, seed). Derived from actor; a user key never collides with a system key.';
comment on column public.credit_ledger.created_at is 'When the change was made.';

create index credit_ledger_user_id_id_idx on public.credit_ledger (user_id, id desc);
-- Credits support took back, per wallet (billing_summary's total_adjusted_removed): a handful of rows
-- per account at most, so the billing page's cost stays flat however long the history.
create index credit_ledger_removed_by_support_idx on public.credit_ledger (user_id) where kind = 'adjustment' and delta < 0;
-- A key is unique per user and namespace. Partial: unkeyed rows (most spends) add no entry to it;
-- Postgres treats nulls as distinct anyway, so this is the same guarantee without the dead entries.
-- On a team wallet each member's keys are their own (two members may both send "k1").
create unique index credit_ledger_user_idempotency_key_key
  on public.credit_ledger (user_id, idempotency_namespace, member_id, idempotency_key) nulls not distinct
  where idempotency_key is not null;
-- A member's own rows in a team wallet (their history page, their spends): partial, so personal
-- and system rows (member_id null) add nothing to it.
create index credit_ledger_member_id_idx on public.credit_ledger (member_id, user_id, id desc) where member_id is not null;

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
    detail = pg_catalog.format('%s on %I.%I refused', tg_op, tg_table_schema, tg_table_name),
    hint = 'Ledger rows are never changed or removed: add a correcting row with billing.support_adjust_credits().';
end;
$$;
comment on function billing.refuse_ledger_change() is
  'Trigger: refuses every UPDATE, DELETE and TRUNCATE of public.credit_ledger and public.credit_lot_entries (both are append-only).';
revoke execute on function billing.refuse_ledger_change() from public, anon, authenticated, service_role;

create trigger credit_ledger_refuse_update_delete
  before update or delete on public.credit_ledger
  for each row execute function billing.refuse_ledger_change();

create trigger credit_ledger_refuse_truncate
  before truncate on public.credit_ledger
  for each statement execute function billing.refuse_ledger_change();

-- users.credits and its running totals (credits_*) may change only together with a ledger row.
-- billing.apply_credit_change() sets the transaction-local flag billing.applying_ledger around its
-- update; any other write of them (a dashboard edit, a stray UPDATE by the owner) is refused so
-- neither the balance nor the totals drift from the ledger.
create or replace function billing.guard_users_credits()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on'
     and ((tg_op = 'INSERT'
           and (new.credits, new.credits_reserved, new.credits_purchased, new.credits_spent, new.credits_refunded,
                new.credits_granted, new.credits_adjusted, new.credits_reversed, new.credits_expired)
               is distinct from (0, 0, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint))
          or (tg_op = 'UPDATE'
              and (new.credits, new.credits_reserved, new.credits_purchased, new.credits_spent, new.credits_refunded,
                   new.credits_granted, new.credits_adjusted, new.credits_reversed, new.credits_expired)
                  is distinct from
                  (old.credits, old.credits_reserved, old.credits_purchased, old.credits_spent, old.credits_refunded,
                   old.credits_granted, old.credits_adjusted, old.credits_reversed, old.credits_expired))) then
    raise exception using
      errcode = '42501',
      message = 'credits_changed_outside_ledger',
      detail = pg_catalog.format('user %s: credits %s -> %s (credits and its running totals credits_* change only with a ledger row)',
                                 new.id, case when tg_op = 'UPDATE' then old.credits end, new.credits),
      hint = 'Change balances only with the credit functions, e.g. billing.support_adjust_credits(user_id, delta, reason, ticket).';
  end if;
  return new;
end;
$$;
comment on function billing.guard_users_credits() is
  'Trigger: refuses any change of public.users.credits or its running totals (credits_purchased, _spent, _refunded, _granted, _adjusted, _reversed, _expired) not made by billing.apply_credit_change(), keeping them equal to the ledger.';
revoke execute on function billing.guard_users_credits() from public, anon, authenticated, service_role;

-- The WHEN conditions repeat the function's test so the common case (a ledger write, or an
-- update that leaves the balance and totals alone) is decided by the executor without calling plpgsql.
create trigger users_guard_credits
  before update of credits, credits_reserved, credits_purchased, credits_spent, credits_refunded, credits_granted,
                   credits_adjusted, credits_reversed, credits_expired on public.users
  for each row
  when ((new.credits, new.credits_reserved, new.credits_purchased, new.credits_spent, new.credits_refunded,
         new.credits_granted, new.credits_adjusted, new.credits_reversed, new.credits_expired)
        is distinct from
        (old.credits, old.credits_reserved, old.credits_purchased, old.credits_spent, old.credits_refunded,
         old.credits_granted, old.credits_adjusted, old.credits_reversed, old.credits_expired)
        and pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.guard_users_credits();

create trigger users_guard_credits_on_insert
  before insert on public.users
  for each row
  when ((new.credits <> 0 or new.credits_reserved <> 0 or new.credits_purchased <> 0 or new.credits_spent <> 0
         or new.credits_refunded <> 0 or new.credits_granted <> 0 or new.credits_adjusted <> 0
         or new.credits_reversed <> 0 or new.credits_expired <> 0)
        and pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.guard_users_credits();

/**
  * Section - Idempotency keys
 */

-- billing.idempotency_keys: the stored results of keyed calls. A call repeated with the same key
-- (per user and namespace) returns the stored result and changes nothing; the same key with different
-- arguments (or for another function) is refused with PT409.

create table billing.idempotency_keys (
  user_id uuid not null,
  namespace text not null check (namespace in ('user', 'system')),
  key text not null check (pg_catalog.char_length(key) between 1 and 200),
  fn text not null check (pg_catalog.char_length(fn) between 1 and 100),
  request_hash text not null,
  result jsonb,
  created_at timestamptz not null default pg_catalog.now(),
  primary key (user_id, namespace, key)
);

comment on table billing.idempotency_keys is
  'Results of calls made with an idempotency key, one row per (user, namespace, key). Keys the user chose (namespace user) never collide with keys server code chose (namespace system). A repeat with the same arguments returns result; different arguments raise PT409 idempotency_key_reused. A call that failed left no row, so it may be retried with the same key.';
comment on column billing.idempotency_keys.user_id is 'Whose key it is: the signed-in caller (namespace user: their own calls on any of their workspaces) or the wallet (namespace system: a recruiter''s or a team''s id).';
comment on column billing.idempotency_keys.namespace is 'user: a key the signed-in user chose (deduct_credits, create_interview, cancel_interview); system: a key server code chose (add_credits by the service role).';
comment on column billing.idempotency_keys.key is 'The caller''s idempotency key (1..200 characters).';
comment on column billing.idempotency_keys.fn is 'The function that was called with the key, e.g. deduct_credits.';
comment on column billing.idempotency_keys.request_hash is 'md5 of the call''s arguments (as jsonb text); a repeat must match it.';
comment on column billing.idempotency_keys.result is 'The JSON result returned by the first call (null only while that call is in flight).';
comment on column billing.idempotency_keys.created_at is 'When the first call was made.';

alter table billing.idempotency_keys enable row level security;
revoke all on table billing.idempotency_keys from public, anon, authenticated, service_role;

create or replace function billing.idempotency_begin(
  p_user_id uuid,
  p_key text,
  p_fn text,
  p_request jsonb,
  p_namespace text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_hash text := pg_catalog.md5(p_fn || ':' || p_request::text);
  v_row billing.idempotency_keys;
begin
  if p_key is null then
    return null;
  end if;
  -- A concurrent first call with the same key holds the unique index entry: this insert waits for
  -- it, then either takes over (the other rolled back) or finds its committed result.
  insert into billing.idempotency_keys (user_id, namespace, key, fn, request_hash)
  values (p_user_id, p_namespace, p_key, p_fn, v_hash)
  on conflict (user_id, namespace, key) do nothing;
  if found then
    return null;
  end if;
  select * into strict v_row
    from billing.idempotency_keys
   where user_id = p_user_id and namespace = p_namespace and key = p_key;
  if v_row.request_hash <> v_hash then
    raise exception using
      errcode = 'PT409',
      message = 'idempotency_key_reused',
      detail = pg_catalog.jsonb_build_object('idempotency_key', p_key, 'first_call', v_row.fn)::text,
      hint = 'This idempotency key was already used for a different request; use a new key for a new request.';
  end if;
  return v_row.result || '{"replayed": true}'::jsonb;
end;
$$;
comment on function billing.idempotency_begin(uuid, text, text, jsonb, text) is
  'Starts a keyed call: returns null when the call should run (key new or null), or the first call''s result with replayed = true. Raises PT409 idempotency_key_reused when the key was used with other arguments. Pair with billing.idempotency_finish() in the same transaction.';
revoke execute on function billing.idempotency_begin(uuid, text, text, jsonb, text) from public, anon, authenticated, service_role;

create or replace function billing.idempotency_finish(
  p_user_id uuid,
  p_key text,
  p_result jsonb,
  p_namespace text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_key is not null then
    update billing.idempotency_keys
       set result = p_result
     where user_id = p_user_id and namespace = p_namespace and key = p_key;
  end if;
  return p_result;
end;
$$;
comment on function billing.idempotency_finish(uuid, text, jsonb, text) is
  'Stores the result of a keyed call started with billing.idempotency_begin() and returns it unchanged.';
revoke execute on function billing.idempotency_finish(uuid, text, jsonb, text) from public, anon, authenticated, service_role;

/**
  * Section - Public functions
  * Each of these functions exists in the public name space because they are accessible via the API.
 */

create or replace function public.deduct_credits(
  amount integer,
  reason text default null,
  idempotency_key text default null,
  team_id uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := auth.uid();
  v_team_id uuid := deduct_credits.team_id;
  v_replay jsonb;
  v_change jsonb;
  v_month date;
begin
  -- The hot path. Each check is a plain condition here and the shared helper runs only to raise
  -- its error: every call of a function with its own search_path costs a GUC save and restore,
  -- which was a third of a spend's time in the benchmark. Likewise, unkeyed calls (the common
  -- case) skip the idempotency bookkeeping entirely.
  if v_user_id is null then
    perform billing.require_signed_in();
  end if;
  if amount is null or amount < 1 or amount > billing.max_credits_per_call() then
    perform billing.check_amount('amount', amount);
  end if;
  if pg_catalog.char_length(reason) > billing.max_ledger_text_length() then
    perform billing.check_text('reason', reason, false, billing.max_ledger_text_length());
  end if;

  if idempotency_key is not null then
    perform billing.check_idempotency_key(idempotency_key);
    v_replay := billing.idempotency_begin(v_user_id, idempotency_key, 'deduct_credits',
      pg_catalog.jsonb_build_object('amount', amount, 'reason', reason)
      || case when v_team_id is null then '{}'::jsonb else pg_catalog.jsonb_build_object('team_id', v_team_id) end, 'user');
    if v_replay is not null then
      -- A team call replays only for a member still: a removed member learns nothing more of it.
      if v_team_id is not null then
        perform billing.require_team_role(v_team_id, 'member');
      end if;
      return v_replay;
    end if;
  end if;

  if v_team_id is null then
    v_change := billing.apply_credit_change(v_user_id, -amount, 'spend', 'user:' || v_user_id,
      coalesce(reason, 'Credits spent'), null, null, null, idempotency_key) || '{"replayed": false}'::jsonb;
  else
    -- A team spend: membership and the member's monthly limit first (their membership row's lock),
    -- then the team wallet with the team's limit (the wallet row's lock). The conditional update
    -- is billing.count_member_usage's, inline (a call of a function with its own search_path costs
    -- a GUC save and restore); that function runs only when it fails, to raise not_team_member or
    -- member_limit_reached (it tries the same update once more: a limit raised meanwhile counts once).
    -- billing.current_month()'s expression, inline: that function's own search_path would cost a GUC save and restore.
    v_month := (pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC'))::date;
    update public.team_members m
       set used_this_month = case when m.usage_month = v_month then m.used_this_month else 0 end + amount,
           usage_month = v_month
     where m.team_id = v_team_id and m.user_id = v_user_id
       and (m.monthly_limit is null
            or case when m.usage_month = v_month then m.used_this_month else 0 end + amount <= m.monthly_limit);
    if not found then
      perform billing.count_member_usage(v_team_id, v_user_id, amount);
    end if;
    v_change := billing.apply_credit_change(v_team_id, -amount, 'spend', 'user:' || v_user_id,
      coalesce(reason, 'Credits spent'), null, null, null, idempotency_key, null, null, null, null, v_user_id)
      || '{"replayed": false}'::jsonb;
  end if;
  if idempotency_key is not null then
    perform billing.idempotency_finish(v_user_id, idempotency_key, v_change, 'user');
  end if;
  return v_change;
end;
$$;
comment on function public.deduct_credits(integer, text, text, uuid) is
  'Spends amount (1..10000) credits atomically and records a spend in the ledger: from the signed-in user''s personal wallet, or with team_id from that team''s wallet (the caller must be a member; the spend counts against their and the team''s monthly limits, checked in the same transaction). Returns {balance, reserved, ledger_id, replayed}. Errors: 42501 not_signed_in/not_team_member, 22023 invalid_amount/invalid_reason/invalid_idempotency_key, PT402 insufficient_credits (detail {balance, required}) / member_limit_reached / team_limit_reached (detail {limit, used, required, resets_at}), PT409 idempotency_key_reused. A repeat with the same idempotency_key returns the first result.';
revoke execute on function public.deduct_credits(integer, text, text, uuid) from public, anon, authenticated, service_role;
grant execute on function public.deduct_credits(integer, text, text, uuid) to authenticated;

-- kind 'refund' is reserved for giving back what an interview was charged (it took place but went
-- wrong): the row names the interview, and all refunds of an interview together never exceed what
-- its capture spent, so "spent on interviews, net of refunds" can never go below zero. Goodwill
-- credits are not a refund: support gives them with billing.support_adjust_credits (a ticketed
-- adjustment the recruiter sees as "Added by support"). Called after the idempotency check (a replay
-- must not be refused for the credits it refunded itself); locks the interview row first, the order
-- cancel_interview and complete_interview use, so two refunds of one interview run one after the other.
create or replace function billing.check_interview_refund(p_user_id uuid, p_reference text, p_amount integer)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_interview_id uuid;
  v_charged bigint;
  v_refunded bigint;
begin
  if p_reference is null or p_reference !~ '^interview:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then
    perform billing.raise_invalid_argument('kind',
      'kind refund returns credits an interview was charged: reference must be interview:<id> of a completed interview of this user. '
      || 'Goodwill credits are given with billing.support_adjust_credits(user_id, credits, reason, ticket) (or kind grant)');
  end if;
  select i.id into v_interview_id from public.interviews i
   where i.id = pg_catalog.substr(p_reference, 11)::uuid and i.wallet_id = p_user_id
     for update;
  if v_interview_id is null then
    perform billing.raise_unknown('interview', 'No interview of this user has that id.');
  end if;
  select coalesce(pg_catalog.sum(-(l.delta + l.reserved_delta)) filter (where l.kind = 'spend'), 0),
         coalesce(pg_catalog.sum(l.delta) filter (where l.kind = 'refund'), 0)
    into v_charged, v_refunded
    from public.credit_ledger l
   where l.interview_id = v_interview_id and l.user_id = p_user_id;
  if p_amount > v_charged - v_refunded then
    raise exception using
      errcode = '22023',
      message = 'invalid_amount',
      detail = pg_catalog.jsonb_build_object('argument', 'amount', 'charged', v_charged, 'refunded', v_refunded)::text,
      hint = pg_catalog.format('This interview was charged %s credits and %s were refunded already: at most %s can be refunded.',
                               v_charged, v_refunded, v_charged - v_refunded);
  end if;
  return v_interview_id;
end;
$$;
comment on function billing.check_interview_refund(uuid, text, integer) is
  'For add_credits kind refund: the reference must be interview:<id> of an interview of the user (locked), and the amount at most what it was charged (its spend rows) minus what was refunded for it already. Returns the interview id. 22023 invalid_kind (no interview reference: goodwill credits are billing.support_adjust_credits), unknown_interview, invalid_amount (detail {charged, refunded}).';
revoke execute on function billing.check_interview_refund(uuid, text, integer) from public, anon, authenticated, service_role;

create or replace function public.add_credits(
  user_id uuid,
  amount integer,
  kind text default 'grant',
  reason text default null,
  reference text default null,
  idempotency_key text default null,
  expires_at timestamptz default null,
  promotional boolean default false
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
  v_interview_id uuid;
begin
  if v_user_id is null then
    perform billing.raise_invalid_argument('user_id', 'user_id is required');
  end if;
  perform billing.check_amount('amount', amount);
  if kind is null or kind not in ('purchase', 'grant', 'refund', 'adjustment') then
    perform billing.raise_invalid_argument('kind', 'kind must be one of purchase, grant, refund, adjustment');
  end if;
  perform billing.check_text('reason', reason, false, billing.max_ledger_text_length());
  perform billing.check_text('reference', reference, false, billing.max_ledger_text_length());
  perform billing.check_idempotency_key(idempotency_key);
  -- 'infinity' would mean never, which is null; the billing page shows an expiry as a date.
  perform billing.check_expires_at('expires_at', add_credits.expires_at);
  if promotional is null or (promotional and kind <> 'grant') then
    perform billing.raise_invalid_argument('promotional', 'promotional is true or false, and only a grant can be promotional');
  end if;
  -- A wallet: a recruiter's, or a team's that still exists (a team interview's charge is refunded
  -- to the team that paid it; a deleted team takes nothing, nobody could see or spend it).
  if not exists (select 1 from public.users u where u.id = v_user_id)
     and not exists (select 1 from public.teams t where t.id = v_user_id and t.deleted_at is null) then
    perform billing.raise_unknown('user', 'No recruiter or team with this id.');
  end if;

  v_replay := billing.idempotency_begin(v_user_id, idempotency_key, 'add_credits',
    pg_catalog.jsonb_build_object('amount', amount, 'kind', kind, 'reason', reason, 'reference', reference,
      'expires_at', add_credits.expires_at, 'promotional', promotional), 'system');
  if v_replay is not null then
    return v_replay;
  end if;

  if kind = 'refund' then
    v_interview_id := billing.check_interview_refund(v_user_id, reference, amount);
  end if;

  v_change := billing.apply_credit_change(v_user_id, amount, kind, v_actor,
    coalesce(reason, 'Credits added'), reference, v_interview_id, null, idempotency_key, null,
    add_credits.expires_at, case when promotional then 'promotional' end);
  return billing.idempotency_finish(v_user_id, idempotency_key, v_change || '{"replayed": false}'::jsonb, 'system');
end;
$$;
comment on function public.add_credits(uuid, integer, text, text, text, text, timestamptz, boolean) is
  'Service role only (never the browser): adds amount (1..10000) credits to a wallet (user_id: a recruiter''s id, or a team''s that was not deleted) with kind purchase, grant, refund or adjustment, as a new credit lot. kind refund only gives back what an interview was charged: reference interview:<id> of a charged interview of that wallet (a team interview: the team''s id), at most its charge minus earlier refunds (goodwill credits: billing.support_adjust_credits). The lot expires at expires_at (null: never; else after now, at most 100 years ahead) and, for a grant with promotional = true, is a promotional lot (spent first). Returns {balance, reserved, ledger_id, lot_id, replayed}. Errors: 42501 not_allowed, 22023 invalid_user_id/unknown_user/invalid_amount/invalid_kind/invalid_reason/invalid_reference/invalid_idempotency_key/invalid_expires_at/invalid_promotional/unknown_interview, PT409 idempotency_key_reused.';
revoke execute on function public.add_credits(uuid, integer, text, text, text, text, timestamptz, boolean) from public, anon, authenticated, service_role;
grant execute on function public.add_credits(uuid, integer, text, text, text, text, timestamptz, boolean) to service_role;

/**
  * Section - Billing page
 */

-- Ledger rows of one wallet as the billing page and the history show them, newest first: every
-- row of the wallet (p_member_id null), or only the rows a member made on a team wallet; those with
-- id < p_before_id (null: the newest); at most p_limit. Each side walks its own index in its own
-- key order, so a page reads p_limit entries however long this or any other history:
-- (user_id, id desc) with the wallet written as a range (with `user_id = v order by id desc` the
-- planner may walk the primary key backwards past every newer row of other wallets: 7 ms instead of
-- 0.03 ms for an account with 10,000 rows behind one with 100,000 in the bench), or
-- (member_id, user_id, id desc). The side not asked for is cut off by its constant condition
-- before it reads anything.
create or replace function billing.ledger_page(p_wallet_id uuid, p_member_id uuid, p_before_id bigint, p_limit integer)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'id', r.id, 'delta', r.delta, 'balance_after', r.balance_after, 'reserved_delta', r.reserved_delta,
           'reserved_after', r.reserved_after, 'kind', r.kind,
           'reason', r.reason, 'reference', r.reference, 'interview_id', r.interview_id,
           'payment_id', r.payment_id, 'member_id', r.member_id, 'created_at', r.created_at) order by r.id desc), '[]'::jsonb)
    from ((select l.* from public.credit_ledger l
            where p_member_id is null
              and l.user_id >= p_wallet_id and l.user_id <= p_wallet_id
              and l.id < coalesce(p_before_id, 9223372036854775807)
            order by l.user_id, l.id desc
            limit p_limit)
          union all
          (select l.* from public.credit_ledger l
            where p_member_id is not null
              and l.member_id = p_member_id and l.user_id = p_wallet_id
              and l.id < coalesce(p_before_id, 9223372036854775807)
            order by l.member_id, l.user_id, l.id desc
            limit p_limit)) r;
$$;
comment on function billing.ledger_page(uuid, uuid, bigint, integer) is
  'Up to p_limit ledger rows of wallet p_wallet_id with id < p_before_id (null: the newest), newest first, as JSON objects {id, delta, balance_after, reserved_delta, reserved_after, kind, reason, reference, interview_id, payment_id, member_id, created_at}; with p_member_id only the rows that member made (a team wallet). One index walk of p_limit entries either way. Used by billing_summary (recent) and credit_history.';
revoke execute on function billing.ledger_page(uuid, uuid, bigint, integer) from public, anon, authenticated, service_role;

create or replace function public.billing_summary(team_id uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_team_id uuid := billing_summary.team_id;
  -- The workspace's wallet: the caller's own, or the team's (members only).
  v_role text := case when v_team_id is not null then billing.require_team_role(v_team_id, 'member') end;
  v_wallet_id uuid := coalesce(v_team_id, v_user_id);
  -- Owners and admins see the whole team's history; members the rows they made.
  v_sees_all boolean := v_team_id is null or v_role in ('owner', 'admin');
  v_balance integer;
  v_reserved integer;
  v_totals jsonb;
  v_recent jsonb;
  v_expiring jsonb;
  v_interviews bigint;
  v_removed bigint;
  v_workspace jsonb := '{}'::jsonb;
begin
  -- Balance and running totals from the wallet row, however long the history: the totals explain
  -- the balance, purchased + granted + refunded + adjusted_added - adjusted_removed - spent - reversed
  -- - expired = available + reserved (a check constraint on the wallet row holds it). Every total is >= 0
  -- by construction: each is a sum of one sign (the wallet columns' checks), and support's signed
  -- corrections are shown as what support added and what it took back, the latter summed from its
  -- few negative rows (a partial index). refunded <= spent too: a refund names an interview and
  -- never exceeds its charge (billing.check_interview_refund).
  select coalesce(-pg_catalog.sum(l.delta), 0) into v_removed
    from public.credit_ledger l
   where l.user_id = v_wallet_id and l.kind = 'adjustment' and l.delta < 0;
  select w.credits, w.credits_reserved,
         pg_catalog.jsonb_build_object(
           'total_purchased', coalesce(w.credits_purchased, 0),
           'total_spent', coalesce(w.credits_spent, 0),
           'total_refunded', coalesce(w.credits_refunded, 0),
           'total_granted', coalesce(w.credits_granted, 0),
           'total_adjusted_added', coalesce(w.credits_adjusted, 0) + v_removed,
           'total_adjusted_removed', v_removed,
           'total_reversed', coalesce(w.credits_reversed, 0),
           'total_expired', coalesce(w.credits_expired, 0))
    into v_balance, v_reserved, v_totals
    from (select 1) one
    left join billing.wallets w on w.id = v_wallet_id;

  -- The 20 newest rows: the whole wallet's, or on a team a member's own (billing.ledger_page).
  v_recent := billing.ledger_page(v_wallet_id, case when v_sees_all then null else v_user_id end, null, 20);

  -- What expires next: the live lots by expiry (a handful per account; the partial index holds
  -- only lots with credits left). Held credits do not expire while held, so remaining is what goes.
  -- A lot already past its expiry (written off by the next run of the job) is no longer "next".
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('expires_at', x.expires_at, 'credits', x.remaining)
           order by x.expires_at, x.id), '[]'::jsonb)
    into v_expiring
    from (select l.id, l.expires_at, l.remaining from public.credit_lots l
           where l.user_id = v_wallet_id and l.remaining > 0 and l.expires_at > pg_catalog.now()
           order by l.expires_at, l.id
           limit 3) x;

  if v_team_id is null then
    select pg_catalog.count(*) into v_interviews from public.interviews i where i.user_id = v_user_id and i.team_id is null;
  elsif v_sees_all then
    select pg_catalog.count(*) into v_interviews from public.interviews i where i.team_id = v_team_id;
  else
    select pg_catalog.count(*) into v_interviews from public.interviews i where i.team_id = v_team_id and i.user_id = v_user_id;
  end if;

  if v_team_id is not null then
    select pg_catalog.jsonb_build_object('team_id', v_team_id, 'role', v_role, 'limits', billing.limits_left(v_team_id, v_user_id))
      into v_workspace;
  end if;

  return pg_catalog.jsonb_build_object('balance', coalesce(v_balance, 0), 'available', coalesce(v_balance, 0),
    'reserved', coalesce(v_reserved, 0), 'expiring', v_expiring, 'interviews_created', v_interviews,
    'recent', v_recent) || v_totals || v_workspace;
end;
$$;
comment on function public.billing_summary(uuid) is
  'The billing page of a workspace in one call — the signed-in user''s personal one (team_id null) or a team they belong to — costing the same however long the history (balance and running totals from the wallet row, recent by the (user_id, id) index): {balance (= available), available, reserved, expiring, total_purchased, total_spent, total_refunded, total_granted, total_adjusted_added, total_adjusted_removed, total_reversed, total_expired, interviews_created, recent} with purchased + granted + refunded + adjusted_added - adjusted_removed - spent - reversed - expired = available + reserved; every total >= 0 and total_refunded <= total_spent; expiring is up to 3 {expires_at, credits} of the soonest-expiring lots with credits left; recent is the 20 newest ledger rows (newest first) with id, delta, balance_after, reserved_delta, reserved_after, kind, reason, reference, interview_id, payment_id, member_id, created_at. For a team: also team_id, role and limits (billing.limits_left); a member''s recent and interviews_created count only their own. Errors: 42501 not_signed_in, not_team_member.';
revoke execute on function public.billing_summary(uuid) from public, anon, authenticated, service_role;
grant execute on function public.billing_summary(uuid) to authenticated;

/**
  * Section - History pages
 */

create or replace function billing.max_history_page_size()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 200;
$$;
comment on function billing.max_history_page_size() is
  'Most ledger rows one credit_history page may hold (page_size). Used by the argument check.';
revoke execute on function billing.max_history_page_size() from public, anon, authenticated, service_role;

create or replace function public.credit_history(
  before_id bigint default null,
  page_size integer default 50,
  team_id uuid default null
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_team_id uuid := credit_history.team_id;
  v_role text := case when v_team_id is not null then billing.require_team_role(v_team_id, 'member') end;
  v_wallet_id uuid := coalesce(v_team_id, v_user_id);
  v_entries jsonb;
begin
  if page_size is null or page_size < 1 or page_size > billing.max_history_page_size() then
    perform billing.raise_invalid_argument('page_size',
      'page_size must be a whole number from 1 to ' || billing.max_history_page_size());
  end if;
  if before_id is not null and before_id < 1 then
    perform billing.raise_invalid_argument('before_id',
      'before_id must be null (newest page) or the next_before_id of the previous page');
  end if;

  -- One more row than the page: it only tells whether an older page exists (billing.ledger_page
  -- reads page_size + 1 index entries from the cursor down, wherever it starts). Owners and admins
  -- page through the whole team wallet, a member through their own rows.
  v_entries := billing.ledger_page(v_wallet_id,
    case when v_role is null or v_role in ('owner', 'admin') then null else v_user_id end, before_id, page_size + 1);

  if pg_catalog.jsonb_array_length(v_entries) > page_size then
    return pg_catalog.jsonb_build_object('entries', v_entries - page_size,
      'next_before_id', v_entries -> (page_size - 1) -> 'id');
  end if;
  return pg_catalog.jsonb_build_object('entries', v_entries, 'next_before_id', null);
end;
$$;
comment on function public.credit_history(bigint, integer, uuid) is
  'One page of a workspace''s credit history (team_id null: the signed-in user''s personal wallet; else a team they belong to, whose members who are not owners or admins see only their own rows), newest first: {entries, next_before_id}. entries are up to page_size (1..200, default 50) ledger rows with id < before_id (null: the newest), each with id, delta, balance_after, reserved_delta, reserved_after, kind, reason, reference, interview_id, payment_id, member_id, created_at; next_before_id is the id of the last entry when older rows exist, else null (pass it as before_id for the next page). Keyset on the (user_id, id) index: a page costs the same however long this history or any other user''s. Errors: 42501 not_signed_in/not_team_member, 22023 invalid_page_size/invalid_before_id.';
revoke execute on function public.credit_history(bigint, integer, uuid) from public, anon, authenticated, service_role;
grant execute on function public.credit_history(bigint, integer, uuid) to authenticated;
