-- A limit change reaches the open tabs it concerns, as the balance does: set_member_limit tells the
-- member on their own topic (balance:<user id>), set_team_limit tells every member on the team's
-- (balance:<team id>); each event `limits` {team_id}, which the SPA answers by re-reading the
-- workspace's summary (its limits). Nothing is sent when the change is refused.
begin;
select plan(5);

select tests.create_user('ll_owner'), tests.create_user('ll_member');
select tests.create_team('ll_owner', 'Live limits') as team \gset
select tests.add_member(:'team', 'll_member');

-- The topics are this file's own users' and team's, so every `limits` message on them is ours.
create function pg_temp.limits_sent() returns int language sql as $$
  select count(*)::int from realtime.messages m
   where m.event = 'limits'
     and m.topic in ('balance:' || tests.get_user_id('ll_member'), 'balance:' || tests.get_user_id('ll_owner'),
                     'balance:' || (select t.id from public.teams t where t.name = 'Live limits')) $$;

select tests.act_as('ll_owner');
select public.set_member_limit(:'team', tests.get_user_id('ll_member'), 5);
select tests.reset_role();
select is(
  (select array_agg(m.payload ->> 'team_id') from realtime.messages m
    where m.event = 'limits' and m.topic = 'balance:' || tests.get_user_id('ll_member')),
  array[:'team'], 'a member''s new limit is sent to them, naming the team');
select ok((select bool_and(m.private) from realtime.messages m where m.event = 'limits' and m.topic = 'balance:' || tests.get_user_id('ll_member')),
  'on a private topic');

select tests.act_as('ll_owner');
select public.set_team_limit(:'team', 40);
select tests.reset_role();
select is(
  (select count(*)::int from realtime.messages m
    where m.event = 'limits' and m.topic = 'balance:' || :'team'),
  1, 'the team''s new limit is sent on the team''s topic (every member''s open tab hears it)');

select pg_temp.limits_sent() as before \gset
select tests.act_as('ll_member');
select throws_ok(format($$ select public.set_team_limit(%L, 1) $$, :'team'), '42501', 'not_team_owner', 'a member cannot set it');
select tests.reset_role();
select is(pg_temp.limits_sent(), :before,
  'a refused change sends nothing');

select * from finish();
rollback;
