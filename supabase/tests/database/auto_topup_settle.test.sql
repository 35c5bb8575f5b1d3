-- Auto top-up, the charge side: a claim records a pending payment; success credits once even when
-- both the function and the webhook report it; a decline (or a required authentication) stops
-- auto top-up and mails the owner instead of retrying; the monthly cap stops it and says so.
begin;
select plan(17);

select tests.create_user('settle_bo');
select tests.give_credits('settle_bo', 12);
insert into public.billing_customers (wallet_id, provider, provider_customer_id, default_payment_method)
values (tests.get_user_id('settle_bo'), 'local', 'cus_local_bo', 'pm_card_visa');
select tests.act_as('settle_bo');
select public.set_auto_topup(10, 'pack_5', 1000);
select public.deduct_credits(3, 'crosses');

select tests.act_as('settle_bo');
select throws_ok($$ select * from public.claim_topup_requests(10) $$, '42501', null, 'only the service role claims top-ups');

select tests.act_as_service_role();
create temporary table claimed on commit drop as select * from public.claim_topup_requests(10);
select tests.reset_role();
select is((select count(*) from claimed where wallet_id = tests.get_user_id('settle_bo')), 1::bigint, 'the crossing''s request is claimed');
select is((select p.status || ':' || p.purpose || ':' || p.amount_cents || ':' || (p.provider_session_id = 'topup:' || c.request_id)
             from claimed c join public.payments p on p.id = c.payment_id where c.wallet_id = tests.get_user_id('settle_bo')),
  'pending:auto_topup:500:true', 'a pending auto_topup payment named topup:<request id>');
select is((select payment_method || ':' || customer_id from claimed where wallet_id = tests.get_user_id('settle_bo')), 'pm_card_visa:cus_local_bo',
  'the claim says which saved card to charge');

-- The function reports the success, then the webhook reports it again (and is redelivered).
select tests.act_as_service_role();
select is((public.settle_auto_topup((select request_id from claimed where wallet_id = tests.get_user_id('settle_bo')),
             'succeeded', 'pi_local_bo1', 500, 'usd') ->> 'credited')::int, 5, 'the function''s report credits the pack');
select is((public.settle_auto_topup((select request_id from claimed where wallet_id = tests.get_user_id('settle_bo')),
             'succeeded', 'pi_local_bo1', 500, 'usd', null, 'evt_bo_1', 'payment_intent.succeeded') ->> 'credited')::int, 0,
  'the webhook''s report of the same charge credits nothing');
select is((public.settle_auto_topup((select request_id from claimed where wallet_id = tests.get_user_id('settle_bo')),
             'succeeded', 'pi_local_bo1', 500, 'usd', null, 'evt_bo_1', 'payment_intent.succeeded') ->> 'replayed')::boolean, true,
  'a redelivered event replays');
select tests.reset_role();
select is(tests.balance_of('settle_bo'), 14, 'credited once: 9 + 5');
select is((select count(*) from public.credit_ledger g join public.payments p on p.id = g.payment_id
            where p.wallet_id = tests.get_user_id('settle_bo') and p.purpose = 'auto_topup' and g.kind = 'purchase'), 1::bigint,
  'one purchase row for the top-up');

-- The next crossing is declined: stopped, mailed, never retried.
select tests.act_as('settle_bo');
select public.deduct_credits(5, 'crosses again');
select tests.act_as_service_role();
select public.settle_auto_topup(c.request_id, 'declined', 'pi_local_bo2', null, null, 'Your card was declined.')
  from public.claim_topup_requests(10) c where c.wallet_id = tests.get_user_id('settle_bo');
select tests.reset_role();
select is((select status || ':' || stopped_reason from public.auto_topup_settings where wallet_id = tests.get_user_id('settle_bo')),
  'stopped:declined', 'a decline stops auto top-up');
