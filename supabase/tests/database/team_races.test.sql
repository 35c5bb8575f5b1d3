-- Team races in real concurrent sessions (dblink back to this database, as lots_races.test.sql:
-- every racer commits like an API request). Proves: 50 members spending from one team wallet at
-- once never pass their monthly limit, the wallet (never below zero) or the team's limit, and the
-- invariant holds; a removal that commits while the member's spend waits refuses the spend; two
-- owners leaving at once leave one; a member promoted and left alone as owner while their own
-- leave_team waits is refused as the last owner; delete_team next to a spend does not deadlock;
-- two create_team calls at once do not pass the 20 teams a recruiter may own.
-- The racers' data outlives the rollback: it is
-- removed at the end.
begin;
select plan(20);

-- Runs one query on a connection and returns its single text answer.
create function pg_temp.ask(p_conn text, p_sql text) returns text language sql as $$
  select r from extensions.dblink(p_conn, p_sql) as t(r text) $$;

/**
 * 1. 50 members, each with a monthly limit of 7, spend and hold from one wallet at once.
 *    Round 1: the wallet (200 credits) runs out first. Round 2 (topped up): the team's limit
 *    (240 a month) stops them.
 */
select 'race-team-' || gen_random_uuid() as tag \gset
select tests.race_open('setup', '{}');
select pg_temp.ask('setup', format($$ select count(tests.create_user(%L || '-' || n))::text from generate_series(0, 50) n $$, :'tag'));
select pg_temp.ask('setup', format($$ select tests.create_team(%L || '-0', 'Race team')::text $$, :'tag')) as team \gset
select pg_temp.ask('setup', format($$ select count(tests.add_member(%L, %L || '-' || n, 'member', 7))::text from generate_series(1, 50) n $$,
  :'team', :'tag'));
select pg_temp.ask('setup', format($$ select tests.give_wallet_credits(%L, 200)::text $$, :'team'));
select pg_temp.ask('setup', format($$ select public.set_team_limit(%L, 240)::text from tests.act_as(%L || '-0') $$, :'team', :'tag'));
select tests.race_open('m' || lpad(n::text, 2, '0'), tests.race_as_caller('authenticated', tests.get_user_id(:'tag' || '-' || n)))
  from generate_series(1, 50) n;

-- Each member: 10 calls, spends of 1 and interviews costing 1, in an order of their own.
create function pg_temp.round(p_team uuid) returns void language plpgsql as $$
begin
  delete from tests.race_queue;
  insert into tests.race_queue (conn, seq, sql)
  select 'm' || lpad(n::text, 2, '0'), k,
         tests.race_call(case when (n + k) % 2 = 0 then format('select public.deduct_credits(1, null, null, %L)', p_team)
                           else format($q$select public.create_interview('Race', null, 30, 'technical', null, %L)$q$, p_team) end)
    from generate_series(1, 50) n, generate_series(1, 10) k;
  perform tests.race_drive();
end $$;
create temporary table round_results (round int, conn text, result text) on commit drop;

select pg_temp.round(:'team');
insert into round_results select 1, conn, result from tests.race_queue;
select is_empty($$ select distinct result from round_results
                    where result not in ('ok', 'PT402 insufficient_credits', 'PT402 member_limit_reached') $$,
  'round 1: every call succeeded or was refused for credits or the member''s limit');
select is((select count(*)::int from round_results where result = 'ok'), 200,
  'round 1: exactly the wallet''s 200 credits were spent or held, not one more');
select is((tests.team_wallet(:'team') ->> 'credits')::int, 0, 'and the wallet is empty (never below zero)');

select pg_temp.ask('setup', format($$ select tests.give_wallet_credits(%L, 500)::text $$, :'team'));
select pg_temp.round(:'team');
insert into round_results select 2, conn, result from tests.race_queue;
select is_empty($$ select distinct result from round_results
                    where round = 2 and result not in ('ok', 'PT402 team_limit_reached', 'PT402 member_limit_reached') $$,
  'round 2: every call succeeded or was refused for the team''s or the member''s limit');
select is((select count(*)::int from round_results where result = 'ok'), 240,
  'over both rounds exactly the team''s limit of 240 was used');
