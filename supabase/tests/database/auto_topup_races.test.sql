-- Auto top-up races in real concurrent sessions (dblink back to this database, as
-- lots_races.test.sql: every racer commits like an API request; the data outlives the rollback,
-- so names are unique). Proves: spends crossing the threshold at once start one top-up; claims and
-- settlements racing with spends that keep crossing never charge past the monthly cap. The
-- racers' data is removed at the end (files that count rows run later).
begin;
select plan(7);

create function pg_temp.ask(p_conn text, p_sql text) returns text language sql as $$
  select r from extensions.dblink(p_conn, p_sql) as t(r text) $$;

/**
 * 1. Eight spends of 1 released at once by a gate holding the wallet row: 14 -> 6 crosses 10 once.
 */
select 'race-topup-' || gen_random_uuid() as tag \gset
select tests.race_open('setup', '{}');
select pg_temp.ask('setup', format($$ select tests.create_user(%L)::text $$, :'tag'));
select tests.get_user_id(:'tag') as wallet \gset
select pg_temp.ask('setup', format($$ select tests.give_credits(%L, 14)::text $$, :'tag'));
select pg_temp.ask('setup', format($$ insert into public.billing_customers (wallet_id, provider, provider_customer_id, default_payment_method)
                                      values (%L, 'local', 'cus_local_' || %L, 'pm_card_visa') returning 'saved' $$, :'wallet', :'tag'));
select pg_temp.ask('setup', format($$ select public.set_auto_topup(10, 'pack_5', 1500)->>'status' from tests.act_as(%L) $$, :'tag'));
select tests.race_open('s' || n, tests.race_as_caller('authenticated', :'wallet')) from generate_series(1, 8) n;
select tests.race_open('zz_gate', '{}');
select extensions.dblink_exec('zz_gate', 'begin');
select pg_temp.ask('zz_gate', format($$ select id::text from public.users where id = %L for update $$, :'wallet'));
delete from tests.race_queue;
insert into tests.race_queue (conn, seq, sql)
select 's' || n, 1, tests.race_call($$ select public.deduct_credits(1, 'race') $$) from generate_series(1, 8) n
union all select 'zz_gate', 1, 'commit';
select tests.race_drive();
select is((select count(*) from tests.race_queue where result = 'ok'), 8::bigint, 'all eight spends went through');
select is(pg_temp.ask('setup', format($$ select count(*)::text from billing.topup_requests where wallet_id = %L $$, :'wallet')), '1',
  'spends crossing the threshold at once start one top-up');

/**
 * 2. The cap under concurrency: four "functions" claim and settle (success) over and over while
 *    three spenders keep taking the balance across the threshold; the cap is 1500 = three packs.
 */
select tests.race_open('f' || n, tests.race_as_caller('service_role', null)) from generate_series(1, 4) n;
delete from tests.race_queue;
insert into tests.race_queue (conn, seq, sql)
select 'f' || n, k, tests.race_call($$ select count(public.settle_auto_topup(c.request_id, 'succeeded', 'pi_race_' || c.request_id,
                                                                              c.amount_cents, c.currency))
                                        from public.claim_topup_requests(5) c $$)
  from generate_series(1, 4) n, generate_series(1, 100) k
union all
select 's' || n, k, tests.race_call(case when k % 2 = 1 then $$ select public.deduct_credits(4, 'race') $$
                                         else format($$ select tests.give_credits(%L, 3) $$, :'tag') end)
  from generate_series(1, 3) n, generate_series(1, 40) k;
select tests.race_drive();
select is_empty($$ select conn, result from tests.race_queue where result <> 'ok' and result not like 'PT402 %' $$,
  'every racing call succeeded (or a spend found too few credits)');
select ok(pg_temp.ask('setup', format($$ select sum(amount_cents)::text from public.payments
                                          where wallet_id = %L and purpose = 'auto_topup' and status <> 'failed' $$, :'wallet'))::int <= 1500,
  'the paid and pending top-ups never pass the monthly cap');
select is(pg_temp.ask('setup', format($$ select count(*)::text from public.payments where wallet_id = %L and purpose = 'auto_topup' and status = 'paid' $$,
  :'wallet')), '3', 'the racers really raced: the cap was reached (three packs paid)');
select is_empty(format($$ select * from tests.ledger_violations() where user_id = %L $$, :'wallet'), 'the ledger invariant holds');

-- Clean-up as team_races does: the committed rows go (replica role: without the ledger's guard
-- triggers, for this clean-up only).
select extensions.dblink_exec('setup', c) from unnest(array[
  'set session_replication_role = replica',
  format($q$ create temporary table gone as select id from public.users where id = %L $q$, :'wallet'),
  'delete from billing.topup_requests where wallet_id in (select id from gone)',
  'delete from billing.email_outbox where to_address in (select u.email from public.users u where u.id in (select id from gone))',
  'delete from public.credit_lot_entries where user_id in (select id from gone)',
  'delete from public.credit_lots where user_id in (select id from gone)',
  'delete from public.credit_ledger where user_id in (select id from gone)',
  'delete from billing.idempotency_keys where user_id in (select id from gone)',
  'delete from public.payments where wallet_id in (select id from gone)',
  'delete from public.auto_topup_settings where wallet_id in (select id from gone)',
  'delete from public.billing_customers where wallet_id in (select id from gone)',
  'delete from public.users where id in (select id from gone)',
  'delete from auth.users where id in (select id from gone)',
  'reset session_replication_role']) c;
select extensions.dblink_disconnect(c) from unnest(extensions.dblink_get_connections()) c;
select is_empty(format($$ select id from public.users where id = %L $$, :'wallet'), 'the race wallet is gone again');

select * from finish();
rollback;
