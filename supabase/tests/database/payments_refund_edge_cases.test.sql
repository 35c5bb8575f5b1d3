-- Refunds in the orders and states Stripe can produce: refunds kept before the payment was
-- known (by intent and by session, applied once the intent becomes known), a refund of a
-- pending payment by session id, a refund of a failed payment, a refund in another currency.
begin;
select plan(31);

select tests.create_user('alice');
-- As a postgres session without JWT (allowed, like the SQL editor), so billing.* is readable here.
select tests.reset_role();

-- 1. completion without payment intent, refund kept under the intent: applied as soon as a later
--    event (async_payment_succeeded) names the intent
select public.record_checkout(tests.get_user_id('alice'), 'pack_10', 'stripe', 'cs_e1');
select is(public.refund_payment('evt_e1_refund', 'pi_e1', 900) ->> 'status', 'deferred', 'refund by an unknown intent is kept');
select is(public.complete_checkout('evt_e1_paid', 'cs_e1', 900, 'usd') ->> 'status', 'paid',
  'a completion without intent credits (the refund cannot be matched yet)');
select is(tests.balance_of('alice'), 10, 'balance 10');
select is(public.complete_checkout('evt_e1_async', 'cs_e1', 900, 'usd', 'pi_e1', null, null,
                                   'checkout.session.async_payment_succeeded') - 'payment_id' - 'user_id',
  '{"status": "refunded", "plan_id": "pack_10", "team_id": null, "credits": 10, "amount_cents": 900, "currency": "usd",
    "amount_refunded_cents": 900, "credits_reversed": 10, "credits_unrecovered": 0, "failure_reason": null,
    "credited": 0, "already_settled": true, "replayed": false}'::jsonb,
  'the event that names the intent applies the stranded refund');
select is(tests.balance_of('alice'), 0, 'all 10 credits taken back');
select is((select event_type from billing.processed_events where event_id = 'evt_e1_async'),
  'checkout.session.async_payment_succeeded', 'the event is recorded with its real type');
select isnt((select applied_at from billing.early_refunds where payment_ref = 'pi_e1'), null, 'the early refund is marked applied');

-- 2. two early refunds for one payment, by intent and by session: the higher cumulative amount wins, once
select public.record_checkout(tests.get_user_id('alice'), 'pack_10', 'stripe', 'cs_e2');
select is(public.refund_payment('evt_e2_by_pi', 'pi_e2', 300) ->> 'status', 'deferred', 'refund by intent kept');
select is(public.refund_payment('evt_e2_by_cs', 'cs_e2', 600) ->> 'status', 'pending',
  'refund by session finds the pending payment and is stored on it');
select is(public.complete_checkout('evt_e2_paid', 'cs_e2', 900, 'usd', 'pi_e2') ->> 'credits_reversed', '6',
  'on completion 600 of 900 refunded: 6 of 10 credits reversed');
select is(tests.balance_of('alice'), 4, 'balance 4');
select is((select count(*)::int from billing.early_refunds where payment_ref in ('pi_e2', 'cs_e2') and applied_at is not null), 1,
  'the early refund by intent is applied');
select is(public.refund_payment('evt_e2_again', 'pi_e2', 600) ->> 'credits_reversed', '6', 'a repeat of the same total takes nothing more');

-- 3. refund of a pending payment by session id, then the completion
select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'stripe', 'cs_e3');
select is(public.refund_payment('evt_e3_refund', 'cs_e3', 500) ->> 'status', 'pending', 'a pending payment stays pending');
select is((select amount_refunded_cents from public.payments where provider_session_id = 'cs_e3'), 500, 'with the refund stored on it');
select is(public.complete_checkout('evt_e3_paid', 'cs_e3', 500, 'usd', 'pi_e3') ->> 'status', 'refunded', 'completion applies it');
select is(tests.balance_of('alice'), 4, 'credited 5 and reversed 5');

-- 4. refund of a failed payment reverses nothing
select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'stripe', 'cs_e4');
select public.fail_checkout('evt_e4_expired', 'cs_e4', 'expired');
select is(public.refund_payment('evt_e4_refund', 'cs_e4', 500) ->> 'status', 'failed', 'the payment stays failed');
select is(tests.balance_of('alice'), 4, 'nothing reversed');