select is((tests.team_wallet(:'team') ->> 'used')::int, 240, 'which is what the team counted');
select is_empty(format($$ select m.user_id, m.used_this_month, count(l.id) from public.team_members m
                           left join public.credit_ledger l on l.user_id = m.team_id and l.member_id = m.user_id and l.kind in ('spend', 'hold')
                          where m.team_id = %L and m.role = 'member'
                          group by m.user_id, m.used_this_month
                         having m.used_this_month > 7 or m.used_this_month <> count(l.id) $$, :'team'),
  'no member passed their limit of 7, and each counted exactly what they spent or held');
select is_empty(format($$ select * from billing.credit_invariant_violations(%L) $$, :'team'),
  'the invariant holds for the team wallet after the races');
select is_empty(format($$ select * from tests.lot_audit(%L) $$, :'team'), 'every lot of the team is exactly its entries');

/**
 * 2. A removal that commits while the member's spend waits: the spend is refused, nothing moves.
 */
select tests.race_open('gate', '{}');
-- Under their limit (a spend over it is refused before it ever waits for the row).
select pg_temp.ask('setup', format($$ with x as (update public.team_members set monthly_limit = null
                                                   where team_id = %L and user_id = %L returning 1) select count(*)::text from x $$,
  :'team', tests.get_user_id(:'tag' || '-1')));
select extensions.dblink_exec('gate', 'begin');
select extensions.dblink_exec('gate', format($$ delete from public.team_members where team_id = %L and user_id = %L $$,
  :'team', tests.get_user_id(:'tag' || '-1')));
select extensions.dblink_send_query('m01', tests.race_call(format('select public.deduct_credits(1, null, null, %L)', :'team')));
select pg_sleep(0.2);
select is(extensions.dblink_is_busy('m01'), 1, 'the member''s spend waits for the removal');
select extensions.dblink_exec('gate', 'commit');
select is((select r from extensions.dblink_get_result('m01') as t(r text)), '42501 not_team_member',
  'and is refused once the removal committed');
select count(*) from extensions.dblink_get_result('m01') as t(r text);

/**
 * 3. Owners leaving at once.
 */
select pg_temp.ask('setup', format($$ select public.set_member_role(%L, %L, 'owner')::text from tests.act_as(%L || '-0') $$,
  :'team', tests.get_user_id(:'tag' || '-2'), :'tag'));
delete from tests.race_queue;
insert into tests.race_queue (conn, seq, sql) values
  ('m02', 1, tests.race_call(format('select public.leave_team(%L)', :'team'))),
  ('o00', 1, tests.race_call(format('select public.leave_team(%L)', :'team')));
select tests.race_open('o00', tests.race_as_caller('authenticated', tests.get_user_id(:'tag' || '-0')));
select tests.race_drive();
select is((select array_agg(result order by result) from tests.race_queue), array['PT409 last_owner', 'ok'],
  'two owners leaving at once: one leaves, the other is the last owner and stays');

/**
 * 4. A member's leave_team waits while the only owner makes them owner and leaves: they are now
 *    the last owner, so their leave must be refused (not decided on the role read before).
 */
select pg_temp.ask('setup', format($$ select string_agg(m.user_id::text, ',') from public.team_members m
                                        where m.team_id = %L and m.role = 'owner' $$, :'team')) as last_owner \gset
select extensions.dblink_exec('gate', 'begin');
select extensions.dblink_exec('gate', format($$ set local request.jwt.claims = %L $$,
  jsonb_build_object('role', 'authenticated', 'sub', :'last_owner')::text));
select pg_temp.ask('gate', format($$ select public.set_member_role(%L, %L, 'owner')::text $$, :'team', tests.get_user_id(:'tag' || '-3')));
select extensions.dblink_send_query('m03', tests.race_call(format('select public.leave_team(%L)', :'team')));
select pg_sleep(0.2);
select pg_temp.ask('gate', format($$ select public.leave_team(%L)::text $$, :'team'));
select extensions.dblink_exec('gate', 'commit');
select is((select r from extensions.dblink_get_result('m03') as t(r text)), 'PT409 last_owner',
  'the member made owner while their leave waited is the last owner: refused');
select count(*) from extensions.dblink_get_result('m03') as t(r text);
select is(pg_temp.ask('setup', format($$ select count(*)::text from public.team_members where team_id = %L and role = 'owner' $$, :'team')),
  '1', 'the team still has an owner');

/**
 * 5. delete_team while a member's spend holds their membership row and is about to lock the
 *    wallet: the lock order (membership, then wallet) holds for deleting too, so neither call
 *    dies of a deadlock.
 */
