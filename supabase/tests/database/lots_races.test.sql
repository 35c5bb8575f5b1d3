-- Races need separate sessions: this file opens them with dblink (contrib; hosted Supabase has
-- it too) back to this database, so every racer commits as an API request would. The data they
-- commit outlives this file's rollback, so its names are unique (the database is rebuilt after
-- pgTAP). Proves: start (start_interview), capture (complete_interview), release
-- (cancel_interview) and the lapse (the release-lapsed-holds job: `billing.release_lapsed_holds()`
-- in a loop that commits per batch) racing on the same interviews end in exactly one outcome
-- each, and a started interview is never released; and the ledger invariant holds after deduct, create, cancel, complete,
-- refund_payment and two concurrent expiry runs hit the same wallets at once.
begin;
select plan(20);

-- Runs a query returning rows on a racer's session (its own transaction), returns how many.
create function pg_temp.run(p_conn text, p_sql text) returns bigint language sql as $$
  select n from extensions.dblink(p_conn, format('select count(*) from (%s) x', p_sql)) as t(n bigint) $$;

/**
 * 1. Capture vs release vs lapse: exactly one outcome per interview.
 */
select 'race-' || gen_random_uuid() as racer \gset
select tests.race_open('setup', '{}');
select pg_temp.run('setup', format('select tests.create_user(%L)', :'racer'));
select id as racer_id from extensions.dblink('setup', format('select tests.get_user_id(%L)', :'racer')) as t(id uuid) \gset
select pg_temp.run('setup', format($$ select public.add_credits(%L, 500, 'grant', 'race') $$, :'racer_id'));
select tests.race_open('recruiter', tests.race_as_caller('authenticated', :'racer_id'));
select tests.race_open('runner', tests.race_as_caller('service_role', null));
select tests.race_open('starter', tests.race_as_caller('service_role', null));
select tests.race_open('cron', '{}');
select tests.race_open('zz_gate', '{}');

-- Four rounds of 12 interviews: all four racers go for every interview (the runner from the
-- first, the recruiter from the last, the starter from the middle outwards, the lapse in its own
-- order), released at once by a gate holding the interviews' row locks.
create function pg_temp.race_round(p_racer text, p_racer_id uuid, p_round int) returns void language plpgsql as $$
declare v_ids uuid[];
begin
  perform pg_temp.run('recruiter', format(
    $q$ select public.create_interview('Round %s #' || g, null, 30 * (1 + g %% 4)) from generate_series(1, 12) g $q$, p_round));
  select array_agg(id order by job_position) into v_ids from public.interviews
   where user_id = p_racer_id and status = 'scheduled' and job_position like format('Round %s #%%', p_round);
  perform extensions.dblink_exec('setup', format(
    $q$ update public.interviews set hold_expires_at = now() - interval '1 second' where id = any (%L) $q$, v_ids));
  perform extensions.dblink_exec('zz_gate', 'begin');
  perform pg_temp.run('zz_gate', format('select 1 from public.interviews where id = any (%L) for update', v_ids));
  delete from tests.race_queue;
  insert into tests.race_queue (conn, seq, sql)
  select 'runner', n, tests.race_call(format('select public.complete_interview(%L)', v_ids[n])) from generate_series(1, 12) n
  union all
  select 'recruiter', n, tests.race_call(format('select public.cancel_interview(%L)', v_ids[13 - n])) from generate_series(1, 12) n
  union all
  select 'starter', n, tests.race_call(format('select public.start_interview(%L)', v_ids[1 + (5 + n * 7) % 12])) from generate_series(1, 12) n
  union all
  select 'cron', 1, 'do $j$ begin while billing.release_lapsed_holds() > 0 loop commit; end loop; end $j$'
  union all
  select 'zz_gate', 1, 'commit';
  perform tests.race_drive();
  insert into race_results select conn, result from tests.race_queue;
end $$;
create temporary table race_results (conn text, result text) on commit drop;
select pg_temp.race_round(:'racer', :'racer_id', r) from generate_series(1, 4) r;

select is_empty($$ select conn, result from race_results
                    where result not in ('ok', 'DO', 'COMMIT') and result not like 'PT409 %' $$,
  'every racing call succeeded or was refused with PT409 (no unique violation, no lots out of step)');
select is_empty(format($$ select id, status from public.interviews where user_id = %L and status = 'scheduled' $$, :'racer_id'),
  'all 48 raced interviews ended completed or cancelled');
select is_empty(format($$
  select i.id, i.status, i.cancellation_reason, array_agg(g.kind order by g.id) from public.interviews i
    join public.credit_ledger g on g.interview_id = i.id
   where i.user_id = %L
   group by i.id
  having array_agg(g.kind order by g.id) filter (where g.kind in ('spend', 'release'))
         <> array[case i.status when 'completed' then 'spend' else 'release' end] $$, :'racer_id'),
  'each interview has exactly one capture or one release, matching its status');
