-- fail_checkout: an expired or failed checkout marks its pending payment failed, once.
begin;
select plan(9);

select tests.create_user('alice');
select tests.act_as_service_role();
select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'stripe', 'cs_test_exp');

select is(public.fail_checkout('evt_exp', 'cs_test_exp', 'expired') ->> 'status', 'failed', 'an expired checkout fails its payment');
select matches((select failure_reason from public.payments where provider_session_id = 'cs_test_exp'), '^checkout_expired',
  'with the reason for support');
select is(public.fail_checkout('evt_exp', 'cs_test_exp', 'expired') ->> 'replayed', 'true', 'the same event again is a replay');
select is((public.complete_checkout('evt_exp_paid', 'cs_test_exp', 500, 'usd', 'pi_exp') ->> 'credited')::int, 0,
  'a completion after the expiry credits nothing');
select is(tests.balance_of('alice'), 0, 'the balance is untouched');

select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'stripe', 'cs_test_paid_first');
select public.complete_checkout('evt_pf_paid', 'cs_test_paid_first', 500, 'usd', 'pi_pf');
select is(public.fail_checkout('evt_pf_exp', 'cs_test_paid_first', 'async_payment_failed') ->> 'status', 'paid',
  'a paid payment is not failed by a late failure notice');
select is(public.fail_checkout('evt_nobody', 'cs_test_nobody', 'expired') ->> 'status', 'unknown_session',
  'an unknown session is recorded as unknown');
select throws_ok($$ select public.fail_checkout('evt_bad', 'cs_test_exp', 'bored') $$, '22023', 'invalid_reason',
  'only the known reasons are accepted');

select tests.act_as('alice');
select throws_ok($$ select public.fail_checkout('evt_mine', 'cs_test_paid_first', 'expired') $$, '42501', null,
  'a signed-in user cannot fail a checkout');

select * from finish();
rollback;
