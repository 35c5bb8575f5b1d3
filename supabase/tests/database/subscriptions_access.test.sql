-- Who may do what with subscriptions: the checkout records one live subscription per wallet
-- (team ones by owners and admins only), the buyer or the team's members read it, an outsider
-- sees nothing, and nobody writes subscriptions or reads billing customers through the API.
begin;
select plan(24);

select tests.create_user(n) from unnest(array['acc_buyer', 'acc_outsider', 'acc_owner', 'acc_member']) n;
select tests.create_team('acc_owner', 'Acc team') as team_id \gset
select tests.add_member(:'team_id', 'acc_member', 'member');

-- Plans say their terms, and only subscription plans have them.
select throws_ok($$ insert into public.plans (id, name, kind, credits, price_cents) values ('sub_bad', 'Bad', 'subscription', 10, 100) $$,
  '23514', null, 'a subscription plan needs a billing interval and a period end policy');
select throws_ok($$ insert into public.plans (id, name, kind, credits, price_cents, billing_interval, period_end_policy, rollover_cap, rollover_expires_after)
                    values ('sub_bad', 'Bad', 'subscription', 10, 100, 'month', 'expire', 5, interval '1 month') $$,
  '23514', null, 'a rollover cap only with the rollover policy');
select is((select array_agg(id order by id) from public.plans where kind = 'subscription'),
  array['sub_pro_monthly', 'sub_pro_yearly', 'sub_starter_monthly'], 'the catalogue has the three subscription plans');

-- The checkout: a subscription plan cannot be bought as a one-off pack.
select throws_ok(format($$ select public.record_checkout(%L, 'sub_pro_monthly', 'stripe', 'cs_pack_of_sub') $$, tests.get_user_id('acc_buyer')),
  '22023', 'plan_is_subscription', 'a one-off checkout of a subscription plan is refused');
select throws_ok(format($$ select public.record_subscription_checkout(%L, null, 'pack_5', 'stripe', 'cs_a') $$, tests.get_user_id('acc_buyer')),
  '22023', 'plan_not_subscription', 'a pack is not a subscription');
select throws_ok(format($$ select public.record_subscription_checkout(%L, null, 'nope', 'stripe', 'cs_a') $$, tests.get_user_id('acc_buyer')),
  '22023', 'unknown_plan', 'an unknown plan is refused');
select is(public.record_subscription_checkout(tests.get_user_id('acc_buyer'), null, 'sub_starter_monthly', 'stripe', 'cs_a') ->> 'replayed',
  'false', 'the buyer''s checkout is recorded');
select is(public.record_subscription_checkout(tests.get_user_id('acc_buyer'), null, 'sub_starter_monthly', 'stripe', 'cs_a') ->> 'replayed',
  'true', 'recording the same session again is a replay');
select throws_ok(format($$ select public.record_subscription_checkout(%L, null, 'sub_pro_monthly', 'stripe', 'cs_a') $$, tests.get_user_id('acc_buyer')),
  'PT409', 'provider_session_reused', 'the same session for another plan is refused');
select is(public.record_subscription_checkout(tests.get_user_id('acc_buyer'), null, 'sub_pro_monthly', 'stripe', 'cs_b') ->> 'status',
  'incomplete', 'a new checkout while the first is still open replaces it');
select is((select status from public.subscriptions where checkout_session_id = 'cs_a'), 'incomplete_expired',
  'the abandoned checkout is closed');
select public.apply_subscription_event('evt_acc_1', 'customer.subscription.created', jsonb_build_object(
  'subscription_id', 'sub_acc', 'status', 'active', 'lookup_key', 'sub_pro_monthly', 'checkout_session_id', 'cs_b',
  'user_id', tests.get_user_id('acc_buyer'), 'customer_id', 'cus_acc', 'current_period_start', now(),
  'current_period_end', now() + interval '1 month', 'event_created', 1000));
select throws_ok(format($$ select public.record_subscription_checkout(%L, null, 'sub_pro_yearly', 'stripe', 'cs_c') $$, tests.get_user_id('acc_buyer')),
  'PT409', 'subscription_exists', 'a wallet with a live subscription cannot start another');
select is((select provider_customer_id from public.billing_customers where wallet_id = tests.get_user_id('acc_buyer')), 'cus_acc',
  'the subscription''s customer is recorded for the wallet');

-- A second subscription in the same wallet (two checkouts completed in two tabs): not recorded
-- as a subscription, but the money it took is credited.
select is(public.apply_subscription_event('evt_acc_2', 'customer.subscription.created', jsonb_build_object(
    'subscription_id', 'sub_acc2', 'status', 'active', 'lookup_key', 'sub_starter_monthly',
    'user_id', tests.get_user_id('acc_buyer'), 'event_created', 1000)) ->> 'status',
  'another_subscription_live', 'a second live subscription in a wallet is refused (recorded, for support to cancel)');
select results_eq(format($$ select r ->> 'status', r ->> 'credited', r ->> 'subscription_status' from public.apply_invoice_paid('evt_acc_2i',
    jsonb_build_object('invoice_id', 'in_acc2', 'subscription_id', 'sub_acc2', 'amount_paid', 2500, 'currency', 'usd',
      'lookup_key', 'sub_starter_monthly', 'user_id', %L::uuid, 'period_end', now() + interval '1 month', 'event_created', 1001)) r $$,
    tests.get_user_id('acc_buyer')),
  $$ values ('paid', '30', 'another_subscription_live') $$,
  'but its paid invoice still credits the wallet');

-- The API: callers of the service functions, readers of the rows.
select tests.act_as('acc_buyer');
select throws_ok(format($$ select public.record_subscription_checkout(%L, null, 'sub_pro_yearly', 'stripe', 'cs_d') $$, tests.get_user_id('acc_buyer')),
  '42501', null, 'a signed-in user cannot call the service functions');
select is((select count(*)::integer from public.subscriptions), 2, 'the buyer reads their rows: the subscription and the closed checkout');
select throws_ok($$ select * from public.billing_customers $$, '42501', null, 'billing customers are not readable through the API');
select is(public.subscription_status() ->> 'plan_id', 'sub_pro_monthly', 'subscription_status shows the buyer''s plan');
select tests.act_as('acc_outsider');
select is_empty($$ select * from public.subscriptions $$, 'an outsider sees no subscription');
select throws_ok(format($$ select public.subscription_status(%L) $$, :'team_id'), '42501', 'not_team_member',
  'an outsider cannot read a team''s subscription');
select is(public.subscription_status(), null, 'no subscription: subscription_status is null');

-- A team member reads the team's subscription but cannot manage it.
select tests.reset_role();
select public.apply_subscription_event('evt_acc_t', 'customer.subscription.created', jsonb_build_object(
  'subscription_id', 'sub_acc_t', 'status', 'active', 'lookup_key', 'sub_starter_monthly',
  'user_id', tests.get_user_id('acc_owner'), 'team_id', :'team_id', 'current_period_start', now(),
  'current_period_end', now() + interval '1 month', 'event_created', 1000));
select tests.act_as('acc_owner');
select throws_ok(format($$ select public.delete_team(%L) $$, :'team_id'), 'PT409', 'team_has_subscription',
  'a subscribed team cannot be deleted (it would go on being charged)');
select tests.act_as('acc_member');
select results_eq(
  format($$ select (select count(*)::integer from public.subscriptions), s ->> 'plan_id', (s ->> 'can_manage')::boolean
              from public.subscription_status(%L) s $$, :'team_id'),
  $$ values (1, 'sub_starter_monthly', false) $$,
  'a member reads the team''s subscription (and only it), without the right to manage it');

select * from finish();
rollback;