select is((select count(*)::int from race_results where conn = 'runner' and result = 'ok'),
          (select count(*)::int from public.interviews where user_id = :'racer_id' and status = 'completed'),
  'every successful completion is a completed interview (no capture after a release)');
select ok((select count(distinct coalesce(cancellation_reason, 'completed')) from public.interviews where user_id = :'racer_id') >= 2,
  'the racers really raced: more than one kind of outcome won');
select is_empty(format($$ select id, status, cancellation_reason from public.interviews
                           where user_id = %L and started_at is not null and status <> 'completed' $$, :'racer_id'),
  'every interview that started was captured (by its completion or the lapse), none released');
select ok((select count(*) from public.interviews where user_id = :'racer_id' and started_at is not null) > 0,
  'the starter won some interviews');
select results_eq(format('select credits, credits_reserved from public.users where id = %L', :'racer_id'),
  format($$ select 500 - sum(cost)::int, 0 from public.interviews where user_id = %L and status = 'completed' $$, :'racer_id'),
  'available = 500 minus the completed interviews, nothing reserved');
select is_empty(format('select * from tests.lot_audit(%L)', :'racer_id'), 'the lots are exactly their entries');
select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds after the races');

/**
 * 2. Everything at once on the same two wallets: deduct, create, cancel, complete, refunds and
 *    two expiry runs; then the invariant.
 */
select 'mix-' || gen_random_uuid() as mix_a, 'mix-' || gen_random_uuid() as mix_b \gset
select pg_temp.run('setup', format('select tests.create_user(%L), tests.create_user(%L)', :'mix_a', :'mix_b'));
select id as a_id from extensions.dblink('setup', format('select tests.get_user_id(%L)', :'mix_a')) as t(id uuid) \gset
select id as b_id from extensions.dblink('setup', format('select tests.get_user_id(%L)', :'mix_b')) as t(id uuid) \gset
select extensions.dblink_exec('setup', 'set role service_role');
select extensions.dblink_exec('setup', $$ set request.jwt.claims = '{"role":"service_role"}' $$);
-- Each wallet: two paid packs (refunded while the race runs), 30 small expiring grants (their
-- date passes: the expiry runs take them), 10 grants that never expire, 12 scheduled interviews.
select pg_temp.run('setup', format($q$
  select public.record_checkout(u, 'pack_10', 'stripe', 'cs_' || u || '_' || n),
         public.complete_checkout('evt_' || u || '_' || n, 'cs_' || u || '_' || n, 900, 'usd', 'pi_' || u || '_' || n)
    from unnest(array[%L, %L]::uuid[]) u, generate_series(1, 2) n $q$, :'a_id', :'b_id'));
select pg_temp.run('setup', format($q$
  select public.add_credits(u, 2, 'grant', 'expiring ' || n, null, null, now() + interval '1 hour', n %% 3 = 0),
         public.add_credits(u, 3, 'grant', 'forever ' || n)
    from unnest(array[%L, %L]::uuid[]) u, generate_series(1, 30) n $q$, :'a_id', :'b_id'));
select extensions.dblink_exec('setup', 'reset role');
select tests.race_open('a_user', tests.race_as_caller('authenticated', :'a_id'));
select tests.race_open('b_user', tests.race_as_caller('authenticated', :'b_id'));
select tests.race_open('a_user2', tests.race_as_caller('authenticated', :'a_id'));
select tests.race_open('b_user2', tests.race_as_caller('authenticated', :'b_id'));
select tests.race_open('cron2', '{}');
select tests.race_open('payer', tests.race_as_caller('service_role', null));
select pg_temp.run('a_user', $$ select public.create_interview('Mix ' || g, null, 30 * (1 + g % 3)) from generate_series(1, 12) g $$);
select pg_temp.run('b_user', $$ select public.create_interview('Mix ' || g, null, 30 * (1 + g % 3)) from generate_series(1, 12) g $$);
-- The interviews hold credits of the expiring lots (promotional ones first): the dates pass now.
select moved from extensions.dblink('setup', format($q$
  select tests.pass_lot_expiry(array(select id from public.credit_lots where user_id in (%L, %L) and expires_at is not null)) $q$,
  :'a_id', :'b_id')) as t(moved integer);

delete from tests.race_queue;
insert into tests.race_queue (conn, seq, sql)
select c, n, tests.race_call(case when n % 3 = 0 then format('select public.create_interview(%L, null, 60)', 'Mix new ' || n)
                                else format('select public.deduct_credits(%s)', 1 + n % 2) end)
  from unnest(array['a_user', 'b_user']) c, generate_series(1, 16) n
