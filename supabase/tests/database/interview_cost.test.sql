-- interview_cost(duration_minutes, interview_type): the single place pricing is computed.
begin;
select plan(14);

select is(public.interview_cost(15), 1, '15 minutes cost 1 credit');
select is(public.interview_cost(30), 1, '30 minutes cost 1 credit');
select is(public.interview_cost(31), 2, '31 minutes cost 2 credits (a started half hour counts)');
select is(public.interview_cost(45), 2, '45 minutes cost 2 credits');
select is(public.interview_cost(60), 2, '60 minutes cost 2 credits');
select is(public.interview_cost(90), 3, '90 minutes cost 3 credits');
select is(public.interview_cost(120, 'behavioral'), 4, '120 minutes cost 4 credits');
select throws_ok($$ select public.interview_cost(14) $$, '22023', 'invalid_duration_minutes', 'under 15 minutes is refused');
select throws_ok($$ select public.interview_cost(121) $$, '22023', 'invalid_duration_minutes', 'over 120 minutes is refused');
select throws_ok($$ select public.interview_cost(null) $$, '22023', 'invalid_duration_minutes', 'a null duration is refused');
select throws_ok($$ select public.interview_cost(30, 'panel') $$, '22023', 'invalid_interview_type', 'an unknown type is refused');
select throws_ok($$ select public.interview_cost(30, null) $$, '22023', 'invalid_interview_type', 'a null type is refused');

select tests.act_as_anon();
select is(public.interview_cost(60, 'screening'), 2, 'anon may ask for a price');
select tests.create_user('alice');
select tests.act_as('alice');
select is(public.interview_cost(90, 'culture_fit'), 3, 'a signed-in user may ask for a price');

select * from finish();
rollback;
