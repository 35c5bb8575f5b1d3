-- Period end under concurrency (20261125000990_period_end.sql): two expiry loops (the
-- expire-credit-lots job's command, small batches so their calls interleave) run at once with
-- recruiters spending and cancelling interviews whose holds sit in the due lots. Racers are dblink
-- sessions back to this database (tests.race_* in lots_0_helpers.test.sql), each call its own
-- committed transaction; the run skips wallets a spend holds (SKIP LOCKED) and comes back to them.
-- Proves: each due credit is taken once (expired or rolled over, never spent), held credits stay
-- held until their interview returns them, two runs write one row per lot, nothing is left due,
-- every lot is exactly its moves, and the invariant check is empty. The committed data is removed
-- at the end, as lots_races does.
begin;
select plan(10);

create function pg_temp.run(p_conn text, p_sql text) returns bigint language sql as $$
  select n from extensions.dblink(p_conn, format('select count(*) from (%s) x', p_sql)) as t(n bigint) $$;

select 'pe-' || gen_random_uuid() as tag \gset
select tests.race_open('setup', '{}');
select pg_temp.run('setup', format('select tests.create_user(%L || g) from generate_series(1, 24) g', :'tag' || '-'));
create temporary table pe_race (n int, id uuid) on commit drop;
insert into pe_race select n, id from extensions.dblink('setup',
  format('select g, tests.get_user_id(%L || g) from generate_series(1, 24) g', :'tag' || '-')) as t(n int, id uuid);
select array_agg(id order by n) as ids from pe_race \gset

-- Every wallet: 6 lots of 2 credits due in an hour (every third may roll 1 credit over); the
-- four spenders also have 40 credits that never expire and two interviews held in the due lots.
select extensions.dblink_exec('setup', 'set role service_role');
select extensions.dblink_exec('setup', $$ set request.jwt.claims = '{"role":"service_role"}' $$);
select pg_temp.run('setup', format($q$
  select public.add_credits(u, 2, 'grant', 'period end ' || k, null, null, now() + interval '1 hour')
    from unnest(%L::uuid[]) u, generate_series(1, 6) k $q$, :'ids'));
select pg_temp.run('setup', format($q$ select public.add_credits(u, 40, 'grant', 'forever') from unnest(%L::uuid[]) u $q$,
  (select array_agg(id order by n) from pe_race where n <= 4)));
select extensions.dblink_exec('setup', 'reset role');
select extensions.dblink_exec('setup', format($q$
  update public.credit_lots set rollover_limit = 1, rollover_expires_after = interval '1 month'
   where user_id = any (%L::uuid[]) and expires_at is not null and id %% 3 = 0 $q$, :'ids'));
select tests.race_open('sp' || n, tests.race_as_caller('authenticated', id)) from pe_race where n <= 4;
select pg_temp.run('sp' || n, $$ select public.create_interview('Held over period end ' || g, null, 30) from generate_series(1, 2) g $$)
  from pe_race where n <= 4;
select moved from extensions.dblink('setup', format($q$
  select tests.pass_lot_expiry(array(select id from public.credit_lots where user_id = any (%L::uuid[]) and expires_at is not null)) $q$,
  :'ids')) as t(moved integer);
select sum(held)::int as held_before from public.credit_lots where user_id = any (:'ids'::uuid[]) and expires_at <= now() \gset

select tests.race_open('cron', '{}');
select tests.race_open('cron2', '{}');
delete from tests.race_queue;
insert into tests.race_queue (conn, seq, sql)
select 'sp' || p.n, k, tests.race_call(case when k in (4, 9)
         then format('select public.cancel_interview(%L)',
                     (select i.id from public.interviews i where i.user_id = p.id order by i.job_position offset (k / 5) limit 1))
         else 'select public.deduct_credits(1)' end)
  from pe_race p, generate_series(1, 12) k where p.n <= 4
union all
select c, k, 'do $j$ begin while billing.expire_credit_lots(3) > 0 loop commit; end loop; end $j$'
  from unnest(array['cron', 'cron2']) c, generate_series(1, 2) k;
select tests.race_drive();

select is_empty($$ select conn, seq, result from tests.race_queue where result not in ('ok', 'DO') $$,
  'every spend, cancel and expiry loop succeeded (the spends take the credits that never expire)');
select is_empty(format($$ select id, remaining from public.credit_lots where user_id = any (%L::uuid[])
                          and expires_at <= now() and remaining > 0 $$, :'ids'),
  'nothing is left due (credits the cancels returned to the due lots expired or rolled over too)');
select is_empty(format($$ select id, spent from public.credit_lots where user_id = any (%L::uuid[])
                          and expires_at <= now() and spent <> 0 $$, :'ids'),
  'no spend took a due credit: each due credit is taken once, by the expiry');
select is((select sum(expired + rolled_over)::int from public.credit_lots where user_id = any (:'ids'::uuid[]) and source = 'grant'
            and reason like 'period end %'),
          24 * 12, 'every due credit expired or rolled over: 24 wallets x 12, the held ones after their cancel');
select is_empty(format($$ select reference, kind, count(*) from public.credit_ledger
                          where user_id = any (%L::uuid[]) and kind in ('expiration', 'rollover') and interview_id is null
                          group by reference, kind having count(*) > 1 $$, :'ids'),
  'two runs at once wrote one expiration and at most one rollover row per lot');
select is((select count(*)::int from public.credit_lots where user_id = any (:'ids'::uuid[]) and source = 'rollover'),
          (select count(*)::int from public.credit_ledger where user_id = any (:'ids'::uuid[]) and kind = 'rollover'),
  'one rollover lot per rollover row');
select is_empty(format($$ select * from tests.lot_audit() a join public.credit_lots l on l.id = a.lot_id
                          where l.user_id = any (%L::uuid[]) $$, :'ids'), 'every lot is exactly its moves');
select is_empty(format($$ select * from billing.credit_invariant_violations_among(%L::uuid[]) $$, :'ids'),
  'the invariant check is empty for every raced wallet');
select count(*) as moves from public.credit_ledger where user_id = any (:'ids'::uuid[]) \gset
select extensions.dblink_exec('cron', 'do $j$ begin while billing.expire_credit_lots() > 0 loop commit; end loop; end $j$');
select is((select count(*) from public.credit_ledger where user_id = any (:'ids'::uuid[])), :moves::bigint,
  'running the expiry again writes nothing');

-- Clean up what the racers committed (replica mode skips the append-only triggers and foreign keys).
select extensions.dblink_exec('setup', c) from unnest(array[
  'set session_replication_role = replica',
  format($q$ create temporary table gone as select unnest(%L::uuid[]) as id $q$, :'ids'),
  'delete from public.credit_lot_entries where user_id in (select id from gone)',
  'delete from public.credit_lots where user_id in (select id from gone)',
  'delete from public.credit_ledger where user_id in (select id from gone)',
  'delete from billing.idempotency_keys where user_id in (select id from gone)',
  'delete from public.interviews where user_id in (select id from gone)',
  'delete from public.users where id in (select id from gone)',
  'delete from auth.users where id in (select id from gone)',
  'reset session_replication_role']) c;
select extensions.dblink_disconnect(c) from unnest(extensions.dblink_get_connections()) c;
select is_empty(format($$ select id from public.users where id = any (%L::uuid[]) $$, :'ids'), 'the race wallets are gone again');

select * from finish();
rollback;
