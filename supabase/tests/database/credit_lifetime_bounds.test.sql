-- How long credits may last is set by support (the sign-up grant, a plan) or by the caller
-- (add_credits, support_adjust_credits). A lifetime so long that "now + lifetime" leaves the
-- timestamp range would make every sign-up, or every paid checkout of that plan, fail with
-- 22008 for good (money taken, no credits); an expiry of 'infinity' is "never" spelled in a way
-- the billing page cannot show as a date (null says never). Both are refused where they are set.
begin;
select plan(9);

select tests.create_user('bounded');

-- The sign-up grant.
select throws_ok($$ update billing.signup_grant set credits = 5, expires_after = interval '300000 years' $$,
  '23514', null, 'the sign-up grant cannot last longer than 100 years (now + it would leave the timestamp range)');
update billing.signup_grant set credits = 5, expires_after = interval '100 years';
select lives_ok($$ select tests.create_user('welcomed_for_a_century') $$, 'the longest lifetime allowed still lets recruiters sign up');
select is((select remaining from public.credit_lots where user_id = tests.get_user_id('welcomed_for_a_century')), 5,
  'and gives them the grant');
update billing.signup_grant set credits = 0;

-- Plans, and the lifetime a payment copied from its plan at checkout.
select throws_ok($$ update public.plans set credits_expire_after = interval '300000 years' where id = 'tier_starter' $$,
  '23514', null, 'a plan''s credits cannot last longer than 100 years (a paid checkout would fail for good)');
select throws_ok($$ update public.payments set credits_expire_after = interval '300000 years'
                     where id = (select id from public.payments limit 1) $$,
  '23514', null, 'nor the lifetime a payment copied from its plan');
select public.record_checkout(tests.get_user_id('bounded'), 'tier_starter', 'stripe', 'cs_bounded');
select is(public.complete_checkout('evt_bounded', 'cs_bounded', 2000, 'usd', 'pi_bounded') ->> 'credited', '25',
  'so a paid checkout of the plan credits its lot');

-- Expiries given by the caller.
select tests.act_as_service_role();
select throws_ok(format($$ select public.add_credits(%L, 1, 'grant', 'x', null, null, 'infinity') $$, tests.get_user_id('bounded')),
  '22023', 'invalid_expires_at', 'add_credits refuses expires_at infinity (null means never)');
select tests.reset_role();
select throws_ok(format($$ select billing.support_adjust_credits(%L, 1, 'x', 'SUP-1', 'infinity') $$, tests.get_user_id('bounded')),
  '22023', 'invalid_expires_at', 'support_adjust_credits refuses p_expires_at infinity');

select is_empty($$ select * from tests.ledger_violations() $$, 'the invariant holds');

select * from finish();
rollback;
