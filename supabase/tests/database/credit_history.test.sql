-- credit_history(before_id, page_size): the signed-in user's ledger in keyset pages, newest first.
-- Pages cover every row exactly once, never show another user's rows, and cost the same however
-- many rows another (newer, bigger) account holds: the (user_id, id) index is walked, never the
-- primary key backwards.
begin;
select plan(26);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.create_user('carol');

select tests.act_as('carol');
select is(public.credit_history(), '{"entries": [], "next_before_id": null}'::jsonb,
  'a user without history gets no entries and no next page');

-- alice's and bob's rows interleave in id order, so a page that leaked bob's rows would show it.
select tests.reset_role();
select tests.give_credits('alice', 1), tests.give_credits('bob', 2) from generate_series(1, 55);
select tests.act_as('alice');
select public.deduct_credits(3, 'newest spend');

create temporary table alice_ids as
  select array_agg(l.id order by l.id desc) as ids from public.credit_ledger l
   where l.user_id = tests.get_user_id('alice');
select is(array_length(ids, 1), 56, 'alice has 56 ledger rows') from alice_ids;

-- Walk every page of size 10, then of size 8 (56 = 7 x 8: the last page is full and says so).
create temporary table pages as
  with recursive walk(n, size, page) as (
    select 1, s, public.credit_history(null, s) from (values (10), (8)) v(s)
    union all
    select w.n + 1, w.size, public.credit_history((w.page ->> 'next_before_id')::bigint, w.size)
      from walk w where w.page ->> 'next_before_id' is not null and w.n < 100
  )
  select * from walk;

select is((select array_agg((e ->> 'id')::bigint order by p.n, e.ord)
             from pages p, jsonb_array_elements(p.page -> 'entries') with ordinality e(e, ord) where p.size = 10),
          (select ids from alice_ids),
          'pages of 10 list every one of alice''s rows exactly once, newest first');
select is((select array_agg((e ->> 'id')::bigint order by p.n, e.ord)
             from pages p, jsonb_array_elements(p.page -> 'entries') with ordinality e(e, ord) where p.size = 8),
          (select ids from alice_ids),
          'pages of 8 list every row exactly once too');
select is((select array_agg(jsonb_array_length(p.page -> 'entries') order by p.n) from pages p where p.size = 10),
          array[10, 10, 10, 10, 10, 6], 'six pages of 10: five full, the last holds the rest');
select is((select array_agg(jsonb_array_length(p.page -> 'entries') order by p.n) from pages p where p.size = 8),
          array[8, 8, 8, 8, 8, 8, 8], 'seven full pages of 8 and no empty eighth page');
