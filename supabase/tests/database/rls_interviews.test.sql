-- public.interviews: owners read their own; rows are created and changed only by the functions.
begin;
select plan(9);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('alice', 5);
select tests.act_as('alice');
select lives_ok($$ select public.create_interview('Backend engineer') $$, 'alice creates an interview');

select tests.act_as_anon();
select throws_ok($$ select * from public.interviews $$, '42501', null, 'anon cannot read interviews');

select tests.act_as('alice');
select results_eq($$ select job_position, status, cost from public.interviews $$,
  $$ values ('Backend engineer'::text, 'scheduled'::text, 1) $$, 'alice sees her interview');
select throws_ok($$ insert into public.interviews (user_id, job_position, duration_minutes, interview_type, cost)
                    values (tests.get_user_id('alice'), 'Free one', 30, 'technical', 1) $$, '42501', null,
  'alice cannot insert an interview without paying');
select throws_ok($$ update public.interviews set status = 'cancelled' $$, '42501', null,
  'alice cannot change an interview''s status directly');
select throws_ok($$ delete from public.interviews $$, '42501', null, 'alice cannot delete interviews');

select tests.act_as('bob');
select is_empty($$ select * from public.interviews $$, 'bob does not see alice''s interview');

select tests.act_as_service_role();
select is((select count(*)::int from public.interviews where user_id = tests.get_user_id('alice')), 1,
  'service_role reads all interviews');
select throws_ok($$ update public.interviews set cost = 0 $$, '42501', null, 'service_role cannot rewrite interviews');

select * from finish();
rollback;
