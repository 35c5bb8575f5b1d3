-- A lot is never spent twice: spends and holds take from the lots in the stated order
-- (promotional first, then soonest expiry, then oldest; paid credits last), record exactly how
-- much they took from each lot, and every credit can be followed from payment to interview and back.
begin;
select plan(16);

select tests.create_user('ada');
select tests.act_as_service_role();
-- Lots, oldest first. Expected spend order: promo, soon, later, grant_old, grant_new, paid.
select public.record_checkout(tests.get_user_id('ada'), 'pack_5', 'stripe', 'cs_lots_order');
select public.complete_checkout('evt_lots_order', 'cs_lots_order', 500, 'usd', 'pi_lots_order');
select id as paid from public.credit_lots where user_id = tests.get_user_id('ada') and source = 'purchase' \gset
select public.add_credits(tests.get_user_id('ada'), 3, 'grant', 'old grant') ->> 'lot_id' as grant_old \gset
select public.add_credits(tests.get_user_id('ada'), 2, 'grant', 'later', null, null, now() + interval '10 days') ->> 'lot_id' as later \gset
select public.add_credits(tests.get_user_id('ada'), 2, 'grant', 'soon', null, null, now() + interval '5 days') ->> 'lot_id' as soon \gset
select public.add_credits(tests.get_user_id('ada'), 2, 'grant', 'promo', null, null, now() + interval '20 days', true) ->> 'lot_id' as promo \gset
select public.add_credits(tests.get_user_id('ada'), 3, 'grant', 'new grant') ->> 'lot_id' as grant_new \gset
select is(tests.balance_of('ada'), 17, 'six lots: 5 paid + 3 + 2 + 2 + 2 promotional + 3');

-- Each ledger row's lot moves (the lot it names, or its entries), as (lot, remaining_delta, held_delta) in lot spend order.
-- Created by the owner and security definer: billing.credit_lot_moves is support's view, not the API roles'.
select tests.reset_role();
create function pg_temp.entries(p_ledger_id bigint) returns setof record language sql security definer as $$
  select e.lot_id, e.remaining_delta, e.held_delta from billing.credit_lot_moves e
    join public.credit_lots l on l.id = e.lot_id
   where e.ledger_id = p_ledger_id order by l.priority, l.expires_at nulls last, l.id $$;

select tests.act_as('ada');
select public.deduct_credits(3) ->> 'ledger_id' as s1 \gset
select results_eq(format('select * from pg_temp.entries(%s) as t(lot bigint, r int, h int)', :s1),
  format('values (%s::bigint, -2, 0), (%s, -1, 0)', :promo, :soon),
  'spend 3: the promotional lot first (2), then the soonest-expiring grant (1)');
select public.deduct_credits(4) ->> 'ledger_id' as s2 \gset
select results_eq(format('select * from pg_temp.entries(%s) as t(lot bigint, r int, h int)', :s2),
  format('values (%s::bigint, -1, 0), (%s, -2, 0), (%s, -1, 0)', :soon, :later, :grant_old),
  'spend 4: the rest of the soonest lot, then the later one, then the oldest lot that never expires');
select public.create_interview('Hold across lots', null, 120) as iv \gset
select results_eq(format('select * from pg_temp.entries(%s) as t(lot bigint, r int, h int)', (:'iv'::jsonb) ->> 'ledger_id'),
  format('values (%s::bigint, -2, 2), (%s, -2, 2)', :grant_old, :grant_new),
  'a hold of 4 moves credits from remaining to held: the older grant, then the newer one');
select public.deduct_credits(3) ->> 'ledger_id' as s3 \gset
select results_eq(format('select * from pg_temp.entries(%s) as t(lot bigint, r int, h int)', :s3),
  format('values (%s::bigint, -1, 0), (%s, -2, 0)', :grant_new, :paid),
  'paid credits go last, and held credits are never spent by another spend');
