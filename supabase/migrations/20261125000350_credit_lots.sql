-- Credit lots: every credit that comes in is a lot (a purchase, a grant, a promotional grant, an
-- interview's charge refunded, a support adjustment) with its own expiry and priority; every credit that goes
-- out says which lots it came from — the ledger row names its lot (credit_ledger.lot_id) when one
-- lot covers it, the common case, and credit_lot_entries lists them when several do (both read as
-- one in billing.credit_lot_moves) — so a credit can be followed from the payment that bought it
-- to the interview that used it, and back.
--
-- billing.apply_credit_change is the one writer of balances: one statement updates the wallet row
-- (public.users or public.teams: available credits, reserved credits, running totals); the next
-- moves the lot and appends the ledger row naming it (or, when several lots move, the ledger row
-- then one entry per lot). Holds (create_interview) move credits
-- from a lot's remaining to its held part; a capture (complete_interview) spends them; a release
-- (cancel_interview, a lapsed hold) puts them back into the lots they came from.
--
-- Concurrency: every change of a user's lots happens after the wallet row is locked (the wallet
-- UPDATE comes first), and every statement in PL/pgSQL takes a new snapshot, so the lot statements
-- see every change committed by the previous holder of the lock. Each lot update is also
-- conditional (never below zero), and a count mismatch raises instead of writing a wrong ledger row.

/**
  * Section - Lots and their entries
 */

create table public.credit_lots (
  id bigint generated always as identity primary key,
  user_id uuid not null,
  source text not null check (source in ('purchase', 'grant', 'promotional', 'refund', 'adjustment')),
  amount integer not null check (amount > 0),
  remaining integer not null check (remaining >= 0),
  held integer not null default 0 check (held >= 0),
  spent integer not null default 0 check (spent >= 0),
  expired integer not null default 0 check (expired >= 0),
  voided integer not null default 0 check (voided >= 0),
  expires_at timestamptz,
  priority smallint not null check (priority between 0 and 9),
  payment_id uuid,
  ledger_id bigint not null unique references public.credit_ledger (id),
  reason text check (reason is null or pg_catalog.char_length(reason) <= 500),
  created_at timestamptz not null default pg_catalog.now(),
  -- Every credit of a lot is in exactly one place, on every row at every commit.
  constraint credit_lots_parts_add_up check (remaining + held + spent + expired + voided = amount),
  -- Never is null: 'infinity' / '-infinity' are no date a page can show (the bounds against now()
  -- are checked where an expiry is set: billing.check_expires_at and the trigger below).
  constraint credit_lots_expires_at_is_a_date check (expires_at is null or pg_catalog.isfinite(expires_at))
);

comment on table public.credit_lots is
  'Credit lots: each incoming credit (purchase, grant, promotional grant, refund of an interview''s charge, positive support adjustment: goodwill credits) is a lot with its own expiry and priority. Spends take from lots in the order priority, soonest expiry, oldest (credit_lot_entries records how much from each). remaining + held + spent + expired + voided = amount. Written only by the credit functions.';
comment on column public.credit_lots.id is 'Lot id.';
comment on column public.credit_lots.user_id is 'Whose credits these are: the wallet id (a recruiter''s public.users.id or a team''s public.teams.id), as in credit_ledger.user_id.';
comment on column public.credit_lots.source is 'Where the credits came from: purchase (a payment), grant (support or system), promotional (sign-up or marketing grant: spent first), refund (what a completed interview was charged, given back), adjustment (a positive support correction or goodwill credits, billing.support_adjust_credits).';
comment on column public.credit_lots.amount is 'Credits the lot started with.';
comment on column public.credit_lots.remaining is 'Credits of this lot still available to spend. Sum over a user = public.users.credits.';
comment on column public.credit_lots.held is 'Credits of this lot reserved by scheduled interviews (holds). Sum over a user = public.users.credits_reserved.';
comment on column public.credit_lots.spent is 'Credits of this lot spent (deduct_credits, completed interviews, negative support adjustments).';
comment on column public.credit_lots.expired is 'Credits of this lot that expired unused (expiration ledger rows).';
comment on column public.credit_lots.voided is 'Credits of this lot taken back because its payment was refunded (reversal ledger rows).';
comment on column public.credit_lots.expires_at is 'When the unused credits of this lot expire; null = never. Held credits do not expire while held; credits returned to an expired lot expire at once. Support may move it: to a date after now and at most 100 years ahead, or null (never); infinity, -infinity and dates not after now are refused (22023 invalid_expires_at).';
comment on column public.credit_lots.priority is 'Spend order, lowest first: 0 promotional, 1 grant / refund / adjustment, 2 purchase (free credits are used before paid ones); then soonest expiry, then oldest.';
comment on column public.credit_lots.payment_id is 'The payment that bought this lot (source purchase); a refund of it voids the lot''s credits.';
comment on column public.credit_lots.ledger_id is 'The ledger row that created the lot.';
comment on column public.credit_lots.reason is 'The reason of the ledger row that created it, e.g. "10-credit pack", "Welcome credits".';
comment on column public.credit_lots.created_at is 'When the credits came in.';

