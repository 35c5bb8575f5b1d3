-- A user's idempotency keys can never occupy a key the system needs later: user keys and
-- system keys (payments, add_credits) live in separate namespaces, in the ledger and in
-- billing.idempotency_keys. The attack: read your payment id, then spend with the key the
-- purchase or the refund's reversal will use.
begin;
select plan(12);

select tests.create_user('mallory');
select tests.give_credits('mallory', 3);
select tests.act_as_service_role();
select public.record_checkout(tests.get_user_id('mallory'), 'pack_10', 'stripe', 'cs_attack') ->> 'payment_id' as pid \gset

select tests.act_as('mallory');
select lives_ok(format($$ select public.deduct_credits(1, null, 'payment:%s:purchase') $$, :'pid'),
  'a user may use any string as a key, even a payment key');
select lives_ok(format($$ select public.create_interview('Trap', null, 30, 'technical', 'payment:%s:reversal:900') $$, :'pid'),
  'even the key the full refund will use');

select tests.act_as_service_role();
select is(public.complete_checkout('evt_attack_paid', 'cs_attack', 900, 'usd', 'pi_attack') ->> 'credited', '10',
  'the purchase is credited anyway');
select is(public.refund_payment('evt_attack_refund', 'pi_attack', 900) - 'payment_id' - 'user_id',
  '{"status": "refunded", "plan_id": "pack_10", "team_id": null, "credits": 10, "amount_cents": 900, "currency": "usd",
    "amount_refunded_cents": 900, "credits_reversed": 10, "credits_unrecovered": 0, "failure_reason": null,
    "replayed": false}'::jsonb,
  'and the refund takes all 10 credits back');
select is(tests.balance_of('mallory'), 1, '3 - 1 - 1 + 10 - 10');
select results_eq(format($$ select idempotency_namespace, kind from public.credit_ledger
                             where idempotency_key = 'payment:%s:purchase' order by id $$, :'pid'),
  $$ values ('user'::text, 'spend'::text), ('system', 'purchase') $$,
  'the same string is stored twice, once per namespace');

-- add_credits (service role) keys and user keys in billing.idempotency_keys
select tests.act_as('mallory');
select lives_ok($$ select public.deduct_credits(1, null, 'welcome-bonus') $$, 'mallory takes a key first');
select tests.act_as_service_role();
select is(public.add_credits(tests.get_user_id('mallory'), 5, 'grant', 'Welcome', null, 'welcome-bonus') ->> 'replayed', 'false',
  'the service role''s grant with that key still runs');
select is(public.add_credits(tests.get_user_id('mallory'), 5, 'grant', 'Welcome', null, 'welcome-bonus') ->> 'replayed', 'true',
  'and replays within its own namespace');
select tests.act_as('mallory');
select is(public.deduct_credits(1, null, 'welcome-bonus') ->> 'replayed', 'true', 'the user''s key still replays its own call');
select is(tests.balance_of('mallory'), 5, '1 - 1 + 5');

select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
