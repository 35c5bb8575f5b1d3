-- Where lots come from and how they end: the sign-up grant, plans' validity, support adjustments,
-- the lot guard, one lot's expiry (billing.expire_lot, what the scheduled run calls per lot),
-- credits released into an expired lot, and one lapsed hold (billing.release_lapsed_hold).
begin;
select plan(30);

-- ------------------------------------------------------------------------------------------------
-- The sign-up grant: 0 credits by default (nothing happens), a promotional lot once configured.
-- ------------------------------------------------------------------------------------------------
select is((select credits from billing.signup_grant), 0, 'the sign-up grant is 0 credits by default');
select tests.create_user('plain');
select is((select count(*)::int from public.credit_lots where user_id = tests.get_user_id('plain')), 0,
  'so a new recruiter starts with no lot and no ledger row');
update billing.signup_grant set credits = 5, expires_after = interval '10 days', reason = 'Welcome credits';
select tests.create_user('welcomed');
select results_eq($$ select source, amount, remaining, priority, expires_at between now() + interval '10 days' - interval '1 minute'
                                                                            and now() + interval '10 days'
                       from public.credit_lots where user_id = tests.get_user_id('welcomed') $$,
  $$ values ('promotional'::text, 5, 5, 0::smallint, true) $$,
  'once configured, sign-up gives a promotional lot that expires after the configured time');
select results_eq($$ select kind, delta, actor, reason, idempotency_key from public.credit_ledger where user_id = tests.get_user_id('welcomed') $$,
  $$ values ('grant'::text, 5, 'system:signup'::text, 'Welcome credits'::text, 'signup'::text) $$,
  'as one grant row, keyed so it can happen once');
select is(tests.balance_of('welcomed'), 5, 'the recruiter can spend it at once');
update billing.signup_grant set credits = 0;

-- ------------------------------------------------------------------------------------------------
-- Plans say how long their credits last.
-- ------------------------------------------------------------------------------------------------
select tests.create_user('buyer');
select public.record_checkout(tests.get_user_id('buyer'), 'tier_starter', 'stripe', 'cs_lots_tier');
select public.complete_checkout('evt_lots_tier', 'cs_lots_tier', 2000, 'usd', 'pi_lots_tier');
select public.record_checkout(tests.get_user_id('buyer'), 'pack_5', 'stripe', 'cs_lots_pack');
select public.complete_checkout('evt_lots_pack', 'cs_lots_pack', 500, 'usd', 'pi_lots_pack');
select results_eq($$ select p.plan_id, l.source, l.amount, l.priority, l.expires_at - p.paid_at
                       from public.credit_lots l join public.payments p on p.id = l.payment_id
                      where l.user_id = tests.get_user_id('buyer') order by l.id $$,
  $$ values ('tier_starter'::text, 'purchase'::text, 25, 2::smallint, interval '365 days'),
            ('pack_5', 'purchase', 5, 2::smallint, null) $$,
  'a tier''s lot lasts 365 days from payment; a pack''s never expires');

-- ------------------------------------------------------------------------------------------------
-- Support adjustments: credits added are a lot with an optional expiry; credits removed are taken
-- from the lots in spend order (soonest expiry first among paid lots).
-- ------------------------------------------------------------------------------------------------
select billing.support_adjust_credits(tests.get_user_id('buyer'), 2, 'Goodwill', 'SUP-9', now() + interval '3 days') ->> 'lot_id' as goodwill \gset
select results_eq(format($$ select source, priority, expires_at > now() from public.credit_lots where id = %s $$, :goodwill),
  $$ values ('adjustment'::text, 1::smallint, true) $$, 'a positive adjustment is a lot of its own, with its expiry');
select billing.support_adjust_credits(tests.get_user_id('buyer'), -4, 'Duplicate purchase', 'SUP-10') ->> 'ledger_id' as taken \gset
select results_eq(format($$ select l.source, -e.remaining_delta from billing.credit_lot_moves e join public.credit_lots l on l.id = e.lot_id
                             where e.ledger_id = %s order by l.priority, l.expires_at nulls last, l.id $$, :taken),
  $$ values ('adjustment'::text, 2), ('purchase', 2) $$,
  'a negative adjustment takes the goodwill lot first (priority 1), then the tier (soonest expiry among purchases)');
select throws_ok(format($$ select billing.support_adjust_credits(%L, -1, 'x', 'SUP-11', now() + interval '1 day') $$, tests.get_user_id('buyer')),
  '22023', 'invalid_expires_at', 'an expiry is only for credits added');

-- The lot guard: support may move an expiry; credits change only with a ledger row.
select lives_ok(format($$ update public.credit_lots set expires_at = expires_at + interval '30 days' where id = %s $$, :goodwill),
  'support may extend a lot''s expiry by hand');
select throws_ok(format($$ update public.credit_lots set remaining = remaining + 100 where id = %s $$, :goodwill),
  '42501', 'credit_lots_changed_outside_ledger', 'but not change its credits');
