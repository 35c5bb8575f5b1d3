-- deduct_credits(team_id) and create_interview(team_id): the member's counter is moved by an inline
-- conditional update (the hot path), and billing.count_member_usage runs only to raise; the
-- refusals stay the contract's.
begin;
select plan(10);

select tests.create_user('owner_t');
select tests.create_user('member_t');
select tests.create_user('outsider_t');
select tests.act_as('owner_t');
select public.create_team('Limits') ->> 'team_id' as team \gset
select tests.reset_role();
insert into public.team_members (team_id, user_id, role) values (:'team', tests.get_user_id('member_t'), 'member');
select billing.apply_credit_change(:'team', 20, 'grant', 'tests', 'team float');
select tests.act_as('owner_t');
select public.set_member_limit(:'team', tests.get_user_id('member_t'), 3);

select tests.act_as('outsider_t');
select throws_ok(format($$ select public.deduct_credits(1, null, null, %L) $$, :'team'), '42501', 'not_team_member',
  'an outsider cannot spend from the team wallet');

select tests.act_as('member_t');
select is(public.deduct_credits(2, null, null, :'team') ->> 'balance', '18', 'a member spends within their limit');
select is((select used_this_month::integer from public.team_members where team_id = :'team' and user_id = tests.get_user_id('member_t')), 2,
  'their counter moved by the spend');
select is(tests.error_of(format($$ select public.deduct_credits(2, null, null, %L) $$, :'team')) ->> 'message', 'member_limit_reached',
  'a spend past their monthly limit is refused with member_limit_reached');
select is((tests.error_of(format($$ select public.deduct_credits(2, null, null, %L) $$, :'team')) ->> 'detail')::jsonb - 'resets_at',
  '{"limit": 3, "used": 2, "required": 2}'::jsonb, '... whose detail says the limit, what is used and what was asked');
select is(public.deduct_credits(1, null, null, :'team') ->> 'balance', '17', 'the last credit of the limit can still be spent');

select is(tests.error_of(format($$ select public.create_interview('Over the limit', null, 15, 'technical', null, %L) $$, :'team')) ->> 'message',
  'member_limit_reached', 'a hold past their limit is refused the same way');
select tests.act_as('outsider_t');
select throws_ok(format($$ select public.create_interview('Not mine', null, 15, 'technical', null, %L) $$, :'team'), '42501', 'not_team_member',
  'an outsider cannot hold team credits');

select tests.act_as('owner_t');
select public.set_team_limit(:'team', 4);
select public.deduct_credits(1, null, null, :'team');
select is(tests.error_of(format($$ select public.deduct_credits(1, null, null, %L) $$, :'team')) ->> 'message', 'team_limit_reached',
  'the team''s own limit is checked in the wallet update');
select tests.reset_role();
select is((select used_this_month::integer from public.team_members where team_id = :'team' and user_id = tests.get_user_id('owner_t')), 1,
  'a refused spend leaves the member''s counter as it was');

select * from finish();
rollback;