-- The spend path: a user's lots with credits left, in spend order. Partial, so lots used up or
-- expired (the vast majority over time) cost the spend nothing.
-- Every lot of a user (support, the billing page's lot list, the user foreign key).
create index credit_lots_user_id_idx on public.credit_lots (user_id, id);
create index credit_lots_spend_order_idx on public.credit_lots (user_id, priority, expires_at, id) where remaining > 0;
-- The expiry run: lots with credits left by expiry.
create index credit_lots_expiry_idx on public.credit_lots (expires_at) where remaining > 0 and expires_at is not null;
create unique index credit_lots_payment_id_key on public.credit_lots (payment_id) where payment_id is not null;

create table public.credit_lot_entries (
  ledger_id bigint not null references public.credit_ledger (id),
  lot_id bigint not null references public.credit_lots (id),
  -- The lot's owner, copied so row level security reads one row; not a foreign key of its own
  -- (the lot's is enough, and one index fewer on every spend). billing.credit_invariant_violations
  -- checks it matches the lot and the ledger row.
  user_id uuid not null,
  remaining_delta integer not null,
  held_delta integer not null,
  primary key (ledger_id, lot_id),
  constraint credit_lot_entries_moves_credits check (remaining_delta <> 0 or held_delta <> 0)
);

comment on table public.credit_lot_entries is
  'How much each lot moved for a ledger row that moved several lots (a spend spanning lots) or created one (credits coming in); a row that moved one lot names it in credit_ledger.lot_id instead and has no entries. For every ledger row without lot_id, sum(remaining_delta) = delta and sum(held_delta) = reserved_delta. Read both forms through billing.credit_lot_moves; join through credit_ledger.interview_id / payment_id to follow a credit from the payment that bought it to the interview that used it, and back. Append-only.';
comment on column public.credit_lot_entries.ledger_id is 'The ledger row (public.credit_ledger.id).';
comment on column public.credit_lot_entries.lot_id is 'The lot it moved (public.credit_lots.id).';
comment on column public.credit_lot_entries.user_id is 'Whose lot (for row level security).';
comment on column public.credit_lot_entries.remaining_delta is 'Change of the lot''s remaining (available) credits.';
comment on column public.credit_lot_entries.held_delta is 'Change of the lot''s held (reserved) credits.';

create index credit_lot_entries_lot_id_idx on public.credit_lot_entries (lot_id);

-- Which lots each ledger row moved, both forms as one (support, the invariant check, and every
-- credit function that follows credits back to their lots read this, never the two tables apart).
-- Filter by ledger_id, user_id or interview_id (the ledger's indexes); a filter on lot_id alone
-- reads the whole ledger: add the lot's user_id.
create view billing.credit_lot_moves as
  select g.id as ledger_id, g.user_id, g.kind, g.interview_id, g.payment_id, g.member_id, g.created_at,
         coalesce(g.lot_id, e.lot_id) as lot_id,
         case when g.lot_id is null then e.remaining_delta else g.delta end as remaining_delta,
         case when g.lot_id is null then e.held_delta else g.reserved_delta end as held_delta,
         g.lot_id is not null as named_on_row
    from public.credit_ledger g
    left join public.credit_lot_entries e on g.lot_id is null and e.ledger_id = g.id
   where g.lot_id is not null or e.ledger_id is not null;
comment on view billing.credit_lot_moves is
  'Which lots each ledger row moved, and by how much: one row per (ledger row, lot). Reads both forms: a ledger row naming its one lot (credit_ledger.lot_id; remaining_delta = delta, held_delta = reserved_delta) and the credit_lot_entries of a row that moved several lots or created one. Per ledger row, sum(remaining_delta) = delta and sum(held_delta) = reserved_delta; per lot, the sums are its remaining and held. Filter by ledger_id, user_id or interview_id (indexed); by lot_id add the lot''s user_id. Support: select * from billing.credit_lot_moves where user_id = ''<wallet id>'' and lot_id = 42;';
comment on column billing.credit_lot_moves.ledger_id is 'The ledger row (public.credit_ledger.id).';
comment on column billing.credit_lot_moves.user_id is 'The wallet (the ledger row''s user_id).';
comment on column billing.credit_lot_moves.kind is 'The ledger row''s kind.';
comment on column billing.credit_lot_moves.interview_id is 'The ledger row''s interview, if any.';
comment on column billing.credit_lot_moves.payment_id is 'The ledger row''s payment, if any.';
comment on column billing.credit_lot_moves.member_id is 'The team member who made the change, if any.';
comment on column billing.credit_lot_moves.created_at is 'When the change was made.';
comment on column billing.credit_lot_moves.lot_id is 'The lot moved (public.credit_lots.id).';
comment on column billing.credit_lot_moves.remaining_delta is 'Change of the lot''s remaining (available) credits.';
comment on column billing.credit_lot_moves.held_delta is 'Change of the lot''s held (reserved) credits.';
comment on column billing.credit_lot_moves.named_on_row is 'True when the ledger row names the lot (credit_ledger.lot_id), false when it is a credit_lot_entries row.';
revoke all on billing.credit_lot_moves from public, anon, authenticated, service_role;

alter table public.credit_lots enable row level security;
alter table public.credit_lot_entries enable row level security;

create policy "Users can read their own credit lots"
  on public.credit_lots for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Users can read their own credit lot entries"
  on public.credit_lot_entries for select
  to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.credit_lots, public.credit_lot_entries from public, anon, authenticated, service_role;
grant select on table public.credit_lots, public.credit_lot_entries to authenticated, service_role;
revoke update, delete, truncate on table public.credit_lot_entries from postgres;
revoke all on sequence public.credit_lots_id_seq from public, anon, authenticated, service_role;

-- A lot's credits change only with a ledger row (billing.apply_credit_change sets the transaction's
-- billing.applying_ledger flag while it writes). Support may move a lot's expiry or priority in the
-- dashboard (e.g. extend a lot as a goodwill gesture); any other change, and any insert or delete, is refused.
create or replace function billing.guard_credit_lots()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = '42501',
    message = 'credit_lots_changed_outside_ledger',
    detail = pg_catalog.format('%s of credit lot %s refused: a lot''s credits change only with a ledger row', tg_op,
                               case when tg_op = 'INSERT' then new.id else old.id end),
    hint = 'Only expires_at and priority of a lot may be edited by hand; change credits with billing.support_adjust_credits().';
end;
$$;
comment on function billing.guard_credit_lots() is
  'Trigger: refuses inserts, deletes and changes of a credit lot''s credits, owner, source, payment or ledger row not made by billing.apply_credit_change (expires_at and priority may be edited by support).';
revoke execute on function billing.guard_credit_lots() from public, anon, authenticated, service_role;

create trigger credit_lots_guard_update
  before update on public.credit_lots
  for each row
  when ((new.id, new.user_id, new.source, new.amount, new.remaining, new.held, new.spent, new.expired, new.voided,
         new.payment_id, new.ledger_id, new.created_at)
        is distinct from
        (old.id, old.user_id, old.source, old.amount, old.remaining, old.held, old.spent, old.expired, old.voided,
         old.payment_id, old.ledger_id, old.created_at)
        and pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.guard_credit_lots();

-- An expiry support edits by hand obeys the rule every caller's expiry obeys (billing.check_expires_at):
-- a date after now, at most 100 years ahead, or null. 'infinity' (never is null) broke the recruiter's
-- billing page; a date already passed would write the credits off at the next expiry run without a
-- word to anyone: to take credits back, support writes an adjustment the recruiter sees
-- (billing.support_adjust_credits with a negative delta). Shortening an expiry to a later date is fine.
create or replace function billing.check_credit_lot_expiry()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform billing.check_expires_at('expires_at', new.expires_at);
  return new;
end;
$$;
comment on function billing.check_credit_lot_expiry() is
  'Trigger: a credit lot''s new expires_at must be null (never) or a finite date after now() and at most 100 years ahead (billing.check_expires_at); otherwise 22023 invalid_expires_at.';
revoke execute on function billing.check_credit_lot_expiry() from public, anon, authenticated, service_role;

-- Like the other guards it lets the credit functions' own writes through (billing.applying_ledger);
-- the tests use that to let time pass for a lot (tests.pass_lot_expiry).
-- Named to fire before credit_lots_guard_update (triggers fire in name order), so an edit that
-- also touches credits is refused for its expiry first; either way nothing changes.
create trigger credit_lots_check_expires_at
  before update of expires_at on public.credit_lots
  for each row
  when (new.expires_at is distinct from old.expires_at
        and pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.check_credit_lot_expiry();

create trigger credit_lots_guard_insert_delete
  before insert or delete on public.credit_lots
  for each row
  when (pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.guard_credit_lots();

create trigger credit_lot_entries_refuse_update_delete
  before update or delete on public.credit_lot_entries
  for each row execute function billing.refuse_ledger_change();

create trigger credit_lot_entries_refuse_truncate
  before truncate on public.credit_lot_entries
  for each statement execute function billing.refuse_ledger_change();

create or replace function billing.lot_priority(p_source text)
returns smallint
language sql
immutable
parallel safe
set search_path = ''
as $$
  select (case p_source when 'promotional' then 0 when 'purchase' then 2 else 1 end)::smallint;
$$;
comment on function billing.lot_priority(text) is
  'Spend priority of a new lot by source: promotional 0 (spent first), grant / refund / adjustment 1, purchase 2 (paid credits last).';
revoke execute on function billing.lot_priority(text) from public, anon, authenticated, service_role;

/**
  * Section - The credit core
  * The only writer of balances; every feature changes credits through it.
 */

create or replace function billing.apply_credit_change(
  p_user_id uuid,
  p_delta integer,
  p_kind text,
  p_actor text,
  p_reason text default null,
  p_reference text default null,
  p_interview_id uuid default null,
  p_payment_id uuid default null,
  p_idempotency_key text default null,
  p_at timestamptz default null,
  p_expires_at timestamptz default null,
  p_lot_source text default null,
  p_lot_id bigint default null,
  p_member_id uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- p_kind 'capture' is written as a spend of reserved credits: available unchanged.
  v_kind text := case when p_kind = 'capture' then 'spend' else p_kind end;
  v_delta integer := case when p_kind = 'capture' then 0 else p_delta end;
  v_reserved_delta integer := case when p_kind in ('hold', 'release') then -p_delta when p_kind = 'capture' then p_delta else 0 end;
  v_balance integer;
  v_reserved integer;
  v_ledger_id bigint;
  v_lot_id bigint;
  v_moved integer;
  -- What a member's hold or spend counts against the team's monthly limit.
  v_usage integer := case when p_member_id is not null and p_kind in ('spend', 'hold') then -p_delta else 0 end;
  v_month date;
  v_team_reserved integer;
  v_team_limit integer;
  v_team_used bigint;
begin
  if p_delta is null or p_delta = 0 then
    perform billing.raise_invalid_argument('amount', 'a balance change must not be zero');
  end if;
  -- The row lock taken by this conditional update serialises concurrent changes of one balance;
  -- a waiting spender re-checks the condition against the committed balance, so it never goes
  -- below zero. The flag lets the guard triggers on the wallet and credit_lots know the ledger is
  -- being written; it stays on until the lots have moved.
  -- set_config is called in an IF (a simple expression, as cheap as the assignment it replaces;
  -- PERFORM would plan a whole SELECT) so no write-only variable is needed.
  -- The wallet statement comes first and alone; the lot statement after it also writes the ledger
  -- row, which names the lot when one lot covers the change (the common spend and hold: no entry
  -- row). Two statements per change, as before: each PL/pgSQL statement takes a new snapshot, so
  -- the lot statement sees what the previous holder of the wallet lock committed.
  if pg_catalog.set_config('billing.applying_ledger', 'on', true) is null then null; end if;
  -- A member acts on a team wallet: no recruiter has that id, so skip straight to the team's row.
  -- The running totals move in the same UPDATE of the same row: no extra row, no extra statement.
  -- updated_at is set here, so the touch trigger (WHEN it is left unchanged) does not run.
  if p_member_id is null then
    update public.users
       set credits = credits + v_delta,
           credits_reserved = credits_reserved + v_reserved_delta,
           credits_purchased = credits_purchased + case when v_kind = 'purchase' then v_delta else 0 end,
           credits_spent = credits_spent - case when v_kind = 'spend' then v_delta + v_reserved_delta else 0 end,
           credits_refunded = credits_refunded + case when v_kind = 'refund' then v_delta else 0 end,
           credits_granted = credits_granted + case when v_kind = 'grant' then v_delta else 0 end,
           credits_adjusted = credits_adjusted + case when v_kind = 'adjustment' then v_delta else 0 end,
           credits_reversed = credits_reversed - case when v_kind = 'reversal' then v_delta else 0 end,
           credits_expired = credits_expired - case when v_kind = 'expiration' then v_delta else 0 end,
           updated_at = pg_catalog.now()
     where id = p_user_id
       and credits + v_delta >= 0
       and credits_reserved + v_reserved_delta >= 0
    returning credits, credits_reserved into v_balance, v_reserved;
  end if;

  if v_balance is null then
    -- Not a recruiter's wallet with enough credits: a team's wallet, the same statement on its row.
    -- Its monthly limit is checked in the same update, against the committed count.
    -- (billing.current_month()'s expression, inline: a call of it costs a GUC save and restore.)
    v_month := (pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC'))::date;
    update public.teams
       set credits = credits + v_delta,
           credits_reserved = credits_reserved + v_reserved_delta,
           credits_purchased = credits_purchased + case when v_kind = 'purchase' then v_delta else 0 end,
           credits_spent = credits_spent - case when v_kind = 'spend' then v_delta + v_reserved_delta else 0 end,
           credits_refunded = credits_refunded + case when v_kind = 'refund' then v_delta else 0 end,
           credits_granted = credits_granted + case when v_kind = 'grant' then v_delta else 0 end,
           credits_adjusted = credits_adjusted + case when v_kind = 'adjustment' then v_delta else 0 end,
           credits_reversed = credits_reversed - case when v_kind = 'reversal' then v_delta else 0 end,
           credits_expired = credits_expired - case when v_kind = 'expiration' then v_delta else 0 end,
           used_this_month = case when v_usage = 0 then used_this_month
                                  else case when usage_month = v_month then used_this_month else 0 end + v_usage end,
           usage_month = case when v_usage = 0 then usage_month else v_month end,
           updated_at = pg_catalog.now()
     where id = p_user_id
       and credits + v_delta >= 0
       and credits_reserved + v_reserved_delta >= 0
       and (v_usage = 0 or monthly_limit is null
            or case when usage_month = v_month then used_this_month else 0 end + v_usage <= monthly_limit)
    returning credits, credits_reserved into v_balance, v_reserved;
  end if;

  if v_balance is null then
    select u.credits into v_balance from public.users u where u.id = p_user_id;
    if not found then
      select t.credits, t.credits_reserved, t.monthly_limit,
             case when t.usage_month = v_month then t.used_this_month else 0 end
        into v_balance, v_team_reserved, v_team_limit, v_team_used
        from public.teams t where t.id = p_user_id;
      if not found then
        perform billing.raise_unknown('user', 'No recruiter or team with this id.');
      end if;
      if v_balance + v_delta >= 0 and v_team_reserved + v_reserved_delta >= 0 then
        raise exception using
          errcode = 'PT402',
          message = 'team_limit_reached',
          detail = pg_catalog.jsonb_build_object('limit', v_team_limit, 'used', v_team_used,
            'required', v_usage, 'resets_at', (v_month + interval '1 month') at time zone 'UTC')::text,
          hint = 'The team has used its monthly credit limit: ask a team owner to raise it.';
      end if;
    end if;
    raise exception using
      errcode = 'PT402',
      message = 'insufficient_credits',
      detail = pg_catalog.jsonb_build_object('balance', v_balance, 'required', -p_delta)::text,
      hint = 'Not enough credits: buy a credit pack on the billing page, then try again.';
  end if;

  if v_delta > 0 and v_kind <> 'release' then
    -- Credits coming in: the ledger row and the new lot it creates (one statement: the lot's
    -- foreign key to its ledger row is checked at the end of it), then the lot's opening entry.
    with g as (
      insert into public.credit_ledger
        (user_id, delta, balance_after, reserved_delta, reserved_after, kind, reason, reference, interview_id,
         payment_id, member_id, actor, idempotency_key, created_at)
      values (p_user_id, v_delta, v_balance, v_reserved_delta, v_reserved, v_kind, p_reason, p_reference, p_interview_id,
              p_payment_id, p_member_id, p_actor, p_idempotency_key, coalesce(p_at, pg_catalog.now()))
      returning id
    )
    insert into public.credit_lots (user_id, source, amount, remaining, expires_at, priority, payment_id, ledger_id, reason, created_at)
    select p_user_id, coalesce(p_lot_source, v_kind), p_delta, p_delta, p_expires_at,
           billing.lot_priority(coalesce(p_lot_source, v_kind)), p_payment_id, g.id, p_reason, coalesce(p_at, pg_catalog.now())
      from g
    returning id, ledger_id into v_lot_id, v_ledger_id;
    insert into public.credit_lot_entries (ledger_id, lot_id, user_id, remaining_delta, held_delta)
    values (v_ledger_id, v_lot_id, p_user_id, p_delta, 0);
    if pg_catalog.set_config('billing.applying_ledger', 'off', true) is null then null; end if;
    return pg_catalog.jsonb_build_object('balance', v_balance, 'reserved', v_reserved, 'ledger_id', v_ledger_id, 'lot_id', v_lot_id);
  end if;

  if p_lot_id is not null then
    -- One named lot gives up credits it still has: an expiration, or a reversal of its payment.
    -- The ledger row names it.
    with moved as (
      update public.credit_lots l
         set remaining = l.remaining + v_delta,
             expired = l.expired - case when v_kind = 'expiration' then v_delta else 0 end,
             voided = l.voided - case when v_kind = 'reversal' then v_delta else 0 end
       where l.id = p_lot_id and l.user_id = p_user_id and l.remaining + v_delta >= 0
      returning l.id
    )
    insert into public.credit_ledger
      (user_id, delta, balance_after, reserved_delta, reserved_after, kind, reason, reference, interview_id,
       payment_id, member_id, actor, idempotency_key, created_at, lot_id)
    select p_user_id, v_delta, v_balance, v_reserved_delta, v_reserved, v_kind, p_reason, p_reference, p_interview_id,
           p_payment_id, p_member_id, p_actor, p_idempotency_key, coalesce(p_at, pg_catalog.now()), moved.id
      from moved
    returning id into v_ledger_id;
    if v_ledger_id is null then
      perform billing.raise_lots_out_of_step(p_user_id, v_kind, p_lot_id);
    end if;
  elsif v_reserved_delta < 0 then
    -- A release or a capture: the credits the interview's holds took, lot by lot (both forms, see
    -- billing.credit_lot_moves), go back to the lots' remaining (release) or become spent
    -- (capture). One lot (the common case): the ledger row names it; several: one entry each.
    with held as (
      select m.lot_id, pg_catalog.sum(m.held_delta)::integer as n
        from billing.credit_lot_moves m
       where m.interview_id = p_interview_id and m.user_id = p_user_id
       group by m.lot_id
      having pg_catalog.sum(m.held_delta) > 0
    ), moved as (
      update public.credit_lots l
         set held = l.held - held.n,
             remaining = l.remaining + case when v_kind = 'release' then held.n else 0 end,
             spent = l.spent + case when v_kind = 'spend' then held.n else 0 end
        from held
       where l.id = held.lot_id and l.held >= held.n
      returning l.id, held.n
    ), one as (
      select case when pg_catalog.count(*) = 1 then pg_catalog.min(moved.id) end as lot_id,
             coalesce(pg_catalog.sum(moved.n), 0)::integer as n
        from moved
    ), g as (
      insert into public.credit_ledger
        (user_id, delta, balance_after, reserved_delta, reserved_after, kind, reason, reference, interview_id,
         payment_id, member_id, actor, idempotency_key, created_at, lot_id)
      select p_user_id, v_delta, v_balance, v_reserved_delta, v_reserved, v_kind, p_reason, p_reference, p_interview_id,
             p_payment_id, p_member_id, p_actor, p_idempotency_key, coalesce(p_at, pg_catalog.now()), one.lot_id
        from one
      returning id
    ), entries as (
      insert into public.credit_lot_entries (ledger_id, lot_id, user_id, remaining_delta, held_delta)
      select g.id, moved.id, p_user_id, case when v_kind = 'release' then moved.n else 0 end, -moved.n
        from g, moved, one
       where one.lot_id is null
    )
    select g.id, one.n into v_ledger_id, v_moved from g, one;
    if v_moved <> -v_reserved_delta then
      perform billing.raise_lots_out_of_step(p_user_id, v_kind, null);
    end if;
  else
    -- A spend, a hold or a negative adjustment. The common case first: the first lot in spend
    -- order covers the whole amount, so one indexed lookup (LIMIT 1 on the spend-order index),
    -- one conditional update, and the ledger row names the lot, without ranking every live lot.
    -- The wallet row is locked, so this statement's snapshot sees the lots as the previous holder
    -- left them.
    with moved as (
      update public.credit_lots l
         set remaining = l.remaining + v_delta,
             held = l.held - case when v_kind = 'hold' then v_delta else 0 end,
             spent = l.spent - case when v_kind = 'hold' then 0 else v_delta end
       where l.id = (select f.id from public.credit_lots f
                      where f.user_id = p_user_id and f.remaining > 0
                        and (f.expires_at is null or f.expires_at > pg_catalog.now())
                      order by f.priority, f.expires_at nulls last, f.id
                      limit 1)
         and l.remaining + v_delta >= 0
      returning l.id
    )
    insert into public.credit_ledger
      (user_id, delta, balance_after, reserved_delta, reserved_after, kind, reason, reference, interview_id,
       payment_id, member_id, actor, idempotency_key, created_at, lot_id)
    values (p_user_id, v_delta, v_balance, v_reserved_delta, v_reserved, v_kind, p_reason, p_reference, p_interview_id,
            p_payment_id, p_member_id, p_actor, p_idempotency_key, coalesce(p_at, pg_catalog.now()), (select moved.id from moved))
    returning id, lot_id into v_ledger_id, v_lot_id;
    if v_lot_id is null then
      -- The amount spans several lots: the ledger row names none; take from each in the stated
      -- order (priority, soonest expiry, oldest), each lot as much as it has until the amount is
      -- covered, one entry per lot.
      with live as (
        select l.id, l.remaining,
               coalesce(pg_catalog.sum(l.remaining) over (order by l.priority, l.expires_at nulls last, l.id
                                                          rows between unbounded preceding and 1 preceding), 0) as before
          from public.credit_lots l
         where l.user_id = p_user_id and l.remaining > 0
           and (l.expires_at is null or l.expires_at > pg_catalog.now())
      ), take as (
        select live.id, least(live.remaining, -v_delta - live.before)::integer as n from live where live.before < -v_delta
      ), moved as (
        update public.credit_lots l
           set remaining = l.remaining - take.n,
               held = l.held + case when v_kind = 'hold' then take.n else 0 end,
               spent = l.spent + case when v_kind = 'hold' then 0 else take.n end
          from take
         where l.id = take.id and l.remaining >= take.n
        returning l.id, take.n
      ), entries as (
        insert into public.credit_lot_entries (ledger_id, lot_id, user_id, remaining_delta, held_delta)
        select v_ledger_id, moved.id, p_user_id, -moved.n, case when v_kind = 'hold' then moved.n else 0 end from moved
        returning remaining_delta
      )
      select coalesce(-pg_catalog.sum(entries.remaining_delta), 0) into v_moved from entries;
      if v_moved <> -v_delta then
        -- The balance counts credits whose lot passed its expiry a moment ago and that the expiry
        -- run has not written off yet: they can no longer be spent.
        raise exception using
          errcode = 'PT402',
          message = 'insufficient_credits',
          detail = pg_catalog.jsonb_build_object('balance', v_moved, 'required', -v_delta)::text,
          hint = 'Some of your credits have just expired: buy a credit pack on the billing page, then try again.';
      end if;
    end if;
  end if;

  if pg_catalog.set_config('billing.applying_ledger', 'off', true) is null then null; end if;
  return pg_catalog.jsonb_build_object('balance', v_balance, 'reserved', v_reserved, 'ledger_id', v_ledger_id);
end;
$$;
comment on function billing.apply_credit_change(uuid, integer, text, text, text, text, uuid, uuid, text, timestamptz, timestamptz, text, bigint, uuid) is
  'The only writer of balances: changes a wallet''s credits (available) / credits_reserved and their running totals (never below zero) — the wallet is p_user_id: a recruiter''s public.users row or a team''s public.teams row — appends the matching credit_ledger row and moves the credit lots, atomically (the ledger row names its lot in lot_id when one lot moves; when several move, or a lot is created, credit_lot_entries lists them: read both through billing.credit_lot_moves). Incoming credits (purchase, grant, refund, positive adjustment) make a new lot (p_lot_source, default the kind; p_expires_at; p_payment_id). spend, hold and negative adjustments take from the lots in spend order (priority, soonest expiry, oldest) — a hold into their held part. release (+n) and capture (-n, written as kind spend with delta 0) move the held credits of p_interview_id back to the lots or into spent. expiration and reversal take from the named lot p_lot_id. p_at dates the rows (null: now(); only the seed passes it). p_member_id: the team member acting (ledger member_id); their holds and spends count against the team''s monthly limit, checked in the same update. Returns {balance, reserved, ledger_id[, lot_id]}. Raises PT402 insufficient_credits (detail {balance, required}), PT402 team_limit_reached (detail {limit, used, required, resets_at}) or 22023 unknown_user. Internal.';
revoke execute on function billing.apply_credit_change(uuid, integer, text, text, text, text, uuid, uuid, text, timestamptz, timestamptz, text, bigint, uuid) from public, anon, authenticated, service_role;

create or replace function billing.raise_lots_out_of_step(p_user_id uuid, p_kind text, p_lot_id bigint)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = 'XX000',
    message = 'credit_lots_out_of_step',
    detail = pg_catalog.format('user %s: a %s did not find the lot credits it needs (lot %s)', p_user_id, p_kind, p_lot_id),
    hint = 'The lots no longer add up to the balance: nothing was changed. Report this to the developers.';
end;
$$;
comment on function billing.raise_lots_out_of_step(uuid, text, bigint) is
  'Raises XX000 credit_lots_out_of_step: a lot move found fewer credits than the balance said (never expected; the transaction rolls back).';
revoke execute on function billing.raise_lots_out_of_step(uuid, text, bigint) from public, anon, authenticated, service_role;

/**
  * Section - Expiry
 */

-- One lot's unused credits expire: one expiration ledger row naming the lot. The wallet is locked
-- first (the order every balance change uses), then the lot is read, so a spend that committed a
-- moment ago is seen and nothing spent or held is ever taken. Running it twice, or next to a spend,
-- takes each credit at most once.
create or replace function billing.expire_lot(p_lot_id bigint, p_actor text, p_interview_id uuid default null)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_lot public.credit_lots;
begin
  perform billing.lock_wallet((select l.user_id from public.credit_lots l where l.id = p_lot_id));
  select * into v_lot from public.credit_lots l where l.id = p_lot_id;
  if not found or v_lot.remaining = 0 or v_lot.expires_at is null or v_lot.expires_at > pg_catalog.now() then
    return 0;
  end if;
  perform billing.apply_credit_change(v_lot.user_id, -v_lot.remaining, 'expiration', p_actor,
    pg_catalog.left('Expired unused: ' || coalesce(v_lot.reason, 'credits'), billing.max_ledger_text_length()),
    'lot:' || v_lot.id, p_interview_id, v_lot.payment_id, null, null, null, null, v_lot.id);
  return v_lot.remaining;
end;
$$;
comment on function billing.expire_lot(bigint, text, uuid) is
  'Expires what is left of one lot whose expires_at has passed: one expiration ledger row (reference lot:<id>) taking its remaining credits; held and spent credits are never touched. Returns the credits expired (0 when nothing was due). Locks the wallet first. Internal: called by billing.expire_credit_lots and when credits come back to an expired lot.';
revoke execute on function billing.expire_lot(bigint, text, uuid) from public, anon, authenticated, service_role;

-- The scheduled run (pg_cron, see 20261125000900_schedules.sql) calls this in a loop, committing
-- after each call: `do $$ begin while billing.expire_credit_lots() > 0 loop commit; end loop; end $$`.
-- One call = one wallet: its lock is taken first and it is the only wallet the transaction locks,
-- as in every other balance change, so the run can never deadlock with spends, refunds or a second
-- run, and a spender of that wallet waits for at most p_batch lots. (A procedure could commit by
-- itself, but not with a pinned search_path, which every function here has.) synchronous_commit is
-- off for these transactions: an expiry lost in a crash is redone by the next run.
create or replace function billing.expire_credit_lots(p_batch integer default 50)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid;
  v_id bigint;
  v_done integer := 0;
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  select l.user_id into v_user_id
    from public.credit_lots l
   where l.remaining > 0 and l.expires_at <= pg_catalog.now()
   order by l.expires_at, l.id
   limit 1;
  if v_user_id is null then
    return 0;
  end if;
  for v_id in
    select l.id from public.credit_lots l
     where l.user_id = v_user_id and l.remaining > 0 and l.expires_at <= pg_catalog.now()
     order by l.expires_at, l.id
     limit greatest(coalesce(p_batch, 50), 1)
  loop
    v_done := v_done + 1;
    perform billing.expire_lot(v_id, 'system:expiry');
  end loop;
  -- A concurrent run may have emptied this wallet between the two reads: still report work, so the
  -- job's loop goes on to the next wallet instead of stopping while other lots are due.
  return greatest(v_done, 1);
end;
$$;
comment on function billing.expire_credit_lots(integer) is
  'Expires the due lots (expires_at passed, credits left) of one wallet, the one whose lot fell due first, up to p_batch of them: one expiration ledger row per lot (billing.expire_lot). Returns how many lots it looked at (at least 1 when a wallet had due lots); 0 = nothing is due anywhere. Idempotent: running it twice, or two runs at once, expire each credit once. pg_cron job expire-credit-lots calls it every minute in a loop that commits after each call; support may run the same loop, or one call: select billing.expire_credit_lots();';
revoke execute on function billing.expire_credit_lots(integer) from public, anon, authenticated, service_role;

/**
  * Section - Sign-up grant
 */

create table billing.signup_grant (
  id boolean primary key default true check (id),
  credits integer not null default 0 check (credits between 0 and 10000),
  -- At most 100 years: now() + a longer one can leave the timestamp range, and every sign-up would fail.
  expires_after interval default interval '30 days' check (expires_after is null or expires_after > interval '0' and expires_after <= interval '100 years'),
  reason text not null default 'Welcome credits' check (pg_catalog.char_length(reason) between 1 and 500),
  updated_at timestamptz not null default pg_catalog.now()
);
comment on table billing.signup_grant is
  'The sign-up grant (one row): credits every new recruiter gets as a promotional lot (spent first) that expires expires_after after sign-up (null: never). 0 credits (the default) means no grant. Support changes it with UPDATE billing.signup_grant SET credits = 5;';
comment on column billing.signup_grant.id is 'Always true: the table has one row.';
comment on column billing.signup_grant.credits is 'Credits granted at sign-up (0..10000; 0 = none).';
comment on column billing.signup_grant.expires_after is 'How long the sign-up credits last (more than 0, at most 100 years); null = never expire.';
comment on column billing.signup_grant.reason is 'The ledger reason the recruiter sees, e.g. "Welcome credits".';
comment on column billing.signup_grant.updated_at is 'When the setting last changed.';
alter table billing.signup_grant enable row level security;
revoke all on table billing.signup_grant from public, anon, authenticated, service_role;
insert into billing.signup_grant default values;

create trigger signup_grant_touch_updated_at
  before update on billing.signup_grant
  for each row execute function billing.touch_updated_at();

create or replace function billing.grant_signup_credits(p_user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_grant billing.signup_grant;
begin
  -- Once per recruiter, whatever the grant setting says now: an address confirmed a second time
  -- (support un-confirmed it) must neither pay again nor fail on the key with other arguments.
  if exists (select 1 from public.credit_ledger l
              where l.user_id = p_user_id and l.idempotency_namespace = 'system' and l.idempotency_key = 'signup') then
    return;
  end if;
  select * into v_grant from billing.signup_grant;
  if not found or v_grant.credits = 0 then
    return;
  end if;
  perform billing.apply_credit_change(p_user_id, v_grant.credits, 'grant', 'system:signup', v_grant.reason, 'signup',
    null, null, 'signup', null, pg_catalog.now() + v_grant.expires_after, 'promotional');
end;
$$;
comment on function billing.grant_signup_credits(uuid) is
  'Gives a new recruiter the sign-up grant configured in billing.signup_grant (a promotional lot with its expiry; idempotency key signup): once per recruiter, a second call does nothing, even after the setting changed. Does nothing while the grant is 0 credits. Called when the address is confirmed (or on sign-up when the user is created confirmed).';
revoke execute on function billing.grant_signup_credits(uuid) from public, anon, authenticated, service_role;
