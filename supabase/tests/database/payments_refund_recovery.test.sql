-- Refunded money never stays spendable, structurally: a refund voids what its payment's lot still
-- has; credits of that lot held by scheduled interviews repay the payment's credits_unrecovered as
-- soon as a cancel releases them back into the lot (reversal rows naming the payment and the
-- interview). Credits of other lots (new purchases, grants) are never taken.
begin;
select plan(44);

select tests.create_user(n) from unnest(array['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) n;

-- Pays a plan through the real payment functions (record, then the provider's completion).
create function pg_temp.pay(p_user text, p_plan text, p_ref text) returns jsonb language sql as $$
  select public.record_checkout(tests.get_user_id(p_user), p_plan, 'stripe', 'cs_' || p_ref);
  select public.complete_checkout('evt_paid_' || p_ref, 'cs_' || p_ref,
    (select price_cents from public.plans where id = p_plan), 'usd', 'pi_' || p_ref);
$$;
-- The fields of a payment these tests look at, by its intent.
create function pg_temp.debt(p_ref text) returns table (status text, credits_reversed int, credits_unrecovered int)
language sql as $$
  select p.status, p.credits_reversed, p.credits_unrecovered from public.payments p where p.provider_payment_intent = 'pi_' || p_ref
$$;

-- ------------------------------------------------------------------------------------------------
-- alice, the issue's reproduction: pack_5, five interviews, a full refund, then five cancels.
-- ------------------------------------------------------------------------------------------------
select tests.act_as_service_role();
select pg_temp.pay('alice', 'pack_5', 'alice');
select tests.act_as('alice');
select array_agg(public.create_interview('Interview ' || i, null, 30) ->> 'interview_id' order by i) as alice_ivs
  from generate_series(1, 5) i \gset
select tests.act_as_service_role();
select results_eq($$ select (r ->> 'credits_reversed')::int, (r ->> 'credits_unrecovered')::int
                       from (select public.refund_payment('evt_refund_alice', 'pi_alice', 500) r) x $$,
  $$ values (0, 5) $$, 'the refund finds nothing to take: 5 unrecovered');

select tests.act_as('alice');
select public.cancel_interview((:'alice_ivs'::uuid[])[1]) as alice_first \gset
select is((:'alice_first'::jsonb) - 'ledger_id' - 'interview_id',
  '{"status": "cancelled", "cancellation_reason": "recruiter", "refunded": 1, "released": 1, "recovered": 1, "expired": 0,
    "balance": 0, "reserved": 4, "replayed": false}'::jsonb,
  'the cancelled interview''s credit goes back to the refunded lot and repays the payment instead of the balance');
select public.cancel_interview(iv) from unnest((:'alice_ivs'::uuid[])[2:5]) iv;
select is(tests.balance_of('alice'), 0, 'after five cancels the balance is still 0 (was 5)');
select results_eq($$ select * from pg_temp.debt('alice') $$, $$ values ('refunded'::text, 5, 0) $$,
  'every refunded credit is recovered: credits_reversed 5, credits_unrecovered 0');
select results_eq(
  $$ select l.delta, l.kind, l.payment_id is not distinct from p.id, l.interview_id is not null
       from public.credit_ledger l join public.payments p on p.provider_payment_intent = 'pi_alice'
      where l.user_id = tests.get_user_id('alice') and l.kind in ('release', 'reversal') order by l.id limit 2 $$,
  $$ values (1, 'release'::text, false, true), (-1, 'reversal'::text, true, true) $$,
  'each cancel writes its release and a reversal naming the payment and the interview');
select is(public.cancel_interview((:'alice_ivs'::uuid[])[1]), (:'alice_first'::jsonb) || '{"replayed": true}',
  'cancelling again replays the first result, recovered and final balance included');
select tests.act_as_service_role();
select is(public.refund_payment('evt_refund_alice', 'pi_alice', 500) ->> 'replayed', 'true', 'the refund event replays');
select is(public.refund_payment('evt_refund_alice_again', 'pi_alice', 500) ->> 'credits_unrecovered', '0',
  'a new event with the same cumulative amount creates no new debt');
select is(tests.balance_of('alice'), 0, 'and takes nothing more');

-- ------------------------------------------------------------------------------------------------
-- bob: some interviews are cancelled before the refund, the rest after it.
-- ------------------------------------------------------------------------------------------------
select tests.act_as_service_role();
select pg_temp.pay('bob', 'pack_5', 'bob');
select tests.act_as('bob');
select array_agg(public.create_interview('Interview ' || i, null, 30) ->> 'interview_id' order by i) as bob_ivs
  from generate_series(1, 5) i \gset
select public.cancel_interview(iv) from unnest((:'bob_ivs'::uuid[])[1:2]) iv;
select is(tests.balance_of('bob'), 2, 'two cancels before the refund return to the balance');
select tests.act_as_service_role();
select public.refund_payment('evt_refund_bob', 'pi_bob', 500);
select results_eq($$ select * from pg_temp.debt('bob') $$, $$ values ('refunded'::text, 2, 3) $$,
  'the refund takes the 2 and records 3 unrecovered');
select tests.act_as('bob');
select public.cancel_interview(iv) from unnest((:'bob_ivs'::uuid[])[3:5]) iv;
select is(tests.balance_of('bob'), 0, 'the three later cancels repay the rest');
select results_eq($$ select * from pg_temp.debt('bob') $$, $$ values ('refunded'::text, 5, 0) $$, 'nothing is left unrecovered');

-- ------------------------------------------------------------------------------------------------
-- carol: two payments, only one refunded. The debt is repaid first, then the balance grows.
-- ------------------------------------------------------------------------------------------------
select tests.act_as_service_role();
select pg_temp.pay('carol', 'pack_5', 'carol_a');
select pg_temp.pay('carol', 'pack_10', 'carol_b');
select tests.act_as('carol');
select array_agg(public.create_interview('Long ' || i, null, 120) ->> 'interview_id' order by i) as carol_long
  from generate_series(1, 3) i \gset
select array_agg(public.create_interview('Short ' || i, null, 30) ->> 'interview_id' order by i) as carol_short
  from generate_series(1, 3) i \gset
select is(tests.balance_of('carol'), 0, 'carol spent all 15 credits');
select tests.act_as_service_role();
select public.refund_payment('evt_refund_carol_a', 'pi_carol_a', 500);
select results_eq($$ select * from pg_temp.debt('carol_a') $$, $$ values ('refunded'::text, 0, 5) $$, 'payment A: 5 unrecovered');
select tests.act_as('carol');
select is((public.cancel_interview((:'carol_long'::uuid[])[1]) - 'ledger_id' - 'interview_id'),
  '{"status": "cancelled", "cancellation_reason": "recruiter", "refunded": 4, "released": 4, "recovered": 4, "expired": 0,
    "balance": 0, "reserved": 11, "replayed": false}'::jsonb,
  'a 4-credit cancel of credits held from A''s lot repays 4 of A''s debt');
select is((public.cancel_interview((:'carol_long'::uuid[])[2]) - 'ledger_id' - 'interview_id'),
  '{"status": "cancelled", "cancellation_reason": "recruiter", "refunded": 4, "released": 4, "recovered": 1, "expired": 0,
    "balance": 3, "reserved": 7, "replayed": false}'::jsonb,
  'the next cancel held 1 credit of A (repays the last of its debt) and 3 of B (spendable again)');
