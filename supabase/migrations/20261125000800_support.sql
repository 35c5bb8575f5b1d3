-- Audited balance corrections for support staff working in the dashboard SQL editor, and the one
-- way to give goodwill credits:
--   select billing.support_adjust_credits('<user id>', 5, 'Goodwill: interview failed to start', 'SUP-1234');
-- Only the postgres role (dashboard / SQL editor) may run it; the API roles cannot even see the
-- billing schema. It writes kind = 'adjustment' with the ticket and the database user as actor.

create or replace function billing.support_adjust_credits(
  p_user_id uuid,
  p_delta integer,
  p_reason text,
  p_ticket text,
  p_expires_at timestamptz default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- A call arriving through the API carries JWT claims; support works without any.
  if auth.role() is not null then
    raise exception using
      errcode = '42501',
      message = 'not_allowed',
      hint = 'Support adjustments are made from the dashboard SQL editor, not through the API.';
  end if;
  if p_user_id is null then
    perform billing.raise_invalid_argument('user_id', 'user_id is required');
  end if;
  if p_delta is null or p_delta = 0
     or p_delta not between -billing.max_credits_per_call() and billing.max_credits_per_call() then
    perform billing.raise_invalid_argument('delta', 'delta must be a non-zero number of credits from -'
      || billing.max_credits_per_call() || ' to ' || billing.max_credits_per_call());
  end if;
  perform billing.check_text('reason', p_reason, true, billing.max_ledger_text_length());
  perform billing.check_text('ticket', p_ticket, true, 100);
  if p_expires_at is not null and p_delta < 0 then
    perform billing.raise_invalid_argument('expires_at', 'expires_at is for credits added (positive delta); null when taking credits');
  end if;
  perform billing.check_expires_at('expires_at', p_expires_at);

  return billing.apply_credit_change(p_user_id, p_delta, 'adjustment', 'support:' || session_user,
    p_reason, 'ticket:' || pg_catalog.btrim(p_ticket), null, null, null, null, p_expires_at);
end;
$$;
comment on function billing.support_adjust_credits(uuid, integer, text, text, timestamptz) is
  'For support staff (dashboard SQL editor, role postgres): adds (positive: a correction or goodwill credits) or removes (negative) delta credits with a reason and a ticket id, as ledger kind adjustment with actor support:<database user>. Credits added are a new lot (source adjustment) expiring at p_expires_at (null: never); credits removed are taken from the lots in spend order. Never takes a balance below zero (PT402 insufficient_credits). Returns {balance, reserved, ledger_id[, lot_id]}. Errors: 22023 invalid_user_id/unknown_user/invalid_delta/invalid_reason/invalid_ticket/invalid_expires_at, 42501 not_allowed when called with API claims.';
revoke execute on function billing.support_adjust_credits(uuid, integer, text, text, timestamptz) from public, anon, authenticated, service_role;

/**
  * Section - The credit invariant, checkable by anyone with the dashboard
 */

-- Every rule that makes a balance trustworthy, as one query support (and every test) can run:
--   select * from billing.credit_invariant_violations();            -- all wallets
--   select * from billing.credit_invariant_violations('<user id>'); -- one wallet
-- No rows = every balance is explained by its ledger, and every ledger row by its lots.
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
$$;
comment on function billing.credit_invariant_violations_among(uuid[]) is
  'The rules of billing.credit_invariant_violations for the wallets in p_users (each filter is = any(p_users), so one wallet is read by its indexes). Call billing.credit_invariant_violations instead.';
revoke execute on function billing.credit_invariant_violations_among(uuid[]) from public, anon, authenticated, service_role;

create or replace function billing.credit_invariant_violations(p_user_id uuid default null)
returns table (user_id uuid, rule text, detail jsonb)
language sql
stable
security definer
set search_path = ''
as $$
  -- One wallet reads only its own rows (by index); null checks every wallet.
  -- Every wallet, and every id the ledger names (so a row naming no wallet is reported too).
  select * from billing.credit_invariant_violations_among(
    case when p_user_id is null
         then (select pg_catalog.array_agg(x.id) from (select w.id from billing.wallets w
                                                        union select distinct l.user_id from public.credit_ledger l) x)
         else array[p_user_id] end)
$$;
comment on function billing.credit_invariant_violations(uuid) is
  'Support check (dashboard SQL editor): every way a wallet could disagree with its history; no rows = all hold. Rules: balance_is_ledger_sum (the wallet''s credits = sum(delta), credits_reserved = sum(reserved_delta)), after_is_running_sum, totals_are_ledger_sums (credits_* by kind), lots_hold_the_balance (credits = sum(lots.remaining), credits_reserved = sum(lots.held)), entries_explain_ledger_row (a ledger row naming its lot in lot_id has no entries; any other row''s lot entries add up to its deltas), lot_is_its_entries (each lot''s remaining and held are the sums of its moves, both forms: billing.credit_lot_moves), entry_owner_matches (a lot entry, and a lot named on a ledger row, exist and belong to the ledger row''s wallet), ledger_names_a_wallet, member_only_on_team_wallets. Covers personal wallets (public.users) and team wallets (public.teams) alike. p_user_id null = every wallet.';
revoke execute on function billing.credit_invariant_violations(uuid) from public, anon, authenticated, service_role;
