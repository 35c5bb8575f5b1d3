-- Subscription invoices: invoice.paid grants a period's credits once per invoice (a payments row
-- of purpose subscription and a subscription lot expiring at the period end with the plan's
-- rollover terms), before or after the subscription events, prorates upgrades, grants nothing for
-- downgrades or mismatched amounts, and its refund goes through refund_payment like a pack's.
begin;
select plan(35);

select tests.create_user('sub_alice');
select tests.create_user('sub_owner');
select tests.create_user('sub_member');
select tests.create_user('sub_admin');

-- An invoice.paid of sub_alice's Pro monthly subscription sub_a for the period [now-1d, now+29d].
create function pg_temp.invoice(p_id text, p_extra jsonb default '{}')
returns jsonb language sql as $$
  select jsonb_build_object('invoice_id', p_id, 'subscription_id', 'sub_a', 'customer_id', 'cus_a',
    'payment_intent', 'pi_' || p_id, 'amount_paid', 7900, 'currency', 'usd', 'billing_reason', 'subscription_cycle',
    'period_start', now() - interval '1 day', 'period_end', now() + interval '29 days',
    'lookup_key', 'sub_pro_monthly', 'user_id', tests.get_user_id('sub_alice'), 'team_id', null,
    'event_created', extract(epoch from now())::bigint) || p_extra
$$;

-- invoice.paid before customer.subscription.created: the row is made from the metadata.
select is(public.apply_invoice_paid('evt_i1', pg_temp.invoice('in_1')) ->> 'credited', '100',
  'invoice.paid before any subscription event grants the plan''s 100 credits');
select is((select status || ' ' || plan_id from public.subscriptions where provider_subscription_id = 'sub_a'),
  'active sub_pro_monthly', 'and creates the subscription from the invoice''s metadata: active on Pro monthly');
select results_eq(
  $$ select p.purpose, p.status, p.credits, p.amount_cents, p.provider_payment_intent from public.payments p where p.provider_session_id = 'in_1' $$,
  $$ values ('subscription'::text, 'paid'::text, 100, 7900, 'pi_in_1'::text) $$,
  'the invoice is a paid payment of purpose subscription, keyed by the invoice id, with its payment intent');
select results_eq(
  $$ select l.source, l.remaining, l.rollover_limit, l.rollover_expires_after, l.expires_at = now() + interval '29 days'
       from public.credit_lots l join public.payments p on p.id = l.payment_id where p.provider_session_id = 'in_1' $$,
  $$ values ('subscription'::text, 100, 50, interval '1 month', true) $$,
  'its lot is a subscription lot expiring at the period end, carrying the plan''s rollover cap (50) and duration (1 month)');

select is(public.apply_subscription_event('evt_s1', 'customer.subscription.created', jsonb_build_object(
    'subscription_id', 'sub_a', 'customer_id', 'cus_a', 'status', 'active', 'lookup_key', 'sub_pro_monthly',
    'user_id', tests.get_user_id('sub_alice'), 'current_period_start', extract(epoch from now() - interval '1 day')::bigint,
    'current_period_end', extract(epoch from now() + interval '29 days')::bigint, 'cancel_at_period_end', false,
    'event_created', extract(epoch from now() - interval '5 seconds')::bigint)) ->> 'status', 'active',
  'customer.subscription.created arriving after the invoice leaves it active');
select is((select count(*)::integer from public.subscriptions where user_id = tests.get_user_id('sub_alice')), 1,
  'one subscription row for both events');
select is(tests.balance_of('sub_alice'), 100, 'the created event credits nothing more');

-- A renewal delivered twice (same event id) and the same invoice under another event id grant once.
select is(public.apply_invoice_paid('evt_i2', pg_temp.invoice('in_2')) ->> 'credited', '100',
  'a renewal invoice grants the period''s credits');
select is((public.apply_invoice_paid('evt_i2', pg_temp.invoice('in_2')) ->> 'replayed')::boolean, true,
  'the same event delivered again is a replay');
select is(public.apply_invoice_paid('evt_i2_again', pg_temp.invoice('in_2')) ->> 'credited', '0',
  'the same invoice under another event id credits nothing');
select is(tests.balance_of('sub_alice'), 200, 'the renewal was granted exactly once');

