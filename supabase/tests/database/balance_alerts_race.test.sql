-- Two spends crossing the low-balance threshold at the same moment, in real concurrent sessions
-- (dblink, as team_races.test.sql: each racer commits like an API request). Both wait on a gate
-- holding the wallet row, then run: the crossing is decided under the row lock, so exactly one
-- alert (one mail, one message) goes out. The racers' data outlives the rollback: removed at the end.
begin;
select plan(4);

create function pg_temp.ask(p_conn text, p_sql text) returns text language sql as $$
  select r from extensions.dblink(p_conn, p_sql) as t(r text) $$;

select 'race-alert-' || gen_random_uuid() as tag \gset
select tests.race_open('setup', '{}');
select pg_temp.ask('setup', format($$ select tests.create_user(%L)::text $$, :'tag')) as uid \gset
select pg_temp.ask('setup', format($$ select tests.give_credits(%L, 6)::text $$, :'tag'));
select pg_temp.ask('setup', format($$ select public.set_low_balance_alert(5)::text from tests.act_as(%L) $$, :'tag'));
select tests.race_open('s1', tests.race_as_caller('authenticated', :'uid'));
select tests.race_open('s2', tests.race_as_caller('authenticated', :'uid'));

-- The gate holds the wallet row; both spends (6 -> 4 and 6 -> 5 as each sees it before the lock)
-- queue behind it and go at once when it commits.
select tests.race_open('gate', '{}');
select extensions.dblink_exec('gate', 'begin');
select pg_temp.ask('gate', format($$ select id::text from public.users where id = %L for update $$, :'uid'));
select extensions.dblink_send_query(c, tests.race_call($$ select public.deduct_credits(1) $$)) from unnest(array['s1', 's2']) c;
select pg_sleep(0.3);
select extensions.dblink_exec('gate', 'commit');
select is((select array_agg(r) from unnest(array['s1', 's2']) c, extensions.dblink_get_result(c) as t(r text)),
  array['ok', 'ok'], 'both spends went through (6 -> 4)');
select count(*) from unnest(array['s1', 's2']) c, extensions.dblink_get_result(c) as t(r text);

select is(pg_temp.ask('setup', format($$ select count(*)::text from billing.email_outbox where template = 'low_balance' and to_address = %L $$,
  :'tag' || '@tests.local')), '1', 'one mail for the one crossing');
select is(pg_temp.ask('setup', format($$ select count(*)::text from realtime.messages where event = 'low_balance' and topic = %L $$,
  'balance:' || :'uid')), '1', 'one low_balance message');
select is(pg_temp.ask('setup', format($$ select string_agg(credits_before || '->' || credits_after, ',')
                                          from billing.low_balance_alerts where wallet_id = %L $$, :'uid')),
  '5->4', 'recorded as the second spend''s crossing (5 -> 4), not the first''s (6 -> 5)');

-- Clean-up (replica mode skips the append-only triggers and the wallet-delete guard).
select extensions.dblink_exec('setup', c) from unnest(array[
  'set session_replication_role = replica',
  format('delete from billing.email_outbox where to_address = %L', :'tag' || '@tests.local'),
  format('delete from billing.low_balance_alerts where wallet_id = %L', :'uid'),
  format('delete from realtime.messages where topic = %L', 'balance:' || :'uid'),
  format('delete from public.credit_lot_entries where user_id = %L', :'uid'),
  format('delete from public.credit_lots where user_id = %L', :'uid'),
  format('delete from public.credit_ledger where user_id = %L', :'uid'),
  format('delete from billing.idempotency_keys where user_id = %L', :'uid'),
  format('delete from public.users where id = %L', :'uid'),
  format('delete from auth.users where id = %L', :'uid'),
  'reset session_replication_role']) c;
select extensions.dblink_disconnect(c) from unnest(extensions.dblink_get_connections()) c;

select * from finish();
rollback;
