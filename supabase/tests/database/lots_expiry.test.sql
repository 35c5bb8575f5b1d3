-- Expiry never takes a credit that was spent or held: a lot past its expiry gives up only its
-- remaining credits; held credits stay reserved for their interview (a capture spends them, a
-- release returns them into the expired lot, where they expire at once); expiring again takes
-- nothing. billing.expire_lot is the per-lot step of `billing.expire_credit_lots()` (the
-- procedure commits, so it cannot run inside this file's transaction; lots_races runs it for real).
begin;
select plan(19);

select tests.create_user('eve');
select tests.act_as_service_role();
select public.add_credits(tests.get_user_id('eve'), 10, 'grant', 'expiring', null, null, now() + interval '1 day') ->> 'lot_id' as lot \gset
select tests.act_as('eve');
select public.deduct_credits(3);
select public.create_interview('Held A', null, 60) ->> 'interview_id' as iv_a \gset
select public.create_interview('Held B', null, 30) ->> 'interview_id' as iv_b \gset
select tests.reset_role();
select public.add_credits(tests.get_user_id('eve'), 4, 'grant', 'never expires') ->> 'lot_id' as forever \gset
select results_eq(format('select remaining, held, spent, expired from public.credit_lots where id = %s', :lot),
  $$ values (4, 3, 3, 0) $$, 'the expiring lot: 4 remaining, 3 held by two interviews, 3 spent');

-- Its date passes (the lot is moved into the past; the clock of a transaction stands still).
select tests.pass_lot_expiry(array[:lot]::bigint[], now() - interval '1 minute');

-- Between the date and the expiry run the lot's credits can no longer be spent.
select tests.act_as('eve');
select is(tests.error_of('select public.deduct_credits(5)') ->> 'message', 'insufficient_credits',
  'a spend larger than the lots not yet expired is refused, although the balance still counts the expired lot');
select public.deduct_credits(1) ->> 'ledger_id' as s1 \gset
select tests.reset_role();
select results_eq(format('select lot_id, remaining_delta from billing.credit_lot_moves where ledger_id = %s', :s1),
  format('values (%s::bigint, -1)', :forever), 'a spend skips the lot past its expiry');

select is(billing.expire_lot(:lot, 'system:expiry'), 4, 'the expiry takes the 4 remaining credits');
select results_eq(format('select remaining, held, spent, expired from public.credit_lots where id = %s', :lot),
  $$ values (0, 3, 3, 4) $$, 'and nothing held or spent');
select results_eq(format($$ select delta, reserved_delta, kind, reference from public.credit_ledger
                             where user_id = %L and kind = 'expiration' $$, tests.get_user_id('eve')),
  format($$ values (-4, 0, 'expiration'::text, 'lot:%s'::text) $$, :lot), 'one expiration row naming the lot');
select results_eq(format('select credits, credits_reserved from public.users where id = %L', tests.get_user_id('eve')),
  $$ values (3, 3) $$, 'available 3 (the lot that never expires), reserved 3 (the holds are untouched)');

-- Running it again changes nothing.
select is(billing.expire_lot(:lot, 'system:expiry'), 0, 'expiring the lot again takes nothing');
select is((select count(*)::int from public.credit_ledger where user_id = tests.get_user_id('eve') and kind = 'expiration'), 1,
  'and writes no second row');

-- A capture of a held credit from the expired lot spends it: the hold survives the expiry.
select tests.act_as_service_role();
select public.complete_interview(:'iv_a');
select tests.reset_role();
select results_eq(format('select remaining, held, spent, expired from public.credit_lots where id = %s', :lot),
  $$ values (0, 1, 5, 4) $$, 'a completed interview spends the credits it held in the expired lot');

-- A release into the expired lot: the credits come back and expire at once.
select tests.act_as('eve');
select public.cancel_interview(:'iv_b') as cancelled \gset
select tests.reset_role();
select is(((:'cancelled'::jsonb) ->> 'expired')::int, 1, 'cancel reports the returned credit as expired');
select results_eq(format('select remaining, held, spent, expired from public.credit_lots where id = %s', :lot),
  $$ values (0, 0, 5, 5) $$, 'the returned credit expired at once: nothing is left in the lot');
select results_eq(format($$ select kind, delta, reserved_delta from public.credit_ledger
                             where interview_id = %L order by id $$, :'iv_b'),
  $$ values ('hold'::text, -1, 1), ('release', 1, -1), ('expiration', -1, 0) $$,
  'the interview''s rows: hold, release, then an expiration naming it');
select results_eq(format('select credits, credits_reserved from public.users where id = %L', tests.get_user_id('eve')),
  $$ values (3, 0) $$, 'the released credit did not become spendable');
select is(tests.spendable_lots(tests.get_user_id('eve')), tests.balance_of('eve'),
  'every available credit is in a lot that can still be spent');

-- Before its date nothing expires; a lot without a date never does.
select public.add_credits(tests.get_user_id('eve'), 2, 'grant', 'later', null, null, now() + interval '1 day') ->> 'lot_id' as later \gset
select is(billing.expire_lot(:later, 'system:expiry'), 0, 'a lot before its date is not expired');
select is(billing.expire_lot(:forever, 'system:expiry'), 0, 'a lot without an expiry never is');

select is_empty(format('select * from tests.lot_audit(%L)', tests.get_user_id('eve')), 'every lot is exactly its entries');
select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds');

select * from finish();
rollback;