-- Upgrade (Pro monthly -> Pro yearly would change the interval; use Starter -> Pro on a second
-- recruiter) and downgrade.
select tests.create_user('sub_bob');
select is(public.apply_invoice_paid('evt_b1', pg_temp.invoice('in_b1', jsonb_build_object('subscription_id', 'sub_b',
    'user_id', tests.get_user_id('sub_bob'), 'lookup_key', 'sub_starter_monthly', 'amount_paid', 2500,
    'period_start', now() - interval '15 days', 'period_end', now() + interval '15 days'))) ->> 'credited', '30',
  'Starter monthly grants 30');
select is(public.apply_invoice_paid('evt_b2', pg_temp.invoice('in_b2', jsonb_build_object('subscription_id', 'sub_b',
    'user_id', tests.get_user_id('sub_bob'), 'lookup_key', 'sub_pro_monthly', 'amount_paid', 2700,
    'billing_reason', 'subscription_update', 'previous_lookup_key', 'sub_starter_monthly',
    'period_start', now() + interval '15 days' - (now() + interval '15 days' - (now() + interval '15 days' - interval '1 month')) / 2,
    'period_end', now() + interval '15 days'))) ->> 'credited',
  '35', 'an upgrade Starter -> Pro half way through the period grants floor((100 - 30) * 1/2) = 35');
