-- The ledger invariant under a random mix of every balance-changing call, failures included:
-- for every user, users.credits = sum(delta) and balance_after is the running sum; never < 0.
begin;
select plan(5);

select setseed(0.42);
select tests.create_user('u' || i) from generate_series(1, 5) i;

-- 400 random calls by random users; refused calls (PT402, PT409, ...) are part of the mix.
create temporary table outcomes (code text);
do $$
declare
  v_name text;
  v_pick float;
  v_sql text;
  v_interview uuid;
  v_code text;
begin
  for i in 1..400 loop
    v_name := 'u' || (1 + floor(random() * 5))::int;
    v_pick := random();
    perform tests.reset_role();
    if v_pick < 0.25 then
      perform tests.act_as_service_role();
      v_sql := format('select public.add_credits(%L, %s, %L, null, null, %L)', tests.get_user_id(v_name),
        1 + floor(random() * 6)::int, (array['purchase', 'grant', 'refund', 'adjustment'])[1 + floor(random() * 4)::int],
        case when random() < 0.3 then 'k' || floor(random() * 10)::int end);
    elsif v_pick < 0.55 then
      perform tests.act_as(v_name);
      v_sql := format('select public.deduct_credits(%s, null, %L)', 1 + floor(random() * 4)::int,
        case when random() < 0.3 then 'k' || floor(random() * 10)::int end);
    elsif v_pick < 0.8 then
      perform tests.act_as(v_name);
      v_sql := format('select public.create_interview(%L, null, %s)', 'Job ' || i, (array[15, 30, 45, 60, 90, 120])[1 + floor(random() * 6)::int]);
    elsif v_pick < 0.95 then
      select id into v_interview from public.interviews
       where user_id = tests.get_user_id(v_name) order by random() limit 1;
      perform tests.act_as(v_name);
      v_sql := format('select public.cancel_interview(%L)', coalesce(v_interview, gen_random_uuid()));
    else
      v_sql := format('select billing.support_adjust_credits(%L, %s, %L, %L)', tests.get_user_id(v_name),
        floor(random() * 9)::int - 4, 'random correction', 'T-' || i);
    end if;
    v_code := coalesce(tests.error_of(v_sql) ->> 'code', 'ok');
    perform tests.reset_role();
    insert into outcomes values (v_code);
  end loop;
  perform tests.reset_role();
end
$$;

select ok((select count(*) from outcomes where code = 'ok') > 100, 'many calls succeeded');
select ok((select count(*) from outcomes where code = 'PT402') > 10, 'many calls were refused for lack of credits');
select is_empty($$ select code from outcomes where code not in ('ok', 'PT402', 'PT409', '22023') $$,
  'every refusal was a contract error');
select is_empty($$ select * from tests.ledger_violations() $$,
  'users.credits = sum(delta) and balance_after is the running sum, for every user');
select is_empty($$ select id::text from public.users where credits < 0
                   union all select id::text from public.credit_ledger where balance_after < 0 $$, 'no balance ever went below zero');

select * from finish();
rollback;
