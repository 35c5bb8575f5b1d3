-- Low-balance alerts of a team wallet: owners and admins set the threshold (members may not), a
-- crossing mails every owner (not the admins or members) once, and every member's tab hears it
-- on the team's topic.
begin;
select plan(6);

select tests.create_user('bt_owner'), tests.create_user('bt_owner2'), tests.create_user('bt_admin'), tests.create_user('bt_member');
select tests.create_team('bt_owner', 'Alerting team') as team \gset
select tests.add_member(:'team', 'bt_owner2', 'owner');
select tests.add_member(:'team', 'bt_admin', 'admin');
select tests.add_member(:'team', 'bt_member', 'member');
select tests.give_wallet_credits(:'team', 10);

select tests.act_as('bt_member');
select throws_ok(format($$ select public.set_low_balance_alert(5, %L) $$, :'team'), '42501', 'not_team_admin',
  'a member cannot set the team''s threshold');
select tests.act_as('bt_admin');
select is((public.set_low_balance_alert(5, :'team') ->> 'low_balance_threshold')::int, 5, 'an admin can');
select tests.act_as('bt_member');
select is((public.billing_summary(:'team') ->> 'low_balance_threshold')::int, 5, 'members read it with the team''s balance');

select public.deduct_credits(6, null, null, :'team');
select tests.reset_role();
select is(
  (select array_agg(o.to_address order by o.to_address) from billing.email_outbox o
    where o.template = 'low_balance' and o.params ->> 'team_id' = :'team'),
  array['bt_owner2@tests.local', 'bt_owner@tests.local'],
  'the member''s spend that crossed mails each owner once, nobody else');
select is(
  (select array_agg(distinct o.params ->> 'workspace') from billing.email_outbox o where o.params ->> 'team_id' = :'team'),
  array['Alerting team'], 'naming the team');
select is((select count(*)::int from realtime.messages m where m.event = 'low_balance' and m.topic = 'balance:' || :'team'), 1,
  'one low_balance message on the team''s topic');

select * from finish();
rollback;