select is(public.apply_invoice_paid('evt_b3', pg_temp.invoice('in_b3', jsonb_build_object('subscription_id', 'sub_b',
    'user_id', tests.get_user_id('sub_bob'), 'lookup_key', 'sub_starter_monthly', 'amount_paid', 1,
    'billing_reason', 'subscription_update',
    'period_start', now(), 'period_end', now() + interval '10 days'))) #>> '{}',
  (select jsonb_build_object('payment_id', null, 'status', 'not_granted', 'credited', 0, 'reason', 'downgrade',
     'prorated', true, 'previous_plan_id', 'sub_pro_monthly', 'subscription_id', s.id, 'subscription_status', 'active',
     'invoice_id', 'in_b3', 'replayed', false) #>> '{}' from public.subscriptions s where s.provider_subscription_id = 'sub_b'),
  'a downgrade grants nothing (the previous plan is the last granted one: Pro)');
select is(tests.balance_of('sub_bob'), 65, 'and takes nothing back: 30 + 35');

-- Amount or currency not the plan's: recorded as a failed payment, nothing credited.
select is(public.apply_invoice_paid('evt_m1', pg_temp.invoice('in_m1', '{"amount_paid": 100}')) ->> 'credited', '0',
  'an invoice paying less than the plan credits nothing');
select is((select status || ': ' || failure_reason from public.payments where provider_session_id = 'in_m1'),
  'failed: amount_mismatch: paid 100 usd (line not given), expected 7900 usd', 'it is recorded as failed with the reason');
select is(public.apply_invoice_paid('evt_m2', pg_temp.invoice('in_m2', '{"currency": "eur"}')) ->> 'status', 'failed',
  'an invoice in another currency fails too');
select is(tests.balance_of('sub_alice'), 200, 'no mismatched invoice moved the balance');

-- The price is checked on the period line when the event gives it: exclusive tax (or a coupon, or a
-- customer balance) moves amount_paid, not what the period is worth.
select tests.create_user('sub_taxed');
create function pg_temp.taxed(p_id text, p_extra jsonb) returns jsonb language sql as $$
  select pg_temp.invoice(p_id, jsonb_build_object('subscription_id', 'sub_tax', 'payment_intent', 'pi_' || p_id,
    'user_id', tests.get_user_id('sub_taxed')) || p_extra) $$;
select is(public.apply_invoice_paid('evt_tax1', pg_temp.taxed('in_tax1', '{"amount_paid": 9480, "line_amount": 7900}')) ->> 'credited', '100',
  'a Pro monthly invoice with 20% exclusive tax (paid 9,480, line 7,900) grants the period''s 100 credits');
select is((select amount_cents from public.payments where provider_session_id = 'in_tax1'), 9480,
  'and records what was paid (refunds are shares of it)');
select is(public.apply_invoice_paid('evt_tax2', pg_temp.taxed('in_tax2', '{"amount_paid": 7900, "line_amount": 5000}')) ->> 'credited', '0',
  'a period line that is not the plan''s price credits nothing, whatever was paid');
select throws_ok($$ select public.apply_invoice_paid('evt_tax3', pg_temp.taxed('in_tax3', '{"line_amount": "7900"}')) $$,
  '22023', 'invalid_line_amount', 'a line amount that is not a whole number is refused');

-- Refund of a subscription invoice: charge.refunded by its payment intent takes back the lot.
select is(public.refund_payment('evt_r1', 'pi_in_2', 7900, 'usd') ->> 'status', 'refunded',
  'refund_payment finds the subscription invoice by its payment intent');
select is(tests.balance_of('sub_alice'), 100, 'and reverses its 100 credits');

-- A refund before its invoice.paid is kept and applied when the invoice lands.
select is(public.refund_payment('evt_r2', 'pi_in_3', 3950, 'usd') ->> 'status', 'deferred', 'a refund before the invoice is deferred');
select is(public.apply_invoice_paid('evt_i3', pg_temp.invoice('in_3')) ->> 'credits_reversed', '50',
  'the invoice then grants 100 and the early half refund takes back 50');

-- A team subscription: bought by an admin, spent by a member.
select tests.create_team('sub_owner', 'Sub team') as team_id \gset
select tests.add_member(:'team_id', 'sub_member', 'member');
select tests.add_member(:'team_id', 'sub_admin', 'admin');
select throws_ok(format($$ select public.record_subscription_checkout(%L, %L, 'sub_pro_monthly', 'stripe', 'cs_team_member') $$,
    tests.get_user_id('sub_member'), :'team_id'), '42501', 'not_team_admin', 'a member cannot subscribe for the team');
select is(public.record_subscription_checkout(tests.get_user_id('sub_admin'), :'team_id', 'sub_pro_monthly', 'stripe', 'cs_team') ->> 'status',
  'incomplete', 'an admin starts the team''s subscription checkout');
select is(public.apply_invoice_paid('evt_t1', pg_temp.invoice('in_t1', jsonb_build_object('subscription_id', 'sub_t',
    'user_id', tests.get_user_id('sub_admin'), 'team_id', :'team_id'))) ->> 'balance', '100',
  'its invoice credits the team wallet');
select is((select provider_subscription_id || ' ' || status from public.subscriptions where checkout_session_id = 'cs_team'),
  'sub_t active', 'the checkout row becomes the subscription');
select tests.act_as('sub_member');
select is((public.deduct_credits(10, 'interview', null, :'team_id') ->> 'balance')::integer, 90,
  'a member spends the subscription credits');
select tests.reset_role();

select throws_ok($$ select public.apply_invoice_paid('evt_np', pg_temp.invoice('in_np') - 'period_end') $$,
  '22023', 'invalid_period_end', 'an invoice without its period end is refused (its credits would never expire)');

-- The next period begins: its invoice's lot is what this period end takes; the earlier periods'
-- lots, due at the new period's start and live until the expiry run takes them, are not.
select public.apply_subscription_event('evt_s_next', 'customer.subscription.updated', jsonb_build_object(
    'subscription_id', 'sub_a', 'customer_id', 'cus_a', 'status', 'active', 'lookup_key', 'sub_pro_monthly',
    'current_period_start', extract(epoch from now() + interval '29 days')::bigint,
    'current_period_end', extract(epoch from now() + interval '59 days')::bigint, 'cancel_at_period_end', false,
    'event_created', extract(epoch from now())::bigint + 10));
select public.apply_invoice_paid('evt_i_next', pg_temp.invoice('in_next',
  jsonb_build_object('period_start', now() + interval '29 days', 'period_end', now() + interval '59 days')));
select tests.act_as('sub_alice');
select is((select (s ->> 'expiring_at_period_end')::integer + (s ->> 'rolling_over_at_period_end')::integer from public.subscription_status() s),
  100, 'subscription_status counts the current period''s 100 credits, not the 200 of the periods before it');
select tests.reset_role();

select is_empty($$ select * from billing.credit_invariant_violations() $$, 'the credit invariant holds after all of it');

select * from finish();
rollback;
