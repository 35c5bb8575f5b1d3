-- Helpers for the lots_* property files (like 000-setup-tests-helpers, NOT rolled back; it sorts
-- before the other lots_* files; the dblink race helpers tests.race_* are in 000-setup-tests-helpers). They recompute every lot from its moves (billing.credit_lot_moves:
-- the lot a ledger row names, and credit_lot_entries) and the kind of each move's ledger row, independently of the columns the credit core keeps, so a core that moves
-- the wrong part of a lot (spends a held credit, expires a spent one, returns a voided one) is seen.


-- Every lot whose kept parts differ from the parts its entries say it has.
--   creation (the lot's own ledger row): amount; spend / negative adjustment: spent;
--   hold: remaining -> held; capture (spend with delta 0): held -> spent; release: held -> remaining;
--   expiration: expired; reversal: voided; rollover: rolled_over (the lot it takes from; the lot it
--   creates has the row as its own ledger row).
create or replace function tests.lot_audit(p_user_id uuid default null)
returns table (lot_id bigint, kept jsonb, derived jsonb)
language sql
stable
security definer
set search_path = ''
as $$
  with moves as (
    select e.lot_id,
           pg_catalog.sum(e.remaining_delta) filter (where e.ledger_id = c.ledger_id) as amount,
           coalesce(pg_catalog.sum(e.remaining_delta), 0) as remaining,
           coalesce(pg_catalog.sum(e.held_delta), 0) as held,
           coalesce(-pg_catalog.sum(e.remaining_delta) filter (where e.ledger_id <> c.ledger_id and e.kind in ('spend', 'adjustment')), 0)
             + coalesce(-pg_catalog.sum(e.held_delta) filter (where e.kind = 'spend'), 0) as spent,
           coalesce(-pg_catalog.sum(e.remaining_delta) filter (where e.kind = 'expiration'), 0) as expired,
           coalesce(-pg_catalog.sum(e.remaining_delta) filter (where e.kind = 'reversal'), 0) as voided,
           coalesce(-pg_catalog.sum(e.remaining_delta) filter (where e.kind = 'rollover' and e.ledger_id <> c.ledger_id), 0) as rolled_over
      from billing.credit_lot_moves e
      join public.credit_lots c on c.id = e.lot_id
     where p_user_id is null or (c.user_id = p_user_id and e.user_id = p_user_id)
     group by e.lot_id
  )
  select c.id,
         pg_catalog.jsonb_build_object('amount', c.amount, 'remaining', c.remaining, 'held', c.held, 'spent', c.spent,
           'expired', c.expired, 'voided', c.voided, 'rolled_over', c.rolled_over),
         pg_catalog.jsonb_build_object('amount', m.amount, 'remaining', m.remaining, 'held', m.held, 'spent', m.spent,
           'expired', m.expired, 'voided', m.voided, 'rolled_over', m.rolled_over)
    from public.credit_lots c
    left join moves m on m.lot_id = c.id
   where (p_user_id is null or c.user_id = p_user_id)
     and (m.lot_id is null
          or (c.amount, c.remaining, c.held, c.spent, c.expired, c.voided, c.rolled_over)
             is distinct from (m.amount, m.remaining, m.held, m.spent, m.expired, m.voided, m.rolled_over)
          -- never more out of a lot than went in: no entry sequence overdraws it at any point
          or m.spent + m.expired + m.voided + m.rolled_over + m.held + m.remaining <> c.amount)
$$;
comment on function tests.lot_audit(uuid) is
  'Lots whose kept parts (amount, remaining, held, spent, expired, voided, rolled_over) differ from the parts recomputed from their moves (billing.credit_lot_moves: ledger rows naming the lot and credit_lot_entries) and the kinds of the ledger rows (empty = every lot is exactly its history).';

-- Entries that took more from a lot than it had at that moment (running sums in ledger order).
create or replace function tests.lot_overdrafts(p_user_id uuid default null)
returns table (lot_id bigint, ledger_id bigint, remaining_after bigint, held_after bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select r.lot_id, r.ledger_id, r.remaining_after, r.held_after
    from (select e.lot_id, e.ledger_id,
                 pg_catalog.sum(e.remaining_delta) over (partition by e.lot_id order by e.ledger_id) as remaining_after,
                 pg_catalog.sum(e.held_delta) over (partition by e.lot_id order by e.ledger_id) as held_after
            from billing.credit_lot_moves e
           where p_user_id is null or e.user_id = p_user_id) r
   where r.remaining_after < 0 or r.held_after < 0
$$;
comment on function tests.lot_overdrafts(uuid) is
  'Lot moves (billing.credit_lot_moves) after which, in ledger order, the lot''s remaining or held part would be negative (empty = no lot was ever spent, held or taken twice).';

-- A user's available credits that can really be spent: remaining in lots not past expiry.
create or replace function tests.spendable_lots(p_user_id uuid)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(pg_catalog.sum(c.remaining), 0)::integer from public.credit_lots c
   where c.user_id = p_user_id and (c.expires_at is null or c.expires_at > pg_catalog.now())
$$;
comment on function tests.spendable_lots(uuid) is 'Credits of a user''s lots that are spendable now (remaining, not past expiry).';

-- The dblink race helpers (tests.self_conninfo, tests.race_*) live in 000-setup-tests-helpers.test.sql:
-- race files of every feature (auto_topup_races sorts before this file) need them first.

grant execute on all functions in schema tests to anon, authenticated, service_role;

begin;
select plan(3);
select has_function('tests', 'lot_audit', array['uuid'], 'tests.lot_audit(user) exists');
select has_function('tests', 'lot_overdrafts', array['uuid'], 'tests.lot_overdrafts(user) exists');
select is_empty($$ select * from tests.lot_audit() $$, 'the seed''s lots are exactly their moves');
select * from finish();
rollback;
