-- billing.support_adjust_credits(user_id, delta, reason, ticket): audited corrections by support
-- staff in the SQL editor (role postgres); never below zero; never reachable from the API roles.
begin;
select plan(17);

select tests.create_user('alice');
select tests.give_credits('alice', 3);

select is(billing.support_adjust_credits(tests.get_user_id('alice'), 5, 'Interview failed to start', 'SUP-1') ->> 'balance', '8',
  'support adds 5 credits');
select results_eq($$ select delta, kind, reason, reference, actor from public.credit_ledger
                      where user_id = tests.get_user_id('alice') order by id desc limit 1 $$,
  $$ values (5, 'adjustment'::text, 'Interview failed to start'::text, 'ticket:SUP-1'::text, 'support:' || (session_user::text collate "default")) $$,
  'an adjustment row with reason, ticket and the support actor');
select is(billing.support_adjust_credits(tests.get_user_id('alice'), -2, 'Duplicate grant', 'SUP-2') ->> 'balance', '6',
  'support removes 2 credits');
select throws_ok($$ select billing.support_adjust_credits(tests.get_user_id('alice'), -7, 'Too much', 'SUP-3') $$,
  'PT402', 'insufficient_credits', 'support cannot take a balance below zero');
select is(tests.balance_of('alice'), 6, 'the refused adjustment changed nothing');

select throws_ok($$ select billing.support_adjust_credits(null, 1, 'r', 't') $$, '22023', 'invalid_user_id', 'a user is required');
select throws_ok($$ select billing.support_adjust_credits(pg_catalog.gen_random_uuid(), 1, 'r', 't') $$, '22023', 'unknown_user',
  'an unknown user is refused');
select throws_ok($$ select billing.support_adjust_credits(tests.get_user_id('alice'), 0, 'r', 't') $$, '22023', 'invalid_delta',
  'a zero delta is refused');
select throws_ok($$ select billing.support_adjust_credits(tests.get_user_id('alice'), 10001, 'r', 't') $$, '22023', 'invalid_delta',
  'more than 10000 at once is refused');
select throws_ok($$ select billing.support_adjust_credits(tests.get_user_id('alice'), 1, '  ', 't') $$, '22023', 'invalid_reason',
  'a reason is required');
select throws_ok($$ select billing.support_adjust_credits(tests.get_user_id('alice'), 1, 'r', null) $$, '22023', 'invalid_ticket',
  'a ticket is required');
select throws_ok($$ select billing.support_adjust_credits(tests.get_user_id('alice'), 1, 'r', pg_catalog.repeat('t', 101)) $$,
  '22023', 'invalid_ticket', 'a ticket over 100 characters is refused');

select ok(not has_function_privilege('service_role', 'billing.support_adjust_credits(uuid, integer, text, text, timestamptz)', 'execute')
      and not has_function_privilege('authenticated', 'billing.support_adjust_credits(uuid, integer, text, text, timestamptz)', 'execute')
      and not has_function_privilege('anon', 'billing.support_adjust_credits(uuid, integer, text, text, timestamptz)', 'execute'),
  'no API role may execute the support function');
select tests.act_as_service_role();
select throws_ok($$ select billing.support_adjust_credits(tests.get_user_id('alice'), 1, 'r', 't') $$, '42501', null,
  'service_role cannot adjust');
select tests.act_as('alice');
select throws_ok($$ select billing.support_adjust_credits(tests.get_user_id('alice'), 1, 'r', 't') $$, '42501', null,
  'a user cannot adjust');

-- a session carrying API claims is refused by the body too
select tests.reset_role();
select set_config('request.jwt.claims', '{"role":"authenticated"}', true);
select throws_ok($$ select billing.support_adjust_credits(tests.get_user_id('alice'), 1, 'r', 't') $$, '42501', 'not_allowed',
  'a call carrying JWT claims is refused');
select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