select is((select array_agg(template || ':' || to_address) from billing.email_outbox where to_address = 'settle_bo@tests.local'),
  array['auto_topup_declined:settle_bo@tests.local'], 'the owner is mailed once');
select tests.give_credits('settle_bo', 10);
select tests.act_as('settle_bo');
select public.deduct_credits(12, 'would cross');
select tests.reset_role();
select is((select count(*) from billing.topup_requests where wallet_id = tests.get_user_id('settle_bo') and status in ('queued', 'charging')), 0::bigint,
  'stopped: a later crossing starts nothing');

-- The cap: 1000 per month, 500 charged already; turned on again, the next 500 fits, the one after does not.
select tests.act_as('settle_bo');
select public.set_auto_topup(10, 'pack_5', 1000);
select tests.act_as_service_role();
select public.settle_auto_topup(c.request_id, 'succeeded', 'pi_local_bo3', 500, 'usd') from public.claim_topup_requests(10) c
 where c.wallet_id = tests.get_user_id('settle_bo');
select tests.act_as('settle_bo');
select public.deduct_credits(tests.balance_of('settle_bo') - 9, 'crosses a third time');
select tests.act_as_service_role();
select is((select count(*) from public.claim_topup_requests(10) c where c.wallet_id = tests.get_user_id('settle_bo')), 0::bigint,
  'a top-up past the monthly cap is not charged');
select tests.reset_role();
select is((select status || ':' || stopped_reason || ':' || (select template from billing.email_outbox o
             where o.to_address = 'settle_bo@tests.local' order by created_at desc, template limit 1)
             from public.auto_topup_settings where wallet_id = tests.get_user_id('settle_bo')),
  'stopped:monthly_cap_reached:auto_topup_cap_reached', 'the cap stops it for the month and mails the owner');

-- A new month: the cap stop ends by itself, and the wallet (still below the threshold) tops up.
update public.auto_topup_settings set stopped_at = stopped_at - interval '32 days' where wallet_id = tests.get_user_id('settle_bo');
update public.payments set created_at = created_at - interval '32 days' where wallet_id = tests.get_user_id('settle_bo');
select tests.act_as_service_role();
select is((select count(*) from public.claim_topup_requests(10) c where c.wallet_id = tests.get_user_id('settle_bo')), 1::bigint,
  'next month the cap stop ends and the top-up starts again');
select tests.reset_role();

-- A team's decline mails its owners, not the admin who set it up nor a member.
select tests.create_user('settle_owner');
select tests.create_user('settle_admin');
select tests.create_user('settle_member');
select tests.create_team('settle_owner', 'Settle team') as team \gset
select tests.add_member(:'team', 'settle_admin', 'admin');
select tests.add_member(:'team', 'settle_member', 'member');
select tests.give_wallet_credits(:'team', 12);
insert into public.billing_customers (wallet_id, provider, provider_customer_id, default_payment_method)
values (:'team', 'local', 'cus_local_settle_team', 'pm_card_chargeCustomerFail');
select tests.act_as('settle_admin');
select public.set_auto_topup(10, 'pack_5', 1000, :'team');
select tests.act_as('settle_member');
select public.deduct_credits(3, 'crosses', null, :'team');
select tests.act_as_service_role();
select public.settle_auto_topup(c.request_id, 'declined', 'pi_local_team', null, null, 'Your card was declined.')
  from public.claim_topup_requests(10) c where c.wallet_id = :'team';
select tests.reset_role();
select is((select array_agg(template || ':' || to_address order by to_address) from billing.email_outbox where to_address like 'settle\_%@tests.local'
             and params ->> 'workspace' = 'Settle team'),
  array['auto_topup_declined:settle_owner@tests.local'], 'a team''s decline mails its owner only');
select is((select user_id from public.payments where wallet_id = :'team' and purpose = 'auto_topup'), tests.get_user_id('settle_admin'),
  'the admin who set it up is the buyer of record');

select * from finish();
rollback;