select results_eq($$ select * from pg_temp.debt('carol_a') $$, $$ values ('refunded'::text, 5, 0) $$, 'A is fully recovered');
select results_eq($$ select * from pg_temp.debt('carol_b') $$, $$ values ('paid'::text, 0, 0) $$, 'B, never refunded, is untouched');
select public.cancel_interview(iv) from unnest(:'carol_short'::uuid[]) iv;
select is(tests.balance_of('carol'), 6, 'later cancels return to the balance: 10 bought with kept money minus the interview still held');

-- ------------------------------------------------------------------------------------------------
-- dave: a partial refund, then the rest refunded later, interleaved with cancels.
-- ------------------------------------------------------------------------------------------------
select tests.act_as_service_role();
select pg_temp.pay('dave', 'pack_10', 'dave');
select tests.act_as('dave');
select array_agg(public.create_interview('Long ' || i, null, 120) ->> 'interview_id' order by i) as dave_long
  from generate_series(1, 2) i \gset
select array_agg(public.create_interview('Short ' || i, null, 30) ->> 'interview_id' order by i) as dave_short
  from generate_series(1, 2) i \gset
select tests.act_as_service_role();
select public.refund_payment('evt_refund_dave_half', 'pi_dave', 450);
select results_eq($$ select * from pg_temp.debt('dave') $$, $$ values ('partially_refunded'::text, 0, 5) $$,
  'half refunded: 5 of 10 credits unrecovered');
select tests.act_as('dave');
select public.cancel_interview((:'dave_long'::uuid[])[1]);
select public.cancel_interview((:'dave_short'::uuid[])[1]);
select is(tests.balance_of('dave'), 0, 'the first 5 credits back repay the partial refund');
select public.cancel_interview((:'dave_long'::uuid[])[2]);
select is(tests.balance_of('dave'), 4, 'once the partial refund is recovered, credits back are spendable');
select tests.act_as_service_role();
select public.refund_payment('evt_refund_dave_full', 'pi_dave', 900);
select results_eq($$ select * from pg_temp.debt('dave') $$, $$ values ('refunded'::text, 9, 1) $$,
  'the rest refunded: the 4 spendable taken, 1 unrecovered');
select tests.act_as('dave');
select is((public.cancel_interview((:'dave_short'::uuid[])[2]) ->> 'recovered')::int, 1, 'the last cancel repays it');
select is(tests.balance_of('dave'), 0, 'a fully refunded purchase leaves nothing spendable');
select results_eq($$ select * from pg_temp.debt('dave') $$, $$ values ('refunded'::text, 10, 0) $$, 'all 10 recovered');