select throws_ok(format($$ delete from public.credit_lots where id = %s $$, :goodwill),
  '42501', 'credit_lots_changed_outside_ledger', 'nor delete it');

-- ------------------------------------------------------------------------------------------------
-- Expiry takes only what is left: spent and held credits stay where they are.
-- ------------------------------------------------------------------------------------------------
select tests.create_user('expiring');
select tests.act_as_service_role();
select public.add_credits(tests.get_user_id('expiring'), 6, 'grant', 'Trial', null, null, now() + interval '1 hour') ->> 'lot_id' as trial \gset
select public.add_credits(tests.get_user_id('expiring'), 1, 'grant', 'Forever') ->> 'lot_id' as forever \gset
select tests.act_as('expiring');
select public.deduct_credits(1, 'report');
select public.create_interview('Held', null, 60) ->> 'interview_id' as held_iv \gset
select tests.reset_role();
select results_eq(format($$ select remaining, held, spent from public.credit_lots where id = %s $$, :trial),
  $$ values (3, 2, 1) $$, 'the trial lot (soonest expiry) gave 1 to the spend and 2 to the hold');
select is(billing.expire_lot(:trial, 'test'), 0, 'a lot not yet due expires nothing');
select tests.pass_lot_expiry(array[:trial]::bigint[]);
-- Past its expiry but not yet written off: the balance still counts it, a spend cannot use it.
select tests.act_as('expiring');
select is(tests.error_of($$ select public.deduct_credits(2) $$) ->> 'detail', '{"balance": 1, "required": 2}',
  'a spend cannot use credits past their expiry: PT402 with the spendable balance');
select tests.reset_role();
select is(billing.expire_lot(:trial, 'test'), 3, 'expiry takes the 3 left');
select results_eq(format($$ select remaining, held, spent, expired from public.credit_lots where id = %s $$, :trial),
  $$ values (0, 2, 1, 3) $$, 'the spent and the held credits are untouched');
select results_eq(format($$ select kind, delta, reference, reason from public.credit_ledger where reference = 'lot:%s' $$, :trial),
  format($$ values ('expiration'::text, -3, 'lot:%s'::text, 'Expired unused: Trial'::text) $$, :trial),
  'one expiration row names the lot, in plain words');
select is(billing.expire_lot(:trial, 'test'), 0, 'expiring again takes nothing');
select is(tests.balance_of('expiring'), 1, 'the lot that never expires is all that is available');

-- Credits of a hold released after their lot expired expire at once.
select tests.act_as('expiring');
select public.cancel_interview(:'held_iv') as released \gset
select is((:'released'::jsonb) - 'ledger_id' - 'interview_id',
  '{"status": "cancelled", "cancellation_reason": "recruiter", "refunded": 2, "released": 2, "recovered": 0, "expired": 2,
    "balance": 1, "reserved": 0, "replayed": false}'::jsonb,
  'cancelling returns the 2 credits to their expired lot, where they expire at once');
select is(public.cancel_interview(:'held_iv'), (:'released'::jsonb) || '{"replayed": true}',
  'and a repeated cancel replays it, expiry included');
select tests.reset_role();
select results_eq(format($$ select remaining, held, spent, expired from public.credit_lots where id = %s $$, :trial),
  $$ values (0, 0, 1, 5) $$, 'the trial lot ends with 1 spent and 5 expired');

-- ------------------------------------------------------------------------------------------------
-- A hold nobody captured or released lapses: its credits come back, the interview is cancelled.
-- ------------------------------------------------------------------------------------------------
select tests.create_user('forgetful');
select tests.give_credits('forgetful', 4);
select tests.act_as('forgetful');
select public.create_interview('Forgotten', null, 90) ->> 'interview_id' as lapsing \gset
select tests.reset_role();
select is(billing.release_lapsed_hold(:'lapsing'), false, 'a hold not yet due stays');
update public.interviews set hold_expires_at = now() - interval '1 second' where id = :'lapsing';
select is(billing.release_lapsed_hold(:'lapsing'), true, 'a due hold is released');
select results_eq(format($$ select status, cancellation_reason, refunded_credits from public.interviews where id = %L $$, :'lapsing'),
  $$ values ('cancelled'::text, 'hold_lapsed'::text, 3) $$, 'the interview is cancelled because its hold lapsed');
select results_eq($$ select credits, credits_reserved from public.users where id = tests.get_user_id('forgetful') $$,
  $$ values (4, 0) $$, 'all 4 credits are available again');
select is(billing.release_lapsed_hold(:'lapsing'), false, 'releasing again does nothing');
select tests.act_as_service_role();
select throws_ok(format($$ select public.complete_interview(%L) $$, :'lapsing'), 'PT409', 'interview_not_completable',
  'a lapsed interview can no longer be completed');

select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'the invariant holds for every wallet');

select * from finish();
rollback;
