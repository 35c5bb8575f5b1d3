-- deduct_credits(amount, reason, idempotency_key): the signed-in user spends their own credits.
begin;
select plan(33);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('alice', 10);

-- success
select tests.act_as('alice');
select is(public.deduct_credits(3, 'report export') - 'ledger_id', '{"balance": 7, "reserved": 0, "replayed": false}'::jsonb,
  'spending 3 of 10 returns the new balance 7');
select is(tests.balance_of('alice'), 7, 'the balance is 7');
select results_eq($$ select delta, balance_after, kind, reason, actor from public.credit_ledger order by id desc limit 1 $$,
  $$ values (-3, 7, 'spend'::text, 'report export'::text, 'user:' || tests.get_user_id('alice')) $$,
  'one spend row with the delta, the balance after, the reason and the actor');
select public.deduct_credits(1) ->> 'ledger_id' as ledger_id \gset
select is((select delta from public.credit_ledger where id = :ledger_id), -1, 'ledger_id names the row written');
select is((select reason from public.credit_ledger order by id desc limit 1), 'Credits spent', 'a default reason is recorded');
select is((public.deduct_credits(6) ->> 'balance')::int, 0, 'spending the whole balance leaves 0');

-- insufficient credits
select is(tests.error_of($$ select public.deduct_credits(1) $$) - 'hint',
  jsonb_build_object('code', 'PT402', 'message', 'insufficient_credits', 'detail', '{"balance": 0, "required": 1}'),
  'PT402 insufficient_credits with balance and required in the detail');
select isnt(tests.error_of($$ select public.deduct_credits(1) $$) ->> 'hint', null, 'the error has a hint for the user');
select tests.give_credits('alice', 2);
select tests.act_as('alice');
select throws_ok($$ select public.deduct_credits(3) $$, 'PT402', 'insufficient_credits', 'cannot spend 3 of 2');
select is(tests.balance_of('alice'), 2, 'a refused spend changes nothing');

-- bad input
select throws_ok($$ select public.deduct_credits(0) $$, '22023', 'invalid_amount', 'amount 0 is refused');
select throws_ok($$ select public.deduct_credits(-5) $$, '22023', 'invalid_amount', 'a negative amount is refused (no minting)');
select throws_ok($$ select public.deduct_credits(null) $$, '22023', 'invalid_amount', 'a null amount is refused');
select throws_ok($$ select public.deduct_credits(10001) $$, '22023', 'invalid_amount', 'an amount above 10000 is refused');
select throws_ok($$ select public.deduct_credits(1, pg_catalog.repeat('r', 501)) $$, '22023', 'invalid_reason',
  'a reason over 500 characters is refused');
select throws_ok($$ select public.deduct_credits(1, 'x', '') $$, '22023', 'invalid_idempotency_key', 'an empty key is refused');
select throws_ok($$ select public.deduct_credits(1, 'x', pg_catalog.repeat('k', 201)) $$, '22023', 'invalid_idempotency_key',
  'a key over 200 characters is refused');
select is(tests.balance_of('alice'), 2, 'bad input changes nothing');

-- idempotency
select is(public.deduct_credits(1, 'keyed', 'spend-1') ->> 'balance', '1', 'a keyed spend runs once');
select is(public.deduct_credits(1, 'keyed', 'spend-1') ->> 'replayed', 'true', 'the same call again is a replay');
select is(public.deduct_credits(1, 'keyed', 'spend-1') ->> 'balance', '1', 'the replay returns the first balance');
select is(tests.balance_of('alice'), 1, 'the replay spent nothing');
select is((select count(*)::int from public.credit_ledger where idempotency_key = 'spend-1'), 1, 'one ledger row for the key');
select throws_ok($$ select public.deduct_credits(2, 'keyed', 'spend-1') $$, 'PT409', 'idempotency_key_reused',
  'the same key with another amount is PT409');
select throws_ok($$ select public.create_interview('Engineer', null, 30, 'technical', 'spend-1') $$, 'PT409', 'idempotency_key_reused',
  'the same key for another function is PT409');
select throws_ok($$ select public.deduct_credits(5, 'big', 'spend-2') $$, 'PT402', 'insufficient_credits',
  'a keyed spend that fails ...');
select tests.give_credits('alice', 10);
select tests.act_as('alice');
select is(public.deduct_credits(5, 'big', 'spend-2') ->> 'replayed', 'false', '... may be retried with the same key once it can succeed');

-- keys are per user
select tests.give_credits('bob', 1);
select tests.act_as('bob');
select is(public.deduct_credits(1, 'keyed', 'spend-1') ->> 'replayed', 'false', 'bob''s key spend-1 is his own');
select is(tests.balance_of('bob'), 0, 'bob spent from his own balance');
select is(tests.balance_of('alice'), 6, 'alice''s balance is untouched by bob');

-- callers
select tests.act_as_anon();
select throws_ok($$ select public.deduct_credits(1) $$, '42501', null, 'anon cannot spend');
select tests.act_as_service_role();
select throws_ok($$ select public.deduct_credits(1) $$, '42501', null, 'service_role has no balance to spend');

select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
