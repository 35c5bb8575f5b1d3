-- add_credits(user_id, amount, kind, reason, reference, idempotency_key, expires_at, promotional): service role only.
begin;
select plan(35);

select tests.create_user('alice');
select tests.create_user('bob');

-- success as service_role
select tests.act_as_service_role();
select is(public.add_credits(tests.get_user_id('alice'), 5) - 'ledger_id' - 'lot_id', '{"balance": 5, "reserved": 0, "replayed": false}'::jsonb,
  'service_role grants 5 credits');
select results_eq($$ select delta, balance_after, kind, reason, actor from public.credit_ledger
                      where user_id = tests.get_user_id('alice') order by id desc limit 1 $$,
  $$ values (5, 5, 'grant'::text, 'Credits added'::text, 'service_role'::text) $$, 'a grant row written by service_role');
select is(public.add_credits(tests.get_user_id('alice'), 10, 'purchase', 'pack_10', 'payment:test') ->> 'balance', '15',
  'a purchase adds to the balance');
select results_eq($$ select kind, reason, reference from public.credit_ledger
                      where user_id = tests.get_user_id('alice') order by id desc limit 1 $$,
  $$ values ('purchase'::text, 'pack_10'::text, 'payment:test'::text) $$, 'kind, reason and reference are recorded');
select throws_ok($$ select public.add_credits(tests.get_user_id('alice'), 1, 'refund', 'Goodwill refund') $$, '22023', 'invalid_kind',
  'kind refund without an interview (a "goodwill refund") is refused: it returns an interview''s charge (interview_refunds.test.sql)');
select lives_ok($$ select public.add_credits(tests.get_user_id('alice'), 1, 'adjustment') $$, 'kind adjustment is accepted');
select is(tests.balance_of('alice'), 16, 'the balance is the sum of the grants');

-- idempotency
select is(public.add_credits(tests.get_user_id('bob'), 5, 'purchase', null, null, 'checkout:cs_1') ->> 'replayed', 'false',
  'a keyed grant runs');
select is(public.add_credits(tests.get_user_id('bob'), 5, 'purchase', null, null, 'checkout:cs_1') ->> 'replayed', 'true',
  'the same grant again is a replay');
select is(tests.balance_of('bob'), 5, 'bob was credited once');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 50, 'purchase', null, null, 'checkout:cs_1') $$,
  'PT409', 'idempotency_key_reused', 'the same key with another amount is PT409');

-- bad input
select throws_ok($$ select public.add_credits(null, 5) $$, '22023', 'invalid_user_id', 'a null user is refused');
select throws_ok($$ select public.add_credits(pg_catalog.gen_random_uuid(), 5) $$, '22023', 'unknown_user', 'an unknown user is refused');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 0) $$, '22023', 'invalid_amount', 'amount 0 is refused');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), -5) $$, '22023', 'invalid_amount', 'a negative amount is refused');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), null) $$, '22023', 'invalid_amount', 'a null amount is refused');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 10001) $$, '22023', 'invalid_amount', 'an amount above 10000 is refused');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 5, 'spend') $$, '22023', 'invalid_kind', 'kind spend cannot add credits');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 5, 'gift') $$, '22023', 'invalid_kind', 'an unknown kind is refused');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 5, null) $$, '22023', 'invalid_kind', 'a null kind is refused');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 5, 'grant', pg_catalog.repeat('r', 501)) $$, '22023',
  'invalid_reason', 'a reason over 500 characters is refused');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 5, 'grant', null, pg_catalog.repeat('r', 501)) $$, '22023',
  'invalid_reference', 'a reference over 500 characters is refused');
select is(tests.balance_of('bob'), 5, 'bad input changes nothing');

-- callers
select tests.act_as('alice');
select throws_ok($$ select public.add_credits(tests.get_user_id('alice'), 100) $$, '42501', null,
  'a signed-in user cannot grant herself credits');
select tests.act_as_anon();
select throws_ok($$ select public.add_credits(tests.get_user_id('alice'), 100) $$, '42501', null, 'anon cannot grant credits');

-- a database session that switched role without a JWT is not the service role
select tests.reset_role();
set local role service_role;
select throws_ok($$ select public.add_credits(tests.get_user_id('alice'), 100) $$, '42501', 'not_allowed',
  'SET ROLE service_role without JWT claims is refused');
reset role;
select lives_ok($$ select public.add_credits(tests.get_user_id('bob'), 1, 'grant', 'seed-like grant') $$,
  'a postgres session without JWT (seed, SQL editor) may grant');

-- defence in depth: even with EXECUTE granted by mistake, the body refuses non-service callers
select tests.reset_role();
grant execute on function public.add_credits(uuid, integer, text, text, text, text, timestamptz, boolean) to authenticated;
select tests.act_as('alice');
select throws_ok($$ select public.add_credits(tests.get_user_id('alice'), 100) $$, '42501', 'not_allowed',
  'a stray grant to authenticated still does not let users mint credits');
select is(tests.balance_of('alice'), 16, 'alice''s balance is unchanged');

-- every grant is a lot: its own expiry, promotional ones first in line (granted from a postgres
-- session, as support would, so the lot can be read in the same statement)
select tests.reset_role();
select public.add_credits(tests.get_user_id('bob'), 4) ->> 'lot_id' as plain_lot \gset
select is((select row(l.source, l.amount, l.remaining, l.priority, l.expires_at is null)::text
             from public.credit_lots l where l.id = :plain_lot),
  '(grant,4,4,1,t)', 'a grant is a lot of its own that never expires by default');
select public.add_credits(tests.get_user_id('bob'), 3, 'grant', 'Spring promo', null, null,
                          pg_catalog.now() + interval '7 days', true) ->> 'lot_id' as promo_lot \gset
select is((select row(l.source, l.priority, l.expires_at > pg_catalog.now() + interval '6 days')::text
             from public.credit_lots l where l.id = :promo_lot),
  '(promotional,0,t)', 'a promotional grant with an expiry is a promotional lot, spent first');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 3, 'grant', null, null, null, pg_catalog.now() - interval '1 second') $$,
  '22023', 'invalid_expires_at', 'credits cannot be granted already expired');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 3, 'purchase', null, null, null, null, true) $$,
  '22023', 'invalid_promotional', 'only a grant can be promotional');
select throws_ok($$ select public.add_credits(tests.get_user_id('bob'), 3, 'grant', null, null, null, null, null) $$,
  '22023', 'invalid_promotional', 'promotional must be true or false');

select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