-- ------------------------------------------------------------------------------------------------
-- erin: a new purchase and a grant while a debt is open are the buyer's, not the debt's.
-- ------------------------------------------------------------------------------------------------
select tests.act_as_service_role();
select pg_temp.pay('erin', 'pack_5', 'erin_a');
select tests.act_as('erin');
select array_agg(public.create_interview('Interview ' || i, null, 30) ->> 'interview_id' order by i) as erin_ivs
  from generate_series(1, 5) i \gset
select tests.act_as_service_role();
select public.refund_payment('evt_refund_erin_a', 'pi_erin_a', 500);
select is((pg_temp.pay('erin', 'pack_5', 'erin_b') ->> 'balance')::int, 5, 'a new purchase is credited in full');
select is((public.add_credits(tests.get_user_id('erin'), 2, 'grant', 'goodwill') ->> 'balance')::int, 7, 'so is a grant');
select results_eq($$ select * from pg_temp.debt('erin_a') $$, $$ values ('refunded'::text, 0, 5) $$, 'the debt is still open');
select tests.act_as('erin');
select public.cancel_interview(iv) from unnest(:'erin_ivs'::uuid[]) iv;
select is(tests.balance_of('erin'), 7, 'the five cancelled interviews repay the debt, not the new money');
select results_eq($$ select * from pg_temp.debt('erin_a') $$, $$ values ('refunded'::text, 5, 0) $$, 'debt repaid');

-- ------------------------------------------------------------------------------------------------
-- frank: a keyed cancel replays with the same recovery; the refund arrives before its completion.
-- ------------------------------------------------------------------------------------------------
select tests.give_credits('frank', 3);
select tests.act_as('frank');
select public.create_interview('Granted', null, 90) ->> 'interview_id' as frank_iv \gset
select tests.act_as_service_role();
select public.record_checkout(tests.get_user_id('frank'), 'pack_5', 'stripe', 'cs_frank');
select public.refund_payment('evt_refund_frank', 'pi_frank', 500);
select public.complete_checkout('evt_paid_frank', 'cs_frank', 500, 'usd', 'pi_frank');
select results_eq($$ select * from pg_temp.debt('frank') $$, $$ values ('refunded'::text, 5, 0) $$,
  'an early refund takes the whole purchase back on completion');
select tests.act_as('frank');
select public.cancel_interview(:'frank_iv', 'frank-cancel') as frank_cancel \gset
select is((:'frank_cancel'::jsonb) ->> 'recovered', '0', 'with no debt, a cancel recovers nothing');
select is(public.cancel_interview(:'frank_iv', 'frank-cancel'), (:'frank_cancel'::jsonb) || '{"replayed": true}',
  'the keyed cancel replays');
select is(tests.balance_of('frank'), 3, 'the granted credits come back in full');

-- frank again: a keyed cancel that repays debt replays the same result.
select tests.act_as_service_role();
select pg_temp.pay('frank', 'pack_5', 'frank_b');
select tests.act_as('frank');
select public.create_interview('Paid', null, 120) ->> 'interview_id' as frank_b_iv \gset
select public.deduct_credits(4, 'outside interviews');
select tests.act_as_service_role();
select public.refund_payment('evt_refund_frank_b', 'pi_frank_b', 500);
select results_eq($$ select * from pg_temp.debt('frank_b') $$, $$ values ('refunded'::text, 0, 5) $$, 'frank spent it all: 5 unrecovered');
select tests.act_as('frank');
select public.cancel_interview(:'frank_b_iv', 'frank-cancel-b') as frank_cancel_b \gset
-- The 4-credit interview held the 3 granted credits first (grants before purchases), then 1 paid.
select is((:'frank_cancel_b'::jsonb) - 'ledger_id' - 'interview_id',
  '{"status": "cancelled", "cancellation_reason": "recruiter", "refunded": 4, "released": 4, "recovered": 1, "expired": 0,
    "balance": 3, "reserved": 0, "replayed": false}'::jsonb,
  'the keyed cancel repays the 1 credit it held of the refunded lot; the 3 granted ones come back spendable');
select is(public.cancel_interview(:'frank_b_iv', 'frank-cancel-b'), (:'frank_cancel_b'::jsonb) || '{"replayed": true}',
  'and replays the same result');
select is(public.cancel_interview(:'frank_b_iv'), (:'frank_cancel_b'::jsonb) || '{"replayed": true}',
  'an unkeyed repeat gives the same result too');
select results_eq($$ select * from pg_temp.debt('frank_b') $$, $$ values ('refunded'::text, 1, 4) $$,
  'the 4 credits of the refunded lot spent outside interviews stay unrecovered');

select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds');
select is_empty($$ select id from public.payments where credits_reversed + credits_unrecovered <>
                     case when amount_refunded_cents >= amount_cents then credits
                          else credits * amount_refunded_cents / amount_cents end and status in ('refunded', 'partially_refunded') $$,
  'every refunded payment''s refunded share is reversed or unrecovered, exactly');
select is_empty($$ select id from public.credit_ledger where kind = 'reversal' and payment_id is null $$,
  'every reversal names its payment');

select * from finish();
rollback;
