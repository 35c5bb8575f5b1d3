-- Issue 20 as an attacker: the new functions authenticated users may call refuse bad inputs,
-- outsiders, removed members and deleted teams with the contract's codes and change nothing; the
-- new tables show nothing to anon / outsiders / removed members and take no writes through the
-- API roles; and a deleted team's auto top-up never charges its card.
begin;
select plan(25);

select tests.create_user('atk_owner');
select tests.create_user('atk_outsider');
select tests.create_user('atk_removed');
create temp table atk (team_id uuid);
insert into atk select tests.create_team('atk_owner', 'Attacked team');
grant select on atk to authenticated, anon, service_role;
select tests.add_member((select team_id from atk), 'atk_removed', 'admin');
insert into public.billing_customers (wallet_id, provider, provider_customer_id, default_payment_method)
values ((select team_id from atk), 'local', 'cus_local_atk', 'pm_card_visa');
select tests.act_as('atk_owner');
select public.set_low_balance_alert(5, (select team_id from atk));
select public.set_auto_topup(20, 'pack_10', 5000, (select team_id from atk));
select tests.reset_role();
delete from public.team_members where team_id = (select team_id from atk) and user_id = tests.get_user_id('atk_removed');
-- The request set_auto_topup queued (the balance, 0, is below 20) is done: this file starts clean.
update billing.topup_requests set status = 'skipped', finished_at = now() where wallet_id = (select team_id from atk);
-- A subscription of the team the readers must not see.
insert into public.subscriptions (user_id, team_id, provider, provider_subscription_id, plan_id, status)
values (tests.get_user_id('atk_owner'), (select team_id from atk), 'local', 'sub_local_atk', 'sub_pro_monthly', 'active');

create function pg_temp.code(p_sql text) returns text language sql as $$
  select e ->> 'code' || ' ' || (e ->> 'message') from tests.error_of(p_sql) e $$;
create function pg_temp.settings() returns text language sql security definer as $$
  select s.status || ':' || s.threshold || ':' || s.plan_id || ':' || s.monthly_cap_cents || ':' || t.low_balance_threshold
    from public.auto_topup_settings s join public.teams t on t.id = s.wallet_id
   where s.wallet_id = (select team_id from atk) $$;

-- Bad inputs from the owner: 22023 with a stable code, nothing changes.
select tests.act_as('atk_owner');
select is(pg_temp.code($$ select public.set_auto_topup(-1, 'pack_10', 5000, (select team_id from atk)) $$),
  '22023 invalid_threshold', 'a negative threshold is refused');
select is(pg_temp.code($$ select public.set_auto_topup(2147483647, 'pack_10', 5000, (select team_id from atk)) $$),
  '22023 invalid_threshold', 'a huge threshold is refused');
select is(pg_temp.code($$ select public.set_auto_topup(5, 'sub_pro_monthly', 100000, (select team_id from atk)) $$),
  '22023 invalid_plan_id', 'a subscription plan is not a top-up pack');
select is(pg_temp.code($$ select public.set_auto_topup(5, 'tier_pro', 100000, (select team_id from atk)) $$),
  '22023 invalid_plan_id', 'nor is a tier');
select is(pg_temp.code($$ select public.set_auto_topup(5, null, 100000, (select team_id from atk)) $$),
  '22023 unknown_plan', 'a null plan is unknown');
select is(pg_temp.code($$ select public.set_auto_topup(5, 'pack_10', -900, (select team_id from atk)) $$),
  '22023 invalid_monthly_cap_cents', 'a negative cap is refused');
select is(pg_temp.code($$ select public.set_auto_topup(5, 'pack_10', 2147483647, (select team_id from atk)) $$),
  '22023 invalid_monthly_cap_cents', 'a huge cap is refused');
select is(pg_temp.code($$ select public.set_low_balance_alert(0, (select team_id from atk)) $$),
  '22023 invalid_threshold', 'a zero alert threshold is refused');
select is(pg_temp.code($$ select public.set_low_balance_alert(2147483647, (select team_id from atk)) $$),
  '22023 invalid_threshold', 'a huge alert threshold is refused');
select is(pg_temp.settings(), 'on:20:pack_10:5000:5', 'none of them changed the settings');

-- Outsiders and removed members: 42501 on every new function, on a team id or a random one.
select tests.act_as('atk_removed');
select is(pg_temp.code($$ select public.set_auto_topup(1, 'pack_5', 500, (select team_id from atk)) $$)
  || ' / ' || pg_temp.code($$ select public.disable_auto_topup((select team_id from atk)) $$)
  || ' / ' || pg_temp.code($$ select public.auto_topup_status((select team_id from atk)) $$)
  || ' / ' || pg_temp.code($$ select public.set_low_balance_alert(1, (select team_id from atk)) $$)
  || ' / ' || pg_temp.code($$ select public.subscription_status((select team_id from atk)) $$),
  '42501 not_team_member / 42501 not_team_member / 42501 not_team_member / 42501 not_team_member / 42501 not_team_member',
  'a removed admin can neither set, disable, read auto top-up, set the alert nor read the subscription');