select pg_temp.ask('setup', format($$ select tests.create_team(%L || '-40', 'Deleted while spending')::text $$, :'tag')) as d_team \gset
select pg_temp.ask('setup', format($$ select count(tests.add_member(%L, %L || '-41'))::text $$, :'d_team', :'tag'));
select tests.race_open('d_owner', tests.race_as_caller('authenticated', tests.get_user_id(:'tag' || '-40')));
select extensions.dblink_exec('gate', 'begin');
select extensions.dblink_exec('gate', format($$ update public.team_members set used_this_month = used_this_month + 1
                                               where team_id = %L and user_id = %L $$, :'d_team', tests.get_user_id(:'tag' || '-41')));
select extensions.dblink_send_query('d_owner', tests.race_call(format('select public.delete_team(%L)', :'d_team')));
select pg_sleep(0.2);
select is(coalesce(tests.error_of(format('select extensions.dblink_exec(%L, %L)', 'gate',
            format('update public.teams set updated_at = now() where id = %L', :'d_team'))) ->> 'message', 'ok'),
  'ok', 'the spender locks the wallet after its membership row while delete_team waits (no deadlock)');
select extensions.dblink_exec('gate', 'commit');
select is((select r from extensions.dblink_get_result('d_owner') as t(r text)), 'ok', 'and the team is deleted after it');
select count(*) from extensions.dblink_get_result('d_owner') as t(r text);

/**
 * 6. Two create_team calls of one recruiter who owns 19 teams, at once (held at the same point by
 *    a gate on their users row, which both inserts wait for): one 20th team, not two.
 */
select pg_temp.ask('setup', format($$ select count(tests.create_team(%L || '-45', 'Own ' || g))::text from generate_series(1, 19) g $$, :'tag'));
select tests.race_open('c1', tests.race_as_caller('authenticated', tests.get_user_id(:'tag' || '-45')));
select tests.race_open('c2', tests.race_as_caller('authenticated', tests.get_user_id(:'tag' || '-45')));
select extensions.dblink_exec('gate', 'begin');
select pg_temp.ask('gate', format($$ select id::text from public.users where id = %L for update $$, tests.get_user_id(:'tag' || '-45')));
select extensions.dblink_send_query(c, tests.race_call($$ select public.create_team('The 20th') $$)) from unnest(array['c1', 'c2']) c;
select pg_sleep(0.3);
select extensions.dblink_exec('gate', 'commit');
select is((select array_agg(r order by r) from unnest(array['c1', 'c2']) c, extensions.dblink_get_result(c) as t(r text)),
  array['PT409 too_many_teams', 'ok'], 'two create_team at once for the 20th team: one is created, the other refused');
select count(*) from unnest(array['c1', 'c2']) c, extensions.dblink_get_result(c) as t(r text);
select is(pg_temp.ask('setup', format($$ select count(*)::text from public.team_members where user_id = %L and role = 'owner' $$,
  tests.get_user_id(:'tag' || '-45'))), '20', 'the recruiter owns 20 teams');

-- Clean-up: remove the racers' team, members and users (replica mode skips the append-only
-- triggers and the wallet-delete guard for this clean-up only).
select extensions.dblink_exec('setup', c) from unnest(array[
  'set session_replication_role = replica',
  format($q$ create temporary table gone as select id from auth.users where email like %L $q$, :'tag' || '-%'),
  format($q$ insert into gone values (%L), (%L) $q$, :'team', :'d_team'),
  format($q$ insert into gone select t.id from public.teams t where t.created_by = %L $q$, tests.get_user_id(:'tag' || '-45')),
  'delete from public.credit_lot_entries where user_id in (select id from gone)',
  'delete from public.credit_lots where user_id in (select id from gone)',
  'delete from public.credit_ledger where user_id in (select id from gone)',
  'delete from billing.idempotency_keys where user_id in (select id from gone)',
  'delete from public.interviews where user_id in (select id from gone)',
  'delete from public.team_members where team_id in (select id from gone)',
  'delete from public.teams where id in (select id from gone)',
  'delete from public.users where id in (select id from gone)',
  'delete from auth.users where id in (select id from gone)',
  'reset session_replication_role']) c;
select extensions.dblink_disconnect(c) from unnest(extensions.dblink_get_connections()) c;
select is_empty(format($$ select id from public.teams where id = %L $$, :'team'), 'the race team is gone again');
select is_empty($$ select * from tests.ledger_violations() $$, 'and the invariant holds for what is left');

select * from finish();
rollback;