union all
select c, n, tests.race_call(format('select public.cancel_interview(%L)', i.id))
  from unnest(array['a_user2', 'b_user2']) c
  join lateral (select id, row_number() over (order by job_position) as n from public.interviews
                 where user_id = case c when 'a_user2' then :'a_id'::uuid else :'b_id'::uuid end and job_position like 'Mix %') i on i.n % 2 = 0
union all
select 'runner', n, tests.race_call(format('select public.complete_interview(%L)', id))
  from (select id, row_number() over (order by user_id, job_position) as n from public.interviews
         where user_id in (:'a_id', :'b_id') and job_position like 'Mix %') i where n % 2 = 1 or n % 4 = 0
union all
select 'payer', row_number() over (order by n, p.provider_payment_intent)::int,
       tests.race_call(format('select public.refund_payment(%L, %L, %s)', 'evt_refund_' || p.provider_payment_intent || '_' || n,
                           p.provider_payment_intent, 450 * n))
  from public.payments p, generate_series(1, 2) n where p.user_id in (:'a_id', :'b_id')
union all
select 'cron', n, 'do $j$ begin while billing.expire_credit_lots(5) > 0 loop commit; end loop; end $j$' from generate_series(1, 2) n
union all
select 'cron2', 1, 'do $j$ begin while billing.expire_credit_lots(5) > 0 loop commit; end loop; end $j$';
select tests.race_drive();

select is_empty($$ select conn, seq, result from tests.race_queue
                    where result not in ('ok', 'DO') and result not like 'PT409 %' and result not like 'PT402 %' $$,
  'every call succeeded or was refused with PT402 / PT409');
select ok((select count(*) from tests.race_queue where result = 'ok') > 40, 'and most of them succeeded');
select is_empty(format($$ select * from billing.credit_invariant_violations() where user_id in (%L, %L) $$, :'a_id', :'b_id'),
  'the ledger invariant holds for both wallets after everything ran at once');
select is_empty(format($$ select * from tests.lot_audit() a join public.credit_lots l on l.id = a.lot_id where l.user_id in (%L, %L) $$, :'a_id', :'b_id'),
  'every lot is exactly its entries');
select is_empty(format($$ select l.id from public.credit_lots l where l.user_id in (%L, %L) and l.expires_at <= now() and l.remaining > 0 $$, :'a_id', :'b_id'),
  'every lot past its date has been expired (held credits released into it expired too)');
select is_empty(format($$ select reference, count(*) from public.credit_ledger
                          where user_id in (%L, %L) and kind = 'expiration' and interview_id is null group by reference having count(*) > 1 $$,
                       :'a_id', :'b_id'),
  'two concurrent expiry runs wrote one expiration row per lot');
select count(*) as expirations from public.credit_ledger where kind = 'expiration' \gset
select extensions.dblink_exec('cron', 'do $j$ begin while billing.expire_credit_lots() > 0 loop commit; end loop; end $j$');
select is((select count(*) from public.credit_ledger where kind = 'expiration'), :expirations::bigint,
  'running the expiry again writes nothing');
select is_empty($$ select p.id from public.payments p join public.credit_lots l on l.payment_id = p.id
                   where p.amount_refunded_cents > 0
                     and (l.remaining > p.credits - (p.credits_reversed + p.credits_unrecovered)
                          or (p.credits_unrecovered > 0 and l.remaining > 0)) $$,
  'no refunded lot holds more than its unrefunded share');

-- The racers committed: remove everything of the three race wallets, so the files after this
-- one (which count rows of all test users and payments) see the database as it was. Replica
-- mode skips the append-only triggers and foreign keys for this clean-up only.
select extensions.dblink_exec('setup', c) from unnest(array[
  'set session_replication_role = replica',
  format($q$ create temporary table gone as select id from public.users where id in (%L, %L, %L) $q$, :'racer_id', :'a_id', :'b_id'),
  'delete from public.credit_lot_entries where user_id in (select id from gone)',
  'delete from public.credit_lots where user_id in (select id from gone)',
  'delete from billing.processed_events where payment_id in (select p.id from public.payments p where p.user_id in (select id from gone))',
  'delete from billing.early_refunds where payment_id in (select p.id from public.payments p where p.user_id in (select id from gone))',
  'delete from public.credit_ledger where user_id in (select id from gone)',
  'delete from billing.idempotency_keys where user_id in (select id from gone)',
  'delete from public.interviews where user_id in (select id from gone)',
  'delete from public.payments where user_id in (select id from gone)',
  'delete from public.users where id in (select id from gone)',
  'delete from auth.users where id in (select id from gone)',
  'reset session_replication_role']) c;
select extensions.dblink_disconnect(c) from unnest(extensions.dblink_get_connections()) c;
select is_empty(format($$ select id from public.users where id in (%L, %L, %L) $$, :'racer_id', :'a_id', :'b_id'),
  'the race wallets are gone again');
select is_empty($$ select * from tests.ledger_violations() $$, 'and the invariant holds for what is left');
select * from finish();
rollback;