-- 5. a refund in another currency is rejected, recorded, and changes nothing
select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'stripe', 'cs_e5');
select public.complete_checkout('evt_e5_paid', 'cs_e5', 500, 'usd', 'pi_e5');
select is((public.refund_payment('evt_e5_eur', 'pi_e5', 500, 'EUR') - 'payment_id' - 'user_id') ->> 'reason',
  'currency_mismatch: refund in eur, payment in usd', 'a refund in eur of a usd payment is rejected');
select results_eq($$ select status, credits_reversed, amount_refunded_cents from public.payments where provider_session_id = 'cs_e5' $$,
  $$ values ('paid'::text, 0, 0) $$, 'the payment is untouched');

-- 6. early refunds in two currencies for one unknown payment: amounts are cumulative only within one
--    currency, so the foreign one never raises, lowers or relabels the real one (found by attack).
select tests.create_user('bob');
select tests.reset_role();
-- usd 500 (the whole payment), then a stray eur 100: the usd refund must still take all 5 credits
select public.record_checkout(tests.get_user_id('bob'), 'pack_5', 'stripe', 'cs_e6');
select public.refund_payment('evt_e6_usd', 'pi_e6', 500, 'usd');
select public.refund_payment('evt_e6_eur', 'pi_e6', 100, 'eur');
select is(public.complete_checkout('evt_e6_paid', 'cs_e6', 500, 'usd', 'pi_e6') ->> 'status', 'refunded',
  'usd 500 then eur 100 before completion: the full usd refund applies');
select is(tests.balance_of('bob'), 0, 'no refunded credit stays spendable');
-- usd 100, then eur 500: one credit reversed, not none
select public.record_checkout(tests.get_user_id('bob'), 'pack_5', 'stripe', 'cs_e7');
select public.refund_payment('evt_e7_usd', 'pi_e7', 100, 'usd');
select public.refund_payment('evt_e7_eur', 'pi_e7', 500, 'eur');
select is(public.complete_checkout('evt_e7_paid', 'cs_e7', 500, 'usd', 'pi_e7') ->> 'credits_reversed', '1',
  'usd 100 then eur 500: 100 of 500 usd refunded, 1 credit reversed');
select is(tests.balance_of('bob'), 4, 'balance 4');
-- eur 500, then usd 100: the eur amount is never read as usd
select public.record_checkout(tests.get_user_id('bob'), 'pack_5', 'stripe', 'cs_e8');
select public.refund_payment('evt_e8_eur', 'pi_e8', 500, 'eur');
select public.refund_payment('evt_e8_usd', 'pi_e8', 100, 'usd');
select is(public.complete_checkout('evt_e8_paid', 'cs_e8', 500, 'usd', 'pi_e8') - 'payment_id' - 'user_id' - 'replayed' - 'already_settled' - 'credited' - 'balance' - 'ledger_id',
  '{"status": "partially_refunded", "plan_id": "pack_5", "team_id": null, "credits": 5, "amount_cents": 500, "currency": "usd",
    "amount_refunded_cents": 100, "credits_reversed": 1, "credits_unrecovered": 0, "failure_reason": null}'::jsonb,
  'eur 500 then usd 100: only the usd 100 applies');
select is(tests.balance_of('bob'), 8, 'balance 8 (4 + 5 - 1)');
select results_eq($$ select currency, amount_refunded_cents, applied_at is not null from billing.early_refunds
                     where payment_ref in ('pi_e6', 'pi_e7', 'pi_e8') order by payment_ref, currency $$,
  $$ values ('eur'::text, 100, false), ('usd', 500, true), ('eur', 500, false), ('usd', 100, true),
            ('eur', 500, false), ('usd', 100, true) $$,
  'one row per currency; the foreign ones stay parked, unapplied, for support');
select is(public.refund_payment('evt_e8_eur_late', 'pi_e8', 500, 'eur') ->> 'reason',
  'currency_mismatch: refund in eur, payment in usd', 'once the payment is known, the foreign refund is rejected as before');
select is(tests.balance_of('bob'), 8, 'and changes nothing');

select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds');

select * from finish();
rollback;
