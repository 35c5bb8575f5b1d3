-- record_checkout: a pending payment priced from the plan, once per provider session.
begin;
select plan(11);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.act_as_service_role();

select is(
  (select public.record_checkout(tests.get_user_id('alice'), 'pack_10', 'local', 'cs_local_rec1') - 'payment_id' - 'user_id'),
  '{"status": "pending", "credits": 10, "plan_id": "pack_10", "team_id": null, "currency": "usd", "replayed": false, "amount_cents": 900,
    "failure_reason": null, "credits_reversed": 0, "credits_unrecovered": 0, "amount_refunded_cents": 0}'::jsonb,
  'a checkout becomes a pending payment with the plan''s credits and price');
select is((select status from public.payments where provider_session_id = 'cs_local_rec1'), 'pending', 'the row is pending');
select is((public.record_checkout(tests.get_user_id('alice'), 'pack_10', 'local', 'cs_local_rec1') ->> 'replayed')::boolean, true,
  'recording the same session again is a replay');
select is((select count(*)::int from public.payments where provider_session_id = 'cs_local_rec1'), 1, 'still one payment');

select throws_ok($$ select public.record_checkout(tests.get_user_id('bob'), 'pack_10', 'local', 'cs_local_rec1') $$,
  'PT409', 'provider_session_reused', 'the same session for another buyer is refused');
select throws_ok($$ select public.record_checkout(tests.get_user_id('alice'), 'pack_999', 'local', 'cs_local_rec2') $$,
  '22023', 'unknown_plan', 'an unknown plan is refused');
select tests.reset_role();
update public.plans set active = false where id = 'tier_business';
select tests.act_as_service_role();
select throws_ok($$ select public.record_checkout(tests.get_user_id('alice'), 'tier_business', 'local', 'cs_local_rec3') $$,
  '22023', 'unknown_plan', 'an inactive plan cannot be bought');
select throws_ok($$ select public.record_checkout('00000000-0000-4000-8000-00000000dead', 'pack_5', 'local', 'cs_local_rec4') $$,
  '22023', 'unknown_user', 'an unknown buyer is refused');
select throws_ok($$ select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'paypal', 'cs_local_rec5') $$,
  '22023', 'invalid_provider', 'an unknown provider is refused');
select throws_ok($$ select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'local', '') $$,
  '22023', 'invalid_provider_session_id', 'an empty session id is refused');
select is((select count(*)::int from public.payments where provider_session_id like 'cs_local_rec%'), 1,
  'refused checkouts recorded nothing');

select * from finish();
rollback;