select tests.act_as('atk_outsider');
select is(pg_temp.code($$ select public.disable_auto_topup((select team_id from atk)) $$)
  || ' / ' || pg_temp.code($$ select public.set_auto_topup(1, 'pack_5', 500, tests.get_user_id('atk_owner')) $$)
  || ' / ' || pg_temp.code($$ select public.subscription_status(gen_random_uuid()) $$),
  '42501 not_team_member / 42501 not_team_member / 42501 not_team_member',
  'an outsider gets 42501 on the team, on another recruiter''s id passed as a team, and on a random id');
select tests.reset_role();
select is(pg_temp.settings(), 'on:20:pack_10:5000:5', 'nothing changed');

-- The new tables through the API roles: reads show nothing to the wrong people, writes fail.
select tests.act_as('atk_removed');
select is((select count(*)::integer from public.subscriptions), 0, 'a removed member reads no subscription of the team');
select tests.act_as('atk_outsider');
select is((select count(*)::integer from public.subscriptions), 0, 'an outsider reads none');
select tests.act_as_anon();
select is(pg_temp.code($$ select count(*) from public.subscriptions $$), '42501 permission denied for table subscriptions',
  'anon cannot read subscriptions at all');
select tests.act_as('atk_owner');
select is((select count(*)::integer from public.subscriptions), 1, 'the team''s owner reads it');
select is(
  pg_temp.code($$ update public.subscriptions set status = 'canceled' $$) || ' / '
  || pg_temp.code($$ insert into public.subscriptions (user_id, provider, plan_id, status) values (auth.uid(), 'local', 'sub_pro_monthly', 'active') $$) || ' / '
  || pg_temp.code($$ select count(*) from public.billing_customers $$) || ' / '
  || pg_temp.code($$ select count(*) from public.auto_topup_settings $$) || ' / '
  || pg_temp.code($$ update public.auto_topup_settings set monthly_cap_cents = 100000000 $$) || ' / '
  || pg_temp.code($$ select count(*) from billing.topup_requests $$) || ' / '
  || pg_temp.code($$ select count(*) from billing.low_balance_alerts $$) || ' / '
  || pg_temp.code($$ select count(*) from billing.expiry_reminders $$),
  '42501 permission denied for table subscriptions / 42501 permission denied for table subscriptions / '
  || '42501 permission denied for table billing_customers / 42501 permission denied for table auto_topup_settings / '
  || '42501 permission denied for table auto_topup_settings / 42501 permission denied for schema billing / '
  || '42501 permission denied for schema billing / 42501 permission denied for schema billing',
  'even the owner writes nothing through the API and reads no card, setting, request, alert or reminder');
select tests.reset_role();

-- A deleted team: its auto top-up stops with it, so nothing charges its card afterwards.
delete from public.subscriptions where provider_subscription_id = 'sub_local_atk';
select tests.give_wallet_credits((select team_id from atk), 25);
select tests.act_as('atk_owner');
select public.deduct_credits(25, 'empties the team', team_id => (select team_id from atk));
select tests.act_as_service_role();
create temp table atk_claim as select * from public.claim_topup_requests(10);
select tests.act_as('atk_owner');
select is(pg_temp.code($$ select public.delete_team((select team_id from atk)) $$), 'PT409 team_topup_in_flight',
  'a team whose top-up is being charged cannot be deleted until it is settled');
select tests.act_as_service_role();
select public.settle_auto_topup((select request_id from atk_claim), 'declined', 'pi_atk', detail => 'test');
select tests.act_as('atk_owner');
select public.set_auto_topup(20, 'pack_10', 5000, (select team_id from atk));
select is(pg_temp.code($$ select public.delete_team((select team_id from atk)) $$), null,
  'with only a queued top-up the team can be deleted');
select tests.reset_role();
select is((select status from public.auto_topup_settings where wallet_id = (select team_id from atk))
  || ':' || coalesce((select auto_topup_threshold::text from public.teams where id = (select team_id from atk)), 'null'),
  'off:null', 'deleting the team turns its auto top-up off');
select tests.act_as_service_role();
select is((select count(*)::integer from public.claim_topup_requests(10)), 0, 'and its queued top-up is never charged');
select tests.act_as('atk_owner');
select is(pg_temp.code($$ select public.set_auto_topup(20, 'pack_10', 5000, (select team_id from atk)) $$),
  '42501 not_team_member', 'nor can it be turned on again');

-- A set_auto_topup that passed its role check just before the deletion committed would turn it
-- back on: the claim still never charges a deleted team (simulated by writing it on again).
select tests.reset_role();
update public.auto_topup_settings set status = 'on' where wallet_id = (select team_id from atk);
update public.teams set auto_topup_threshold = 20 where id = (select team_id from atk);
insert into billing.topup_requests (wallet_id, cause, balance_at_request) values ((select team_id from atk), 'enabled', 0);
select tests.act_as_service_role();
select is((select count(*)::integer from public.claim_topup_requests(10)), 0, 'a claim never charges a deleted team''s card');
select tests.reset_role();
select is((select status from public.auto_topup_settings where wallet_id = (select team_id from atk))
  || ':' || (select count(*) from billing.topup_requests r where r.wallet_id = (select team_id from atk) and r.status in ('queued', 'charging'))
  || ':' || (select count(*) from billing.topup_requests r where r.wallet_id = (select team_id from atk) and r.outcome = 'the team was deleted'),
  'off:0:2', 'it skips the request (as the deletion skipped the first) and turns the deleted team''s auto top-up off');

select * from finish();
rollback;
