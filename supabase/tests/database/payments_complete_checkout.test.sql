-- complete_checkout: credits a paid session exactly once, with the amount from our plan record.
begin;
select plan(24);

select tests.create_user('alice');
select tests.act_as_service_role();
select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'local', 'cs_local_c1');

select is((public.complete_checkout('evt_c1', 'cs_local_c1', 500, 'usd', 'pi_local_c1') ->> 'credited')::int, 5,
  'the paid session credits the plan''s 5 credits');
select is(tests.balance_of('alice'), 5, 'the balance rose by 5');
select results_eq($$ select status, provider_payment_intent, paid_at is not null from public.payments where provider_session_id = 'cs_local_c1' $$,
  $$ values ('paid'::text, 'pi_local_c1'::text, true) $$, 'the payment is paid, with its payment intent');
select results_eq($$ select delta, kind, reference like 'payment:%', payment_id is not null, actor from public.credit_ledger
                      where user_id = tests.get_user_id('alice') $$,
  $$ values (5, 'purchase'::text, true, true, 'service_role'::text) $$, 'one purchase row, linked to the payment');
-- The history shows "Purchase" and "+5" beside the reason: it names what was bought, once.
select is((select reason from public.credit_ledger where user_id = tests.get_user_id('alice') and kind = 'purchase'),
  '5-credit pack', 'a pack''s purchase reads "5-credit pack", not "Purchase of 5 credits (5 credits)"');

-- The same event again: its first outcome comes back, nothing changes.
select is((public.complete_checkout('evt_c1', 'cs_local_c1', 500, 'usd', 'pi_local_c1') ->> 'replayed')::boolean, true,
  'a replayed event says replayed');
select is((public.complete_checkout('evt_c1', 'cs_local_c1', 500, 'usd', 'pi_local_c1') ->> 'credited')::int, 5,
  'a replay returns the first outcome');
-- Another event for the same session (e.g. async_payment_succeeded after completed).
select is((public.complete_checkout('evt_c1_again', 'cs_local_c1', 500, 'usd', 'pi_local_c1') ->> 'credited')::int, 0,
  'a second event for the same session credits nothing');
select is(tests.balance_of('alice'), 5, 'the balance is still 5');
select tests.reset_role();
select is((select count(*)::int from billing.processed_events where event_id in ('evt_c1', 'evt_c1_again')), 2,
  'both events are recorded as processed');
select tests.act_as_service_role();

-- A paid amount that does not match the plan: failed, with the reason, nothing credited.
select public.record_checkout(tests.get_user_id('alice'), 'pack_10', 'stripe', 'cs_test_mismatch');
select is(public.complete_checkout('evt_mismatch', 'cs_test_mismatch', 1, 'usd', 'pi_mismatch') ->> 'status', 'failed',
  'a wrong amount marks the payment failed');
select is((select failure_reason from public.payments where provider_session_id = 'cs_test_mismatch'),
  'amount_mismatch: paid 1 usd, expected 900 usd', 'the reason names both amounts');
select public.record_checkout(tests.get_user_id('alice'), 'pack_10', 'stripe', 'cs_test_currency');
select is(public.complete_checkout('evt_currency', 'cs_test_currency', 900, 'eur', 'pi_currency') ->> 'status', 'failed',
  'the right number in the wrong currency fails too');
select is(tests.balance_of('alice'), 5, 'mismatched payments credited nothing');
select is(public.complete_checkout('evt_mismatch_later', 'cs_test_mismatch', 900, 'usd', 'pi_mismatch') ->> 'credited', '0',
  'a failed payment is not credited by a later event');

-- Unknown sessions: recorded, nothing credited, unless our own metadata lets us record the payment.
select is(public.complete_checkout('evt_unknown', 'cs_test_nobody', 500, 'usd') ->> 'status', 'unknown_session',
  'an unknown session without metadata is recorded as unknown_session');
select is((public.complete_checkout('evt_meta', 'cs_test_meta', 500, 'usd', 'pi_meta', tests.get_user_id('alice'), 'pack_5') ->> 'credited')::int, 5,
  'a session our checkout created but never recorded is recorded and credited from the plan');
select is((select provider || ':' || amount_cents from public.payments where provider_session_id = 'cs_test_meta'), 'stripe:500',
  'that payment is priced from the plan');
select is(tests.balance_of('alice'), 10, 'balance 10');
select public.record_checkout(tests.get_user_id('alice'), 'tier_starter', 'local', 'cs_local_tier');
select public.complete_checkout('evt_tier', 'cs_local_tier', 2000, 'usd', 'pi_local_tier');
select is((select reason from public.credit_ledger where user_id = tests.get_user_id('alice') and kind = 'purchase' order by id desc limit 1),
  'Starter plan', 'a tier''s purchase reads "Starter plan"');

-- Bad arguments change nothing.
select throws_ok($$ select public.complete_checkout('', 'cs_local_c1', 500, 'usd') $$, '22023', 'invalid_event_id', 'an empty event id is refused');
select throws_ok($$ select public.complete_checkout('evt_x', null, 500, 'usd') $$, '22023', 'invalid_provider_session_id', 'a missing session is refused');
select tests.reset_role();
select is((select count(*)::int from billing.processed_events where event_id in ('', 'evt_x')), 0, 'refused calls recorded no event');

select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds');

select * from finish();
rollback;
