-- realtime.messages policies for the live balance, checked the way Realtime checks a private
-- channel join: a probe row for the topic is written, then, as the user's role with their JWT
-- claims and realtime.topic set to the topic, Realtime SELECTs it (read) and tries an INSERT
-- (write). Own topic: may read; another user's topic, anon and an expired token: may not;
-- nobody may write. The trigger sends each committed balance change to balance:<user id>.
begin;
select plan(16);

select tests.create_user('alice');
select tests.create_user('bob');

-- Realtime's join check: role + claims (with exp) + realtime.topic, as set_conn_config does.
create function pg_temp.join_as(p_role text, p_user text, p_topic text, p_exp_offset integer default 3600)
returns void language plpgsql as $$
begin
  perform pg_catalog.set_config('role', p_role, true);
  perform pg_catalog.set_config('realtime.topic', p_topic, true);
  perform pg_catalog.set_config('request.jwt.claims', pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'sub', case when p_user is null then null else tests.get_user_id(p_user) end,
    'role', p_role,
    'exp', pg_catalog.floor(extract(epoch from pg_catalog.now())) + p_exp_offset))::text, true);
end $$;

-- A probe row per topic, written as the owner session (as Realtime does before switching role).
insert into realtime.messages (topic, extension) values
  ('balance:' || tests.get_user_id('alice'), 'broadcast'),
  ('balance:' || tests.get_user_id('bob'), 'broadcast'),
  ('balance:' || tests.get_user_id('alice'), 'presence');

select pg_temp.join_as('authenticated', 'alice', 'balance:' || tests.get_user_id('alice'));
select is((select count(*) from realtime.messages where topic = 'balance:' || tests.get_user_id('alice') and extension = 'broadcast'),
  1::bigint, 'alice may read broadcasts on her own balance topic');
select is((select count(*) from realtime.messages where topic = 'balance:' || tests.get_user_id('alice') and extension = 'presence'),
  0::bigint, 'presence on her balance topic is not granted');
select throws_ok($$ insert into realtime.messages (topic, extension, event, payload)
  values ('balance:' || tests.get_user_id('alice'), 'broadcast', 'balance', '{"credits": 1000}') $$,
  '42501', null, 'alice may not send on her own balance topic (nobody can fake a balance)');
select tests.reset_role();

select pg_temp.join_as('authenticated', 'alice', 'balance:' || tests.get_user_id('bob'));
select is((select count(*) from realtime.messages where topic = 'balance:' || tests.get_user_id('bob')),
  0::bigint, 'alice may not read bob''s balance topic');
select tests.reset_role();

select pg_temp.join_as('anon', null, 'balance:' || tests.get_user_id('alice'));
select is((select count(*) from realtime.messages where topic = 'balance:' || tests.get_user_id('alice')),
  0::bigint, 'anon may not read a balance topic');
select throws_ok($$ insert into realtime.messages (topic, extension) values ('balance:x', 'broadcast') $$,
  '42501', null, 'anon may not send on a balance topic');
select tests.reset_role();

select pg_temp.join_as('authenticated', 'alice', 'balance:' || tests.get_user_id('alice'), -5);
select is((select count(*) from realtime.messages where topic = 'balance:' || tests.get_user_id('alice')),
  0::bigint, 'an expired token may not read even its own balance topic');
select tests.reset_role();

select pg_temp.join_as('authenticated', 'alice', 'balance:' || tests.get_user_id('alice') || ':x');
select is((select count(*) from realtime.messages where topic like 'balance:%'),
  0::bigint, 'a topic that only starts with her balance topic is not hers');
select tests.reset_role();

-- A team's topic: its members read it while their token lasts; nobody sends on it.
select tests.create_team('alice', 'Topic team') as topic_team \gset
select tests.add_member(:'topic_team', 'bob');
insert into realtime.messages (topic, extension) values ('balance:' || :'topic_team', 'broadcast');
select pg_temp.join_as('authenticated', 'bob', 'balance:' || :'topic_team');
select is((select count(*) from realtime.messages where topic = 'balance:' || :'topic_team'), 1::bigint,
  'a member may read their team''s balance topic');
select throws_ok(format($$ insert into realtime.messages (topic, extension, event, payload)
  values ('balance:%s', 'broadcast', 'balance', '{"credits": 1000}') $$, :'topic_team'),
  '42501', null, 'but may not send on it (nobody can fake a team balance)');
select tests.reset_role();
select pg_temp.join_as('authenticated', 'bob', 'balance:' || :'topic_team', -5);
select is((select count(*) from realtime.messages where topic = 'balance:' || :'topic_team'), 0::bigint,
  'nor read it with an expired token');
select tests.reset_role();
delete from public.team_members where team_id = :'topic_team' and user_id = tests.get_user_id('bob');
select pg_temp.join_as('authenticated', 'bob', 'balance:' || :'topic_team');
select is((select count(*) from realtime.messages where topic = 'balance:' || :'topic_team'), 0::bigint,
  'a removed member may not read it (checked at join and at every token refresh)');
select tests.reset_role();

-- The trigger: one private message per committed balance change, with the balance the SPA shows.
delete from realtime.messages;
select tests.give_credits('alice', 7);
select results_eq($$ select topic, event, private, extension, payload ->> 'credits', payload ->> 'user_id' from realtime.messages $$,
  $$ values ('balance:' || tests.get_user_id('alice'), 'balance'::text, true, 'broadcast'::text, '7'::text, tests.get_user_id('alice')::text) $$,
  'a balance change sends {user_id, credits} as event balance to balance:<user id>, private');
update public.users set name = 'Alice' where id = tests.get_user_id('alice');
select is((select count(*) from realtime.messages), 1::bigint, 'a change that leaves credits alone sends nothing');
select tests.act_as('alice');
select lives_ok($$ select public.deduct_credits(2) $$, 'a user''s own spend (through the credit API) succeeds');
select tests.reset_role();
select is((select pg_catalog.array_agg(payload ->> 'credits' order by payload ->> 'credits') from realtime.messages), array['5', '7'],
  'and is broadcast with the new balance although the user may not write realtime.messages');

select * from finish();
rollback;
