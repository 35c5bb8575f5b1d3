-- refund_payment: reverses the refunded share, never below zero, in any order with the completion.
begin;
select plan(21);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.create_user('carol');
select tests.act_as_service_role();

-- alice: pack_10 (10 credits, 900 cents), refunded in two parts.
select public.record_checkout(tests.get_user_id('alice'), 'pack_10', 'stripe', 'cs_test_r1');
select public.complete_checkout('evt_r1_paid', 'cs_test_r1', 900, 'usd', 'pi_r1');
select is(public.refund_payment('evt_r1_half', 'pi_r1', 450) ->> 'status', 'partially_refunded', 'a half refund: partially_refunded');
select is(tests.balance_of('alice'), 5, 'half of the credits were taken back');
select is(public.refund_payment('evt_r1_half', 'pi_r1', 450) ->> 'replayed', 'true', 'the same refund event again is a replay');
select is(tests.balance_of('alice'), 5, 'and takes nothing more');
select is(public.refund_payment('evt_r1_stale', 'pi_r1', 300) ->> 'credits_reversed', '5',
  'an older, smaller cumulative amount arriving late changes nothing');
select is(public.refund_payment('evt_r1_full', 'pi_r1', 900) ->> 'status', 'refunded', 'the rest refunded: refunded');
select is(tests.balance_of('alice'), 0, 'every credit was taken back');
select results_eq($$ select delta, kind from public.credit_ledger where user_id = tests.get_user_id('alice') order by id $$,
  $$ values (10, 'purchase'::text), (-5, 'reversal'::text), (-5, 'reversal'::text) $$, 'the ledger shows the purchase and two reversals');

-- A partial refund rounds the credits down: 1 cent of 900 takes back nothing.
select public.record_checkout(tests.get_user_id('alice'), 'pack_10', 'stripe', 'cs_test_r1b');
select public.complete_checkout('evt_r1b_paid', 'cs_test_r1b', 900, 'usd', 'pi_r1b');
select is(public.refund_payment('evt_r1b_cent', 'pi_r1b', 1) ->> 'credits_reversed', '0', 'a tiny refund reverses no whole credit');
select is(tests.balance_of('alice'), 10, 'so the balance is untouched');

-- bob spends most of his credits, then is refunded: never below zero, the rest is unrecovered.
select public.record_checkout(tests.get_user_id('bob'), 'pack_5', 'stripe', 'cs_test_r2');
select public.complete_checkout('evt_r2_paid', 'cs_test_r2', 500, 'usd', 'pi_r2');
select tests.act_as('bob');
select public.deduct_credits(4, 'an interview');
select tests.act_as_service_role();
select results_eq($$ select (r ->> 'credits_reversed')::int, (r ->> 'credits_unrecovered')::int, r ->> 'status'
                       from (select public.refund_payment('evt_r2_full', 'pi_r2', 500) as r) x $$,
  $$ values (1, 4, 'refunded'::text) $$, 'only the unspent credit is taken back; 4 are recorded as unrecovered');
select is(tests.balance_of('bob'), 0, 'the balance stops at zero');

-- carol: the refund arrives BEFORE the completion.
select public.record_checkout(tests.get_user_id('carol'), 'pack_5', 'stripe', 'cs_test_r3');
select is(public.refund_payment('evt_r3_refund', 'pi_r3', 500) ->> 'status', 'deferred', 'an early refund is deferred');
select tests.reset_role();
select is((select amount_refunded_cents from billing.early_refunds where payment_ref = 'pi_r3'), 500, 'and kept for later');
select tests.act_as_service_role();
select is(public.complete_checkout('evt_r3_paid', 'cs_test_r3', 500, 'usd', 'pi_r3') ->> 'status', 'refunded',
  'when the completion lands, the early refund is applied at once');
select is(tests.balance_of('carol'), 0, 'carol ends with nothing from a refunded purchase');
select results_eq($$ select delta, kind from public.credit_ledger where user_id = tests.get_user_id('carol') order by id $$,
  $$ values (5, 'purchase'::text), (-5, 'reversal'::text) $$, 'the ledger shows the purchase and its reversal');
select tests.reset_role();
select isnt((select applied_at from billing.early_refunds where payment_ref = 'pi_r3'), null, 'the early refund is marked applied');
select tests.act_as_service_role();
select is((public.complete_checkout('evt_r3_paid_again', 'cs_test_r3', 500, 'usd', 'pi_r3') ->> 'credited')::int, 0,
  'a later completion event credits nothing');

select throws_ok($$ select public.refund_payment('evt_bad', 'pi_r1', 0) $$, '22023', 'invalid_amount_refunded',
  'a zero refund amount is refused');

select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds');

select * from finish();
rollback;
