-- billing_summary(): the billing page's numbers for the signed-in user only.
begin;
select plan(10);

select tests.create_user('alice');
select tests.create_user('bob');

select tests.act_as('alice');
select is(public.billing_summary(),
  '{"balance": 0, "total_purchased": 0, "total_spent": 0, "total_refunded": 0, "interviews_created": 0, "recent": []}'::jsonb,
  'a new user has an empty summary');

select tests.act_as_service_role();
select public.add_credits(tests.get_user_id('alice'), 25, 'purchase', 'Starter');
select public.add_credits(tests.get_user_id('alice'), 2, 'grant', 'Welcome');
select public.add_credits(tests.get_user_id('bob'), 7, 'purchase', 'pack');
select tests.act_as('alice');
select public.create_interview('Dev', null, 60) ->> 'interview_id' as iv \gset
select public.cancel_interview(:'iv');
select public.create_interview('Ops', null, 30);
select public.deduct_credits(3, 'extra');

select is(public.billing_summary() - 'recent',
  '{"balance": 23, "total_purchased": 25, "total_spent": 6, "total_refunded": 2, "interviews_created": 2}'::jsonb,
  'balance, totals and interview count add up');
select is(jsonb_array_length(public.billing_summary() -> 'recent'), 6, 'recent lists alice''s 6 ledger rows');
select is(public.billing_summary() #>> '{recent,0,reason}', 'extra', 'newest first');
select is(public.billing_summary() #>> '{recent,5,kind}', 'purchase', 'oldest last');
select is((select array_agg(k order by k) from jsonb_object_keys(public.billing_summary() #> '{recent,0}') k),
  array['balance_after', 'created_at', 'delta', 'id', 'interview_id', 'kind', 'payment_id', 'reason', 'reference'],
  'a recent row has the documented fields');

select tests.reset_role();
select tests.give_credits('alice', 1) from generate_series(1, 25);
select tests.act_as('alice');
select is(jsonb_array_length(public.billing_summary() -> 'recent'), 20, 'recent is capped at 20 rows');

select tests.act_as('bob');
select is(public.billing_summary() - 'recent',
  '{"balance": 7, "total_purchased": 7, "total_spent": 0, "total_refunded": 0, "interviews_created": 0}'::jsonb,
  'bob sees only his own numbers');

select tests.act_as_anon();
select throws_ok($$ select public.billing_summary() $$, '42501', null, 'anon has no summary');
select tests.act_as_service_role();
select throws_ok($$ select public.billing_summary() $$, '42501', null, 'service_role has no summary of its own');

select * from finish();
rollback;
