-- Period end at scale: expiry is set-based, and a lot may roll part of its credits over.
--
-- Renewals and expiries cluster on the same instant (the first of the month). The expiry run used
-- to write one apply_credit_change per lot (about 1 ms each: 100,000 lots took 174 s). Now one call
-- of billing.expire_credit_lots locks a batch of wallets (in id order, SKIP LOCKED: it never waits
-- on a spend or on a second run, so it can deadlock with neither) and writes all their due lots in
-- one statement: the ledger rows, the lot updates, the new rollover lots and their entries, and one
-- update per wallet row (so one Realtime broadcast per wallet per batch, and the guard triggers see
-- billing.applying_ledger on, as for every credit function).
--
-- Rollover: a lot with rollover_limit (a subscription period's credits, 20261125000960) gives, at its
-- expiry, min(remaining, what is left of its limit) to a new lot (source rollover) expiring at the
-- old lot's expires_at + rollover_expires_after; the rest expires. Ledger: one row of kind rollover
-- with delta 0 (the available balance does not move) whose two lot entries say it (old lot -n, new
-- lot +n; the new lot's ledger_id is this row), and the old lot's rolled_over part; the expired rest
-- is the usual expiration row naming the lot. A rollover lot never rolls again.

/**
  * Section - Lot columns and ledger kind
 */

-- Also added by 20261125000960_subscriptions.sql with identical definitions (whichever runs first).
alter table public.credit_lots
  add column if not exists rollover_limit integer check (rollover_limit is null or rollover_limit > 0),
  add column if not exists rollover_expires_after interval
    check (rollover_expires_after is null or rollover_expires_after > interval '0' and rollover_expires_after <= interval '100 years');
alter table public.credit_lots add column rolled_over integer not null default 0 check (rolled_over >= 0);

comment on column public.credit_lots.rollover_limit is
  'At most this many of the lot''s credits roll over into a new lot (source rollover) when it expires, over its whole life (credits returned to it later roll while the limit lasts); the rest expires. Null = nothing rolls over. Set from the plan''s rollover_cap for a subscription period''s lot.';
comment on column public.credit_lots.rollover_expires_after is
  'How long rolled-over credits last: the rollover lot expires at this lot''s expires_at + this (more than 0, at most 100 years); null = they never expire.';
comment on column public.credit_lots.rolled_over is
  'Credits of this lot that rolled over into a rollover lot at its expiry (ledger kind rollover). remaining + held + spent + expired + voided + rolled_over = amount.';

alter table public.credit_lots drop constraint credit_lots_parts_add_up;
alter table public.credit_lots add constraint credit_lots_parts_add_up
  check (remaining + held + spent + expired + voided + rolled_over = amount);

-- Sources: a subscription period's credits (960) and rolled-over credits (here). The lead keeps one list.
alter table public.credit_lots drop constraint credit_lots_source_check;
alter table public.credit_lots add constraint credit_lots_source_check
  check (source in ('purchase', 'grant', 'promotional', 'refund', 'adjustment', 'subscription', 'rollover'));
comment on column public.credit_lots.source is 'Where the credits came from: purchase (a payment), grant (support or system), promotional (sign-up or marketing grant: spent first), refund (what a completed interview was charged, given back), adjustment (a positive support correction or goodwill credits, billing.support_adjust_credits), subscription (a paid subscription invoice''s credits for its period), rollover (credits a lot with rollover_limit carried over at its expiry; never rolls again).';

-- rollover: credits move from one lot of the wallet to a new one; the balance does not change.
alter table public.credit_ledger drop constraint credit_ledger_kind_check;
alter table public.credit_ledger add constraint credit_ledger_kind_check
  check (kind in ('purchase', 'spend', 'refund', 'grant', 'adjustment', 'expiration', 'reversal', 'hold', 'release', 'rollover'));
alter table public.credit_ledger drop constraint credit_ledger_delta_sign_matches_kind;
alter table public.credit_ledger add constraint credit_ledger_delta_sign_matches_kind check (
    (kind in ('purchase', 'grant', 'refund') and delta > 0 and reserved_delta = 0)
    or (kind in ('expiration', 'reversal') and delta < 0 and reserved_delta = 0)
    or (kind = 'spend' and ((delta < 0 and reserved_delta = 0) or (delta = 0 and reserved_delta < 0)))
    or (kind = 'hold' and delta < 0 and reserved_delta = -delta)
    or (kind = 'release' and delta > 0 and reserved_delta = -delta)
    or (kind = 'adjustment' and delta <> 0 and reserved_delta = 0)
    or (kind = 'rollover' and delta = 0 and reserved_delta = 0)
  );
comment on column public.credit_ledger.kind is 'Why the balance changed: purchase, grant, refund (positive; a refund returns credits charged for a completed interview, naming it); spend, expiration, reversal (negative); hold (available to reserved: an interview was created), release (reserved back to available: it was cancelled or its hold lapsed); a spend with delta 0 captures a hold (the interview took place); adjustment (support, either sign); rollover (delta 0: at a lot''s expiry, credits it may carry over moved into a new rollover lot; its two lot entries say how many). lot_id or credit_lot_entries say which lots each row moved (billing.credit_lot_moves).';

-- rolled_over is a credit part like the others: only the credit functions change it.
drop trigger credit_lots_guard_update on public.credit_lots;
create trigger credit_lots_guard_update
  before update on public.credit_lots
  for each row
  when ((new.id, new.user_id, new.source, new.amount, new.remaining, new.held, new.spent, new.expired, new.voided,
         new.rolled_over, new.payment_id, new.ledger_id, new.created_at)
        is distinct from
        (old.id, old.user_id, old.source, old.amount, old.remaining, old.held, old.spent, old.expired, old.voided,
         old.rolled_over, old.payment_id, old.ledger_id, old.created_at)
        and pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.guard_credit_lots();

/**
  * Section - Expiry, set-based
 */

-- The due lots of locked wallets, in one statement. The caller holds the wallets' locks (so this
-- statement's snapshot sees every lot as the previous holder left it, and nobody else moves their
-- credits meanwhile). p_lot_ids narrows it to those lots (billing.expire_lot). Per lot: what may roll
-- (source other than rollover, rollover_limit minus what rolled before) goes to a new rollover lot,
-- the rest of remaining expires; held and spent credits are never touched. Ledger rows per wallet in
-- (expires_at, lot id) order, expiration before rollover, balance_after the running sum from the
-- wallet's balance (the rows are inserted in that order, so ids follow it). One update per wallet row.
-- (period_end_expiry.test.sql checks the setting: the bench found the generic plan.)
create or replace function billing.expire_due_lots(
  p_wallets uuid[],
  p_lot_ids bigint[],
  p_actor text,
  p_interview_id uuid,
  out moved_lots integer,
  out expired_credits integer
)
language plpgsql
security definer
set search_path = ''
-- Planned for the arrays it is given, every call: a generic plan (PL/pgSQL switches to one after
-- five calls) guesses one due lot for `= any($1)` and joins the batch's thousands by nested loops,
-- rescanning the wallet array per row (a 1,000-wallet batch took minutes instead of a second).
set plan_cache_mode = force_custom_plan
as $$
declare
  v_due integer;
begin
  if pg_catalog.set_config('billing.applying_ledger', 'on', true) is null then null; end if;
  with due as materialized (
    select l.id, l.user_id, l.remaining, l.reason, l.payment_id, l.expires_at, l.rollover_expires_after,
           case when l.source <> 'rollover' and l.rollover_limit is not null
                then least(l.remaining, greatest(l.rollover_limit - l.rolled_over, 0)) else 0 end as rolled
      from public.credit_lots l
     where l.user_id = any (p_wallets) and l.remaining > 0 and l.expires_at <= pg_catalog.now()
       and (p_lot_ids is null or l.id = any (p_lot_ids))
  ), moves as (
    select d.id, d.user_id, d.reason, d.payment_id, d.expires_at, d.rolled, k.kind, k.ord,
           case when k.kind = 'expiration' then d.rolled - d.remaining else 0 end as delta
      from due d
     cross join lateral (values ('expiration'::text, 1), ('rollover'::text, 2)) k(kind, ord)
     where (k.kind = 'expiration' and d.remaining > d.rolled) or (k.kind = 'rollover' and d.rolled > 0)
  ), wallet as (
    select u.id, u.credits, u.credits_reserved from public.users u where u.id = any (p_wallets)
    union all
    select t.id, t.credits, t.credits_reserved from public.teams t where t.id = any (p_wallets)
  ), g as (
    insert into public.credit_ledger
      (user_id, delta, balance_after, reserved_delta, reserved_after, kind, reason, reference, interview_id,
       payment_id, actor, created_at, lot_id)
    select r.user_id, r.delta, r.balance_after, 0, r.credits_reserved, r.kind, r.reason, r.reference, p_interview_id,
           r.payment_id, p_actor, pg_catalog.now(), r.lot_id
      from (select m.user_id, m.delta, m.kind, m.id, m.ord, m.expires_at, m.payment_id, w.credits_reserved,
                   w.credits + pg_catalog.sum(m.delta) over (partition by m.user_id order by m.expires_at, m.id, m.ord) as balance_after,
                   pg_catalog.left(case when m.kind = 'expiration' then 'Expired unused: ' || coalesce(m.reason, 'credits')
                                        else pg_catalog.format('Rolled over: %s credits of %s', m.rolled, coalesce(m.reason, 'credits')) end,
                                   billing.max_ledger_text_length()) as reason,
                   'lot:' || m.id as reference,
                   case when m.kind = 'expiration' then m.id end as lot_id
              from moves m join wallet w on w.id = m.user_id
             order by m.user_id, m.expires_at, m.id, m.ord) r
    returning id, user_id, kind, reference
  ), upd as (
    update public.credit_lots l
       set remaining = 0,
           expired = l.expired + (d.remaining - d.rolled),
           rolled_over = l.rolled_over + d.rolled
      from due d
     where l.id = d.id and l.remaining = d.remaining
    returning l.id, d.remaining - d.rolled as gone
  ), born as (
    insert into public.credit_lots (user_id, source, amount, remaining, expires_at, priority, ledger_id, reason, created_at)
    select d.user_id, 'rollover', d.rolled, d.rolled, d.expires_at + d.rollover_expires_after, billing.lot_priority('rollover'),
           g.id, pg_catalog.left('Rolled over: ' || coalesce(d.reason, 'credits'), billing.max_ledger_text_length()), pg_catalog.now()
      from g join due d on g.kind = 'rollover' and g.reference = 'lot:' || d.id
    returning id, ledger_id, user_id, amount
  ), entries as (
    insert into public.credit_lot_entries (ledger_id, lot_id, user_id, remaining_delta, held_delta)
    select b.ledger_id, x.lot_id, b.user_id, x.n, 0
      from born b
      join g on g.id = b.ledger_id
     cross join lateral (values (pg_catalog.substr(g.reference, 5)::bigint, -b.amount), (b.id, b.amount)) x(lot_id, n)
  ), gone as (
    select d.user_id, pg_catalog.sum(d.remaining - d.rolled)::integer as n from due d group by d.user_id having pg_catalog.sum(d.remaining - d.rolled) > 0
  ), uu as (
    update public.users u
       set credits = u.credits - gone.n, credits_expired = u.credits_expired + gone.n, updated_at = pg_catalog.now()
      from gone where u.id = gone.user_id
    returning u.id
  ), tu as (
    update public.teams t
       set credits = t.credits - gone.n, credits_expired = t.credits_expired + gone.n, updated_at = pg_catalog.now()
      from gone where t.id = gone.user_id
    returning t.id
  )
  select (select pg_catalog.count(*) from due)::integer, (select pg_catalog.count(*) from upd)::integer,
         (select coalesce(pg_catalog.sum(upd.gone), 0) from upd)::integer
    into v_due, moved_lots, expired_credits;
  -- (entries, uu and tu run to completion though nothing reads them: every data-modifying WITH does.)
  if moved_lots <> v_due then
    -- Never expected: the wallets are locked. The statement's writes roll back with the exception.
    perform billing.raise_lots_out_of_step(p_wallets[1], 'expiration', null);
  end if;
  if pg_catalog.set_config('billing.applying_ledger', 'off', true) is null then null; end if;
end;
$$;
comment on function billing.expire_due_lots(uuid[], bigint[], text, uuid) is
  'Expires, in one statement, the due lots (expires_at passed, credits left) of wallets the caller has locked (p_lot_ids: only those lots): per lot, what its rollover_limit still allows (never for a rollover lot) moves into a new lot (source rollover, expiring at expires_at + rollover_expires_after; a ledger row of kind rollover, delta 0, with the two lot entries, and the lot''s rolled_over part), the rest of remaining expires (an expiration row naming the lot, reference lot:<id>, reason "Expired unused: <lot reason>", interview_id p_interview_id); held and spent credits are never touched. One update per wallet row (balance and credits_expired). Returns moved_lots (how many lots it moved) and expired_credits (credits expired). Internal: billing.expire_credit_lots and billing.expire_lot call it.';
revoke execute on function billing.expire_due_lots(uuid[], bigint[], text, uuid) from public, anon, authenticated, service_role;

-- One lot (credits returned to a lot past its expiry: billing.release_interview_hold). The same
-- statement as the run, so a returned credit rolls over while the lot's limit lasts, else expires.
create or replace function billing.expire_lot(p_lot_id bigint, p_actor text, p_interview_id uuid default null)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_wallet_id uuid := (select l.user_id from public.credit_lots l where l.id = p_lot_id);
begin
  if v_wallet_id is null or not billing.lock_wallet(v_wallet_id) then
    return 0;
  end if;
  return (select e.expired_credits from billing.expire_due_lots(array[v_wallet_id], array[p_lot_id], p_actor, p_interview_id) e);
end;
$$;
comment on function billing.expire_lot(bigint, text, uuid) is
  'Expires what is left of one lot whose expires_at has passed (billing.expire_due_lots for that lot: what its rollover_limit still allows rolls over, the rest expires as one expiration ledger row, reference lot:<id>); held and spent credits are never touched. Returns the credits expired (0 when nothing was due). Locks the wallet first. Internal: called when credits come back to an expired lot (billing.release_interview_hold).';
revoke execute on function billing.expire_lot(bigint, text, uuid) from public, anon, authenticated, service_role;

-- The scheduled run (pg_cron job expire-credit-lots) calls this in a loop, committing after each
-- call: `do $$ begin while billing.expire_credit_lots() > 0 loop commit; end loop; end $$`.
-- One call = one batch of wallets: those of the soonest-due lots (the expiry index, in its order;
-- twice as many candidates as it takes, so a second run at once finds wallets the first has not
-- locked), locked in id order with SKIP LOCKED — a wallet a spend (or another run) holds is left for
-- the next call, so the run waits on nobody and nobody waits on it for more than one batch — then
-- every due lot of the locked wallets in one statement (billing.expire_due_lots).
-- 250 wallets a call (about 2,500 lots at ten each): a spend on a wallet in the batch waits for it,
-- about 0.15 s of CPU (the bench: ~17,000 lots per CPU second whether 200 or 1,000 wallets a call).
-- synchronous_commit is off for these transactions: an expiry lost in a crash is redone by the next run.
create or replace function billing.expire_credit_lots(p_batch integer default 250)
returns integer
language plpgsql
security definer
set search_path = ''
-- As billing.expire_due_lots: the candidate and lock queries are planned for their arrays.
set plan_cache_mode = force_custom_plan
as $$
declare
  v_batch integer := greatest(coalesce(p_batch, 250), 1);
  v_candidates uuid[];
  v_users uuid[];
  v_teams uuid[];
  v_lots integer;
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  select pg_catalog.array_agg(distinct d.user_id) into v_candidates
    from (select l.user_id from public.credit_lots l
           where l.remaining > 0 and l.expires_at <= pg_catalog.now()
           order by l.expires_at
           limit v_batch * 2) d;
  if v_candidates is null then
    return 0;
  end if;
  select pg_catalog.array_agg(x.id) into v_users
    from (select u.id from public.users u where u.id = any (v_candidates)
           order by u.id limit v_batch for no key update skip locked) x;
  select pg_catalog.array_agg(x.id) into v_teams
    from (select t.id from public.teams t where t.id = any (v_candidates)
           order by t.id limit v_batch - coalesce(pg_catalog.cardinality(v_users), 0) for no key update skip locked) x;
  if v_users is null and v_teams is null then
    -- Every candidate is held by a spend or another run for a moment: work remains, come back
    -- shortly rather than spin.
    perform pg_catalog.pg_sleep(0.01);
    return 1;
  end if;
  select e.moved_lots into v_lots
    from billing.expire_due_lots(coalesce(v_users, '{}') || coalesce(v_teams, '{}'), null, 'system:expiry', null) e;
  -- Another run may have emptied these wallets between the two reads: still report work, so the
  -- job's loop goes on to the next batch instead of stopping while other lots are due.
  return greatest(v_lots, 1);
end;
$$;
comment on function billing.expire_credit_lots(integer) is
  'Expires the due lots (expires_at passed, credits left) of up to p_batch wallets (default 250), those whose lots fell due first, set-based (billing.expire_due_lots: per lot one expiration ledger row, or a rollover row and a new rollover lot for what its rollover_limit allows). Wallets are locked in id order with SKIP LOCKED: one a spend or another run holds is left for a later call, so the run never waits on them and cannot deadlock with them. Returns how many lots it moved (at least 1 while any lot is due, even when all were held elsewhere for a moment); 0 = nothing is due anywhere. Idempotent: running it twice, or two runs at once, expire each credit once. pg_cron job expire-credit-lots calls it every minute in a loop that commits after each call; support may run the same loop, or one call: select billing.expire_credit_lots();';
revoke execute on function billing.expire_credit_lots(integer) from public, anon, authenticated, service_role;

/**
  * Section - Refunds follow rolled-over credits
 */

-- billing.reconcile_refund (20261125000500_payments.sql) took back only what the payment's own
-- lot still had: a subscription invoice refunded after its period end left the credits it rolled
-- over usable, credits without the money. Same function, plus the rollover lots.
create or replace function billing.reconcile_refund(p_payment_id uuid, p_actor text)
returns public.payments
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payment public.payments;
  v_target integer;
  v_owed integer;
  v_lot public.credit_lots;
  v_take integer;
  v_rolled public.credit_lots;
  v_more integer;
begin
  select * into strict v_payment from public.payments where id = p_payment_id for update;
  if v_payment.status not in ('paid', 'partially_refunded', 'refunded') or v_payment.amount_refunded_cents = 0 then
    return v_payment;
  end if;
  -- Credits follow the refunded share of the price, rounded down (a partial refund never takes
  -- back more than was paid back); a full refund takes back every credit.
  v_target := case
    when v_payment.amount_refunded_cents >= v_payment.amount_cents then v_payment.credits
    else (v_payment.credits::bigint * v_payment.amount_refunded_cents / v_payment.amount_cents)::integer
  end;
  v_owed := v_target - v_payment.credits_reversed - v_payment.credits_unrecovered;
  if v_owed > 0 then
    -- The refund voids the payment's own lot: it takes back what that lot still has. Its credits
    -- already spent stay spent, and those held by scheduled interviews are taken when they come
    -- back (billing.repay_refund_debt): both are recorded as unrecovered until then.
    perform billing.lock_wallet(v_payment.wallet_id);
    select * into v_lot from public.credit_lots l where l.payment_id = v_payment.id;
    v_take := least(v_owed, coalesce(v_lot.remaining, 0));
    if v_take > 0 then
      perform billing.payment_ledger_change(
        v_payment, -v_take, 'reversal',
        pg_catalog.format('Refund of payment %s (%s of %s %s refunded)', v_payment.id,
                          v_payment.amount_refunded_cents, v_payment.amount_cents, v_payment.currency),
        p_actor,
        pg_catalog.format('payment:%s:reversal:%s', v_payment.id, v_payment.amount_refunded_cents),
        null, v_lot.id);
    end if;
    -- The credits the lot rolled over at its period end are the same paid credits in a rollover
    -- lot (billing.expire_due_lots: a rollover ledger row whose entries take n from this lot and
    -- give n to the new one): the refund takes them back from there too, oldest first.
    for v_rolled in
      select r.* from public.credit_lots r
        join public.credit_lot_entries x on x.ledger_id = r.ledger_id and x.lot_id = v_lot.id and x.remaining_delta < 0
       where v_lot.id is not null and r.source = 'rollover' and r.user_id = v_payment.wallet_id and r.remaining > 0
       order by r.id
    loop
      exit when v_take >= v_owed;
      v_more := least(v_owed - v_take, v_rolled.remaining);
      perform billing.payment_ledger_change(
        v_payment, -v_more, 'reversal',
        pg_catalog.format('Refund of payment %s (%s of %s %s refunded): rolled-over credits', v_payment.id,
                          v_payment.amount_refunded_cents, v_payment.amount_cents, v_payment.currency),
        p_actor,
        pg_catalog.format('payment:%s:reversal:%s:lot:%s', v_payment.id, v_payment.amount_refunded_cents, v_rolled.id),
        null, v_rolled.id);
      v_take := v_take + v_more;
    end loop;
    update public.payments
       set credits_reversed = credits_reversed + v_take,
           credits_unrecovered = credits_unrecovered + (v_owed - v_take)
     where id = v_payment.id;
  end if;
  update public.payments
     set status = case when amount_refunded_cents >= amount_cents then 'refunded' else 'partially_refunded' end
   where id = v_payment.id
  returning * into strict v_payment;
  return v_payment;
end;
$$;
comment on function billing.reconcile_refund(uuid, text) is
  'Brings a paid payment''s reversed credits up to its refunded share: target = credits * amount_refunded / amount (floor; all credits when fully refunded). Takes back what the payment''s own lot still has (kind reversal; the lot''s voided part), then what that lot rolled over and its rollover lots still have (a subscription invoice refunded after its period end) and records the rest in credits_unrecovered: credits of that lot held by scheduled interviews repay it when they come back (billing.repay_refund_debt); spent ones stay spent. Credits of other lots are never taken. Idempotent: running it again changes nothing.';
revoke execute on function billing.reconcile_refund(uuid, text) from public, anon, authenticated, service_role;

/**
  * Section - Invariant check
 */

-- The rules of 20261125000800_support.sql plus the two rollover rules (10, 11).
create or replace function billing.credit_invariant_violations_among(p_users uuid[])
returns table (user_id uuid, rule text, detail jsonb)
language sql
stable
security definer
set search_path = ''
as $$
  with wallets as (
    select w.* from billing.wallets w where w.id = any (p_users)
  ), ledger as (
    select l.*,
           pg_catalog.sum(l.delta) over (partition by l.user_id order by l.id) as running,
           pg_catalog.sum(l.reserved_delta) over (partition by l.user_id order by l.id) as running_reserved
      from public.credit_ledger l
     where l.user_id = any (p_users)
  ), by_wallet as (
    select w.id,
           coalesce(pg_catalog.sum(l.delta), 0) as delta,
           coalesce(pg_catalog.sum(l.reserved_delta), 0) as reserved_delta,
           pg_catalog.jsonb_build_object(
             'purchased', coalesce(pg_catalog.sum(l.delta) filter (where l.kind = 'purchase'), 0),
             'spent', coalesce(-pg_catalog.sum(l.delta + l.reserved_delta) filter (where l.kind = 'spend'), 0),
             'refunded', coalesce(pg_catalog.sum(l.delta) filter (where l.kind = 'refund'), 0),
             'granted', coalesce(pg_catalog.sum(l.delta) filter (where l.kind = 'grant'), 0),
             'adjusted', coalesce(pg_catalog.sum(l.delta) filter (where l.kind = 'adjustment'), 0),
             'reversed', coalesce(-pg_catalog.sum(l.delta) filter (where l.kind = 'reversal'), 0),
             'expired', coalesce(-pg_catalog.sum(l.delta) filter (where l.kind = 'expiration'), 0)) as totals
      from wallets w left join ledger l on l.user_id = w.id
     group by w.id
  ), lots as (
    select w.id, coalesce(pg_catalog.sum(c.remaining), 0) as remaining, coalesce(pg_catalog.sum(c.held), 0) as held
      from wallets w left join public.credit_lots c on c.user_id = w.id
     group by w.id
  )
  -- 1. The balances are the sums of the ledger.
  select w.id, 'balance_is_ledger_sum', pg_catalog.jsonb_build_object('credits', w.credits, 'sum_delta', b.delta,
           'credits_reserved', w.credits_reserved, 'sum_reserved_delta', b.reserved_delta)
    from wallets w join by_wallet b on b.id = w.id
   where w.credits <> b.delta or w.credits_reserved <> b.reserved_delta
  union all
  -- 2. balance_after / reserved_after are the running sums in id order.
  select l.user_id, 'after_is_running_sum', pg_catalog.jsonb_build_object('ledger_id', l.id, 'balance_after', l.balance_after,
           'running', l.running, 'reserved_after', l.reserved_after, 'running_reserved', l.running_reserved)
    from ledger l
   where l.balance_after <> l.running or l.reserved_after <> l.running_reserved
  union all
  -- 3. The running totals are the ledger's sums by kind.
  select w.id, 'totals_are_ledger_sums', pg_catalog.jsonb_build_object('kept', pg_catalog.jsonb_build_object(
             'purchased', w.credits_purchased, 'spent', w.credits_spent, 'refunded', w.credits_refunded,
             'granted', w.credits_granted, 'adjusted', w.credits_adjusted, 'reversed', w.credits_reversed,
             'expired', w.credits_expired), 'summed', b.totals)
    from wallets w join by_wallet b on b.id = w.id
   where pg_catalog.jsonb_build_object(
             'purchased', w.credits_purchased, 'spent', w.credits_spent, 'refunded', w.credits_refunded,
             'granted', w.credits_granted, 'adjusted', w.credits_adjusted, 'reversed', w.credits_reversed,
             'expired', w.credits_expired) <> b.totals
  union all
  -- 4. The lots hold exactly the balances: available = sum(remaining), reserved = sum(held).
  select w.id, 'lots_hold_the_balance', pg_catalog.jsonb_build_object('credits', w.credits, 'lots_remaining', s.remaining,
           'credits_reserved', w.credits_reserved, 'lots_held', s.held)
    from wallets w join lots s on s.id = w.id
   where w.credits <> s.remaining or w.credits_reserved <> s.held
  union all
  -- 5. Each ledger row moved its lots by exactly its deltas: a row naming its lot (credit_ledger.lot_id)
  --    moved that lot by its deltas and has no entries; any other row's entries add up to its deltas.
  select l.user_id, 'entries_explain_ledger_row', pg_catalog.jsonb_build_object('ledger_id', l.id, 'lot_id', l.lot_id,
           'delta', l.delta, 'reserved_delta', l.reserved_delta, 'entries', e.n, 'entries_remaining', e.remaining,
           'entries_held', e.held)
    from ledger l
    left join lateral (select pg_catalog.count(*) as n, coalesce(pg_catalog.sum(x.remaining_delta), 0) as remaining,
                              coalesce(pg_catalog.sum(x.held_delta), 0) as held
                         from public.credit_lot_entries x where x.ledger_id = l.id) e on true
   where case when l.lot_id is not null then e.n > 0
              else l.delta <> e.remaining or l.reserved_delta <> e.held end
  union all
  -- 6. Each lot is the sum of its moves (both forms), and its parts add up to what it started with.
  select c.user_id, 'lot_is_its_entries', pg_catalog.jsonb_build_object('lot_id', c.id, 'remaining', c.remaining,
           'held', c.held, 'entries_remaining', coalesce(m.remaining, 0), 'entries_held', coalesce(m.held, 0))
    from public.credit_lots c
    left join (select x.lot_id, pg_catalog.sum(x.remaining_delta) as remaining, pg_catalog.sum(x.held_delta) as held
                 from ledger l
                 join lateral (select l.lot_id, l.delta as remaining_delta, l.reserved_delta as held_delta
                                where l.lot_id is not null
                               union all
                               select y.lot_id, y.remaining_delta, y.held_delta
                                 from public.credit_lot_entries y where l.lot_id is null and y.ledger_id = l.id) x on true
                group by x.lot_id) m on m.lot_id = c.id
   where c.user_id = any (p_users)
     and (c.remaining <> coalesce(m.remaining, 0) or c.held <> coalesce(m.held, 0))
  union all
  -- 7. A move belongs to the owner of its lot and of its ledger row: an entry (its user_id too) and a
  --    lot named on a ledger row alike (which has no foreign key: a lot that does not exist has no owner).
  select x.user_id, 'entry_owner_matches', pg_catalog.jsonb_build_object('ledger_id', x.ledger_id, 'lot_id', x.lot_id,
           'lot_owner', c.user_id, 'ledger_owner', l.user_id)
    from public.credit_lot_entries x
    join public.credit_lots c on c.id = x.lot_id
    join public.credit_ledger l on l.id = x.ledger_id
   where c.user_id = any (p_users)
     and (x.user_id <> c.user_id or x.user_id <> l.user_id)
  union all
  select l.user_id, 'entry_owner_matches', pg_catalog.jsonb_build_object('ledger_id', l.id, 'lot_id', l.lot_id,
           'lot_owner', c.user_id, 'ledger_owner', l.user_id)
    from ledger l
    left join public.credit_lots c on c.id = l.lot_id
   where l.lot_id is not null and c.user_id is distinct from l.user_id
  union all
  -- 8. Every ledger row names a wallet (a recruiter or a team: there is no foreign key to check it).
  select l.user_id, 'ledger_names_a_wallet', pg_catalog.jsonb_build_object('ledger_id', l.id)
    from ledger l
   where not exists (select 1 from wallets w where w.id = l.user_id)
  union all
  -- 9. member_id says which member acted on a team wallet: never on a personal one.
  select l.user_id, 'member_only_on_team_wallets', pg_catalog.jsonb_build_object('ledger_id', l.id, 'member_id', l.member_id)
    from ledger l join wallets w on w.id = l.user_id
   where l.member_id is not null and w.kind <> 'team'
  union all
  -- 10. A lot's rolled_over part is what rollover rows took from it (billing.expire_due_lots).
  select c.user_id, 'rolled_over_is_its_rollovers', pg_catalog.jsonb_build_object('lot_id', c.id,
           'rolled_over', c.rolled_over, 'rollover_moves', coalesce(r.n, 0))
    from public.credit_lots c
    left join (select x.lot_id, -pg_catalog.sum(x.remaining_delta) as n
                 from ledger l join public.credit_lot_entries x on x.ledger_id = l.id
                where l.kind = 'rollover' and x.remaining_delta < 0
                group by x.lot_id) r on r.lot_id = c.id
   where c.user_id = any (p_users)
     and c.rolled_over <> coalesce(r.n, 0)
  union all
  -- 11. A rollover row moves credits from one lot (not itself a rollover lot, whose limit allowed it)
  --     into the one rollover lot it created, of the same wallet: two entries, -n and +n.
  select l.user_id, 'rollover_makes_one_lot', pg_catalog.jsonb_build_object('ledger_id', l.id, 'entries', e.n,
           'from_lot', e.from_lot, 'to_lot', e.to_lot, 'taken', e.taken, 'given', e.given)
    from ledger l
    left join lateral (
      select pg_catalog.count(*) as n,
             pg_catalog.min(x.lot_id) filter (where x.remaining_delta < 0) as from_lot,
             pg_catalog.min(x.lot_id) filter (where x.remaining_delta > 0) as to_lot,
             coalesce(-pg_catalog.sum(x.remaining_delta) filter (where x.remaining_delta < 0), 0) as taken,
             coalesce(pg_catalog.sum(x.remaining_delta) filter (where x.remaining_delta > 0), 0) as given
        from public.credit_lot_entries x where x.ledger_id = l.id) e on true
    left join public.credit_lots src on src.id = e.from_lot
    left join public.credit_lots dst on dst.id = e.to_lot
   where l.kind = 'rollover'
     and (e.n <> 2 or e.taken <> e.given or e.taken = 0
          or src.source is not distinct from 'rollover' or src.rollover_limit is null or src.rolled_over > src.rollover_limit
          or dst.source is distinct from 'rollover' or dst.ledger_id is distinct from l.id or dst.amount <> e.given)
$$;
comment on function billing.credit_invariant_violations_among(uuid[]) is
  'The rules of billing.credit_invariant_violations for the wallets in p_users (each filter is = any(p_users), so one wallet is read by its indexes). Call billing.credit_invariant_violations instead.';
revoke execute on function billing.credit_invariant_violations_among(uuid[]) from public, anon, authenticated, service_role;

comment on function billing.credit_invariant_violations(uuid) is
  'Support check (dashboard SQL editor): every way a wallet could disagree with its history; no rows = all hold. Rules: balance_is_ledger_sum (the wallet''s credits = sum(delta), credits_reserved = sum(reserved_delta)), after_is_running_sum, totals_are_ledger_sums (credits_* by kind), lots_hold_the_balance (credits = sum(lots.remaining), credits_reserved = sum(lots.held)), entries_explain_ledger_row (a ledger row naming its lot in lot_id has no entries; any other row''s lot entries add up to its deltas), lot_is_its_entries (each lot''s remaining and held are the sums of its moves, both forms: billing.credit_lot_moves), entry_owner_matches (a lot entry, and a lot named on a ledger row, exist and belong to the ledger row''s wallet), ledger_names_a_wallet, member_only_on_team_wallets, rolled_over_is_its_rollovers (a lot''s rolled_over = what rollover rows took from it), rollover_makes_one_lot (a rollover row takes n from one lot with a rollover_limit, never exceeded, that is not itself a rollover lot, and creates one rollover lot of n). Covers personal wallets (public.users) and team wallets (public.teams) alike. p_user_id null = every wallet.';