select is_empty($$ select 1 from pages p
                    where p.page ->> 'next_before_id' is not null
                      and (p.page ->> 'next_before_id')::bigint <> (p.page #>> '{entries,-1,id}')::bigint $$,
  'next_before_id is the id of the page''s last entry');
select is((select count(*)::integer from pages p where p.page -> 'next_before_id' = 'null'::jsonb),
  2, 'only the last page of each walk has next_before_id null');

select is(public.credit_history() #>> '{entries,0,reason}', 'newest spend', 'the first page starts with the newest row');
select is((select array_agg(k order by k) from jsonb_object_keys(public.credit_history(null, 1) #> '{entries,0}') k),
  array['balance_after', 'created_at', 'delta', 'id', 'interview_id', 'kind', 'member_id', 'payment_id', 'reason', 'reference', 'reserved_after', 'reserved_delta'],
  'an entry has the documented fields');
select is((public.credit_history(null, 1) #> '{entries,0}') - 'created_at',
  (select pg_catalog.jsonb_build_object('id', l.id, 'delta', -3, 'balance_after', 52, 'reserved_delta', 0, 'reserved_after', 0,
     'kind', 'spend', 'reason', 'newest spend', 'reference', null, 'interview_id', null, 'payment_id', null, 'member_id', null)
     from public.credit_ledger l where l.user_id = tests.get_user_id('alice') order by l.id desc limit 1),
  'an entry carries the ledger row''s values');
select is(jsonb_array_length(public.credit_history() -> 'entries'), 50, 'page_size defaults to 50');
select is(jsonb_array_length(public.credit_history(null, 200) -> 'entries'), 56, 'page_size 200 is allowed');
select is(public.credit_history((select ids[56] from alice_ids)), '{"entries": [], "next_before_id": null}'::jsonb,
  'nothing is older than the oldest row');

select tests.act_as('bob');
select is((select count(*)::integer from jsonb_array_elements(public.credit_history(null, 200) -> 'entries') e
            where (e ->> 'id')::bigint = any ((select ids from alice_ids)::bigint[])),
  0, 'bob''s pages never hold alice''s rows');
select is((select count(*)::integer from jsonb_array_elements(
             public.credit_history((select ids[1] from alice_ids) + 1, 200) -> 'entries') e
            where (e ->> 'id')::bigint = any ((select ids from alice_ids)::bigint[])),
  0, 'not even with a cursor taken from alice''s pages');

-- Bad arguments: a clear 22023, nothing read.
select tests.act_as('alice');
select throws_ok($$ select public.credit_history(null, 0) $$, '22023', 'invalid_page_size', 'page_size 0 is refused');
select throws_ok($$ select public.credit_history(null, 201) $$, '22023', 'invalid_page_size', 'page_size above 200 is refused');
select throws_ok($$ select public.credit_history(null, null) $$, '22023', 'invalid_page_size', 'page_size null is refused');
select throws_ok($$ select public.credit_history(0) $$, '22023', 'invalid_before_id', 'before_id below 1 is refused');
select is(tests.error_of('select public.credit_history(null, 500)') ->> 'hint', 'page_size must be a whole number from 1 to 200',
  'the error says what page_size may be');

select tests.act_as_anon();
select throws_ok($$ select public.credit_history() $$, '42501', null, 'anon has no history');
select tests.act_as_service_role();
select throws_ok($$ select public.credit_history() $$, '42501', null, 'service_role has no history of its own');

-- The plan. bob gets 60,000 newer rows (bulk, as the bench seeds them), so under RLS the REST
-- query `order by id desc limit n` walks the primary key backwards past all of them.
select tests.reset_role();
select set_config('billing.applying_ledger', 'on', true);
insert into public.credit_ledger (user_id, delta, balance_after, kind, reason, actor)
select tests.get_user_id('bob'), 1, 110 + i, 'grant', 'bulk', 'seed' from generate_series(1, 60000) i;
update public.users set credits = credits + 60000, credits_granted = credits_granted + 60000
 where id = tests.get_user_id('bob');
select set_config('billing.applying_ledger', 'off', true);
analyze public.credit_ledger;

create function pg_temp.plan_of(p_sql text) returns text language plpgsql as $$
declare
  v_line record;
  v_plan text := '';
begin
  for v_line in execute 'explain (costs off) ' || p_sql loop
    v_plan := v_plan || v_line."QUERY PLAN" || E'\n';
  end loop;
  return v_plan;
end;
$$;

select tests.act_as('alice');
select matches(pg_temp.plan_of('select id from public.credit_ledger order by id desc limit 50'),
  'Index Scan Backward using credit_ledger_pkey',
  'control: the REST history query walks the primary key backwards here');
select tests.reset_role();

-- The statement credit_history runs (as its owner), planned generic as PL/pgSQL does after a
-- few calls and custom as it does at first, for the first page and a deep one.
prepare history_page(uuid, bigint, integer) as
  select l.id from public.credit_ledger l
   where l.user_id >= $1 and l.user_id <= $1 and l.id < coalesce($2, 9223372036854775807)
   order by l.user_id, l.id desc
   limit $3 + 1;
set local plan_cache_mode = force_generic_plan;
select pg_temp.plan_of(format('execute history_page(%L, null, 50)', tests.get_user_id('alice'))) as generic_plan \gset
set local plan_cache_mode = force_custom_plan;
select pg_temp.plan_of(format('execute history_page(%L, %s, 50)', tests.get_user_id('alice'),
  (select ids[28] from alice_ids))) as custom_plan \gset
reset plan_cache_mode;
select ok(:'generic_plan' ~ '^Limit\s+->\s+Index (Only )?Scan using credit_ledger_user_id_id_idx'
          and :'custom_plan' ~ '^Limit\s+->\s+Index (Only )?Scan using credit_ledger_user_id_id_idx'
          and (:'generic_plan' || :'custom_plan') !~ '(Seq Scan|credit_ledger_pkey|Sort|Backward)',
  'the page is a forward walk of the (user_id, id) index: no Seq Scan, no sort, no backward primary-key walk');

-- And the function itself, with its statement planned custom and generic (PL/pgSQL may switch to
-- a generic plan after a few calls; `user_id = v order by id desc` would then walk the primary key
-- backwards): each call one scan of the (user_id, id) index reading page_size + 1 entries, no sequential scan,
-- nothing walked on the primary key (the planner may probe its end for an estimate).
create temporary table counters_before as
  select pg_stat_get_xact_numscans('public.credit_ledger_user_id_id_idx'::regclass) as scans,
         pg_stat_get_xact_tuples_returned('public.credit_ledger_user_id_id_idx'::regclass) as entries,
         pg_stat_get_xact_tuples_returned('public.credit_ledger_pkey'::regclass) as pkey_entries,
         pg_stat_get_xact_numscans('public.credit_ledger'::regclass) as seq_scans;
select tests.act_as('alice');
set local plan_cache_mode = force_custom_plan;
select count(public.credit_history(case when i % 2 = 0 then null else (select ids[28] from alice_ids) end, 10))
  from generate_series(1, 4) i;
set local plan_cache_mode = force_generic_plan;
select count(public.credit_history(case when i % 2 = 0 then null else (select ids[28] from alice_ids) end, 10))
  from generate_series(1, 6) i;
reset plan_cache_mode;
select tests.reset_role();
select is(
  (select row(pg_stat_get_xact_numscans('public.credit_ledger_user_id_id_idx'::regclass) - b.scans,
              pg_stat_get_xact_tuples_returned('public.credit_ledger_user_id_id_idx'::regclass) - b.entries,
              pg_stat_get_xact_numscans('public.credit_ledger'::regclass) - b.seq_scans,
              pg_stat_get_xact_tuples_returned('public.credit_ledger_pkey'::regclass) - b.pkey_entries <= 20)::text
     from counters_before b),
  row(10::bigint, 110::bigint, 0::bigint, true)::text,
  'ten pages of 10 (first and mid-history) read 10 x 11 entries of the (user_id, id) index beside bob''s 60,000 newer rows');

select * from finish();
rollback;
