-- Auto top-up, the spend side: a change crossing the threshold queues exactly one request, spends
-- below it queue nothing more, one request at most is in flight per wallet, and who may set,
-- disable and read it (personal wallets, team owners/admins, members).
begin;
select plan(16);

select tests.create_user('topup_ann');
select tests.give_credits('topup_ann', 20);
insert into public.billing_customers (wallet_id, provider, provider_customer_id, default_payment_method)
values (tests.get_user_id('topup_ann'), 'local', 'cus_local_ann', 'pm_card_visa');

-- Read as the owner whatever role is acting (billing is not the API's).
create function pg_temp.requests(p_wallet uuid) returns bigint language sql security definer as $$
  select count(*) from billing.topup_requests where wallet_id = p_wallet $$;
create function pg_temp.request_list(p_wallet uuid, p_status text default null) returns text[] language sql security definer as $$
  select array_agg(status || ':' || cause || ':' || balance_at_request order by created_at)
    from billing.topup_requests where wallet_id = p_wallet and (p_status is null or status = p_status) $$;

select tests.act_as('topup_ann');
select is((public.set_auto_topup(10, 'pack_5', 2000) ->> 'status'), 'on', 'a recruiter turns auto top-up on');
select is((select auto_topup_threshold from public.users where id = tests.get_user_id('topup_ann')), 10,
  'the threshold is mirrored on the wallet row');
select public.deduct_credits(5, 'above');
select is(pg_temp.requests(tests.get_user_id('topup_ann')), 0::bigint, 'a spend that stays at or above the threshold queues nothing');
select public.deduct_credits(6, 'crosses');
select is(pg_temp.request_list(tests.get_user_id('topup_ann')),
  array['queued:crossing:9'], 'the spend crossing 10 queues one request');
select public.deduct_credits(2, 'below 1');
select public.deduct_credits(2, 'below 2');
select is(pg_temp.requests(tests.get_user_id('topup_ann')), 1::bigint, 'spends below the threshold queue no more');

-- The request is done; coming back above the threshold re-arms, the next crossing queues again.
select tests.reset_role();
update billing.topup_requests set status = 'skipped', finished_at = now() where wallet_id = tests.get_user_id('topup_ann');
select tests.give_credits('topup_ann', 10);
select tests.act_as('topup_ann');
select public.deduct_credits(6, 'crosses again');
select is(pg_temp.requests(tests.get_user_id('topup_ann')), 2::bigint, 'back above the threshold, the next crossing queues again');
-- In flight: a crossing while one is queued adds nothing (the unique partial index).
select tests.give_credits('topup_ann', 10);
select public.deduct_credits(6, 'crosses while queued');
select is(pg_temp.requests(tests.get_user_id('topup_ann')), 2::bigint, 'a crossing while one is queued starts no second top-up');

select is((public.disable_auto_topup() ->> 'status'), 'off', 'disable turns it off');
select ok((select auto_topup_threshold is null from public.users where id = tests.get_user_id('topup_ann'))
          and pg_temp.request_list(tests.get_user_id('topup_ann'), 'queued') is null,
  'off: the mirror is cleared and the queued top-up dropped');
-- Turning it on while below the threshold starts a top-up at once (no crossing would come).
select is((public.set_auto_topup(50, 'pack_5', 2000) -> 'in_flight')::boolean, true, 'set while below the threshold starts a top-up now');

select throws_ok($$ select public.set_auto_topup(10, 'tier_pro', 20000) $$, '22023', 'invalid_plan_id', 'only packs are bought automatically');
select throws_ok($$ select public.set_auto_topup(10, 'pack_10', 500) $$, '22023', 'invalid_monthly_cap_cents', 'the cap covers at least one pack');

-- Teams: owners/admins set, members read.
select tests.reset_role();
select tests.create_user('topup_owner');
select tests.create_user('topup_member');
select tests.create_team('topup_owner', 'Topup team') as team \gset
select tests.add_member(:'team', 'topup_member', 'member');
select tests.act_as('topup_owner');
select throws_ok(format($$ select public.set_auto_topup(10, 'pack_5', 2000, %L) $$, :'team'), 'PT409', 'no_saved_card',
  'without a saved card there is nothing to charge');
select tests.reset_role();
insert into public.billing_customers (wallet_id, provider, provider_customer_id, default_payment_method)
values (:'team', 'local', 'cus_local_team', 'pm_card_visa');
select tests.act_as('topup_owner');
select is((public.set_auto_topup(10, 'pack_5', 2000, :'team') ->> 'status'), 'on', 'a team owner sets it for the team');
select tests.act_as('topup_member');
select throws_ok(format($$ select public.set_auto_topup(10, 'pack_5', 2000, %L) $$, :'team'), '42501', 'not_team_admin',
  'a member may not set it');
select is((public.auto_topup_status(:'team') - 'last_topup_at') @> '{"status": "on", "threshold": 10, "can_manage": false}'::jsonb, true,
  'a member reads the team''s status (can_manage false)');

select * from finish();
rollback;