select is((tests.error_of('select public.deduct_credits(4)') ->> 'message'), 'insufficient_credits',
  'only 3 available credits are left (4 are held): a spend of 4 is refused');
select tests.reset_role();

select results_eq(format($$ select id, remaining, held, spent from public.credit_lots where user_id = %L order by id $$, tests.get_user_id('ada')),
  format($$ values (%s::bigint, 3, 0, 2), (%s, 0, 2, 1), (%s, 0, 0, 2), (%s, 0, 0, 2), (%s, 0, 0, 2), (%s, 0, 2, 1) $$,
         :paid, :grant_old, :later, :soon, :promo, :grant_new),
  'every lot''s parts after the spends and the hold');

-- Cancel returns the hold to the same lots; complete of a second hold captures from its own lots.
select tests.act_as('ada');
select public.cancel_interview(((:'iv'::jsonb) ->> 'interview_id')::uuid) ->> 'ledger_id' as rel \gset
select results_eq(format('select * from pg_temp.entries(%s) as t(lot bigint, r int, h int)', :rel),
  format('values (%s::bigint, 2, -2), (%s, 2, -2)', :grant_old, :grant_new),
  'a cancel returns each held credit to the lot it came from');
select public.deduct_credits(2) ->> 'ledger_id' as s4 \gset
select results_eq(format('select * from pg_temp.entries(%s) as t(lot bigint, r int, h int)', :s4),
  format('values (%s::bigint, -2, 0)', :grant_old), 'credits returned to a lot are spent from it again, in order');
select public.create_interview('Paid interview', null, 120) as iv2 \gset
select tests.act_as_service_role();
select public.complete_interview(((:'iv2'::jsonb) ->> 'interview_id')::uuid) ->> 'ledger_id' as cap \gset
select results_eq(format('select lot, -h from pg_temp.entries(%s) as t(lot bigint, r int, h int)', :cap),
  format('select lot, h from pg_temp.entries(%s) as t(lot bigint, r int, h int)', (:'iv2'::jsonb) ->> 'ledger_id'),
  'a capture spends exactly what its hold took, lot by lot');
select tests.reset_role();

-- Never spent twice: no lot ever went below zero in ledger order, every lot is its entries.
select is_empty(format('select * from tests.lot_overdrafts(%L)', tests.get_user_id('ada')), 'no entry ever overdrew a lot');
select is_empty(format('select * from tests.lot_audit(%L)', tests.get_user_id('ada')), 'every lot''s parts are exactly its entries');
select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds');

-- Traceability, payment -> lots -> entries -> interviews, and interview -> lots -> payment.
select results_eq(format($$
  select distinct i.job_position from public.payments p
    join public.credit_lots l on l.payment_id = p.id
    join billing.credit_lot_moves e on e.lot_id = l.id and e.user_id = l.user_id
    join public.interviews i on i.id = e.interview_id
   where p.provider_session_id = 'cs_lots_order' $$),
  $$ values ('Paid interview'::text) $$, 'the payment''s credits lead to the interview that used them');
select results_eq(format($$
  select distinct p.provider_session_id, l.source from public.credit_ledger g
    join billing.credit_lot_moves e on e.ledger_id = g.id
    join public.credit_lots l on l.id = e.lot_id
    left join public.payments p on p.id = l.payment_id
   where g.interview_id = %L and g.kind = 'spend' order by 1 $$, (:'iv2'::jsonb) ->> 'interview_id'),
  $$ values ('cs_lots_order'::text, 'purchase'::text), (null, 'grant') $$,
  'the interview leads back to its lots: the paid pack and the grant it also used');
select is((select sum(-e.remaining_delta)::int from billing.credit_lot_moves e
            where e.kind = 'spend' and e.remaining_delta < 0 and e.lot_id = :paid), 2,
  'and the paid lot''s other credits lead to the spend that took them');

select * from finish();
rollback;
