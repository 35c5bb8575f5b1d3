-- add_credits kind 'refund' gives back what an interview was charged (it took place but went wrong),
-- and nothing else: a "goodwill refund" with no interview made the billing page say "Spent on
-- interviews (net of refunds) -3 credits". Goodwill credits are billing.support_adjust_credits.
begin;
select plan(16);

select tests.create_user('ria');
select tests.create_user('other');
select tests.give_credits('ria', 10), tests.give_credits('other', 4) \gset
select tests.act_as('ria');
select public.create_interview('Ran badly', null, 90) ->> 'interview_id' as ran \gset
select public.create_interview('Still scheduled', null, 30) ->> 'interview_id' as scheduled \gset
select tests.act_as('other');
select public.create_interview('Not hers', null, 30) ->> 'interview_id' as not_hers \gset
select tests.act_as_service_role();
select public.complete_interview(:'ran');
select public.complete_interview(:'not_hers');

-- What support did on main: a goodwill "refund" with no interview. Refused, and it says what to use.
select throws_ok($$ select public.add_credits(tests.get_user_id('ria'), 3, 'refund', 'Goodwill refund') $$,
  '22023', 'invalid_kind', 'a refund that names no interview is refused');
select matches(tests.error_of($$ select public.add_credits(tests.get_user_id('ria'), 3, 'refund', 'Goodwill refund') $$) ->> 'hint',
  'billing\.support_adjust_credits', 'the hint names the way to give goodwill credits');
select throws_ok($$ select public.add_credits(tests.get_user_id('ria'), 1, 'refund', 'x', 'ticket:SUP-1') $$,
  '22023', 'invalid_kind', 'a reference that is not interview:<id> is refused');
select throws_ok(format($$ select public.add_credits(tests.get_user_id('ria'), 1, 'refund', 'x', 'interview:%s') $$, :'not_hers'),
  '22023', 'unknown_interview', 'another recruiter''s interview is unknown');
select throws_ok(format($$ select public.add_credits(tests.get_user_id('ria'), 1, 'refund', 'x', 'interview:%s') $$, :'scheduled'),
  '22023', 'invalid_amount', 'a scheduled interview was charged nothing yet (its credits are only held): nothing to refund');
select throws_ok(format($$ select public.add_credits(tests.get_user_id('ria'), 4, 'refund', 'x', 'interview:%s') $$, :'ran'),
  '22023', 'invalid_amount', 'more than the interview was charged (3) is refused');

-- A real refund: part of the charge, then the rest; the row names the interview.
select is(public.add_credits(tests.get_user_id('ria'), 2, 'refund', 'Interview broke after 20 minutes', 'interview:' || :'ran', 'refund-1') ->> 'replayed',
  'false', 'a refund of part of the charge is accepted');
select results_eq($$ select kind, delta, interview_id, reference from public.credit_ledger where user_id = tests.get_user_id('ria') order by id desc limit 1 $$,
  format($$ values ('refund'::text, 2, %L::uuid, 'interview:%s'::text) $$, :'ran', :'ran'),
  'the refund row names the interview it refunds');
select is(public.add_credits(tests.get_user_id('ria'), 2, 'refund', 'Interview broke after 20 minutes', 'interview:' || :'ran', 'refund-1') ->> 'replayed',
  'true', 'the same keyed call again is a replay, not refused for the credits it refunded itself');
select is(tests.error_of(format($$ select public.add_credits(tests.get_user_id('ria'), 2, 'refund', 'x', 'interview:%s') $$, :'ran')) ->> 'hint',
  'This interview was charged 3 credits and 2 were refunded already: at most 1 can be refunded.',
  'what is left to refund is the charge minus the refunds so far');
select lives_ok(format($$ select public.add_credits(tests.get_user_id('ria'), 1, 'refund', 'The rest', 'interview:%s') $$, :'ran'),
  'the last credit of the charge can be refunded');
select throws_ok(format($$ select public.add_credits(tests.get_user_id('ria'), 1, 'refund', 'x', 'interview:%s') $$, :'ran'),
  '22023', 'invalid_amount', 'and then nothing more');

-- Goodwill credits, the documented way: a ticketed support adjustment.
select tests.reset_role();
select lives_ok($$ select billing.support_adjust_credits(tests.get_user_id('ria'), 3, 'Goodwill: sorry for the outage', 'SUP-77') $$,
  'goodwill credits are a support adjustment');

select tests.act_as('ria');
select is(public.billing_summary() - 'recent' - 'expiring' - 'balance' - 'available' - 'reserved' - 'interviews_created' - 'low_balance_threshold',
  '{"total_purchased": 0, "total_granted": 10, "total_spent": 3, "total_refunded": 3, "total_adjusted_added": 3,
    "total_adjusted_removed": 0, "total_reversed": 0, "total_expired": 0}'::jsonb,
  'the billing page: 3 spent and 3 refunded (net 0, never below), 3 added by support');
select tests.reset_role();
select is_empty($$ select u.id from public.users u where u.credits_refunded > u.credits_spent $$,
  'nobody has more refunded than spent');
select is_empty($$ select * from tests.ledger_violations() $$, 'the invariant holds');

select * from finish();
rollback;
