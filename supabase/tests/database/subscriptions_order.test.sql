-- Stripe does not order webhook deliveries: the same subscription events delivered in any order,
-- and any number of times, end in the same row and the same balance; an older event changes
-- nothing, a cancellation wins a tie, a cancellation at period end keeps the credits until then,
-- and a failed renewal makes it past due and mails the owner once per invoice.
begin;
select plan(16);

-- The life of a subscription, as events step 1..4 (times are event.created, epoch seconds):
--   1 customer.subscription.created  t=1000 incomplete, Pro monthly
--   2 invoice.paid (subscription_create) t=1001
--   3 customer.subscription.updated  t=1001 active
--   4 customer.subscription.updated  t=2000 active, cancel_at_period_end
create function pg_temp.deliver(p_user text, p_step integer)
returns jsonb language plpgsql as $$
declare
  v_sub jsonb := jsonb_build_object('subscription_id', 'sub_' || p_user, 'customer_id', 'cus_' || p_user,
    'lookup_key', 'sub_pro_monthly', 'user_id', tests.get_user_id(p_user),
    'current_period_start', '2026-12-01T00:00:00Z', 'current_period_end', '2027-01-01T00:00:00Z');
begin
  return case p_step
    when 1 then public.apply_subscription_event('evt_1_' || p_user, 'customer.subscription.created',
                  v_sub || '{"status": "incomplete", "cancel_at_period_end": false, "event_created": 1000}')
    when 2 then public.apply_invoice_paid('evt_2_' || p_user, jsonb_build_object('invoice_id', 'in_' || p_user,
                  'subscription_id', 'sub_' || p_user, 'payment_intent', 'pi_' || p_user, 'amount_paid', 7900,
                  'currency', 'usd', 'billing_reason', 'subscription_create', 'lookup_key', 'sub_pro_monthly',
                  'user_id', tests.get_user_id(p_user), 'period_start', '2026-12-01T00:00:00Z',
                  'period_end', now() + interval '20 days', 'event_created', 1001))
    when 3 then public.apply_subscription_event('evt_3_' || p_user, 'customer.subscription.updated',
                  v_sub || '{"status": "active", "cancel_at_period_end": false, "event_created": 1001}')
    else public.apply_subscription_event('evt_4_' || p_user, 'customer.subscription.updated',
                  v_sub || '{"status": "active", "cancel_at_period_end": true, "event_created": 2000}')
  end;
end;
$$;

create function pg_temp.state(p_user text)
returns text language sql as $$
  select s.status || ' ' || s.plan_id || ' ' || s.cancel_at_period_end || ' ' || s.current_period_end || ' '
         || (select count(*) from public.subscriptions x where x.user_id = s.user_id) || ' rows, balance ' || u.credits
    from public.subscriptions s join public.users u on u.id = s.user_id
   where s.provider_subscription_id = 'sub_' || p_user
$$;

select tests.create_user(n) from unnest(array['ord_a', 'ord_b', 'ord_c', 'ord_d']) n;

-- In order; reversed; shuffled and each event twice; shuffled with the created event last.
select pg_temp.deliver('ord_a', s) from unnest(array[1, 2, 3, 4]) s;
select pg_temp.deliver('ord_b', s) from unnest(array[4, 3, 2, 1]) s;
select pg_temp.deliver('ord_c', s) from unnest(array[2, 4, 2, 1, 3, 4, 1, 3]) s;
select pg_temp.deliver('ord_d', s) from unnest(array[3, 2, 4, 1]) s;

select is(pg_temp.state('ord_a'), 'active sub_pro_monthly true 2027-01-01 00:00:00+00 1 rows, balance 100',
  'in order: active, Pro monthly, cancelling at the period end, one row, 100 credits');
select is(pg_temp.state('ord_b'), pg_temp.state('ord_a'), 'reversed: the same state');
select is(pg_temp.state('ord_c'), pg_temp.state('ord_a'), 'shuffled with every event delivered twice: the same state');
select is(pg_temp.state('ord_d'), pg_temp.state('ord_a'), 'invoice.paid before customer.subscription.created: the same state');

-- An older delivery (t=1500) changes nothing of a row that has seen t=2000.
select is(public.apply_subscription_event('evt_old_ord_a', 'customer.subscription.updated', jsonb_build_object(
    'subscription_id', 'sub_ord_a', 'status', 'past_due', 'cancel_at_period_end', false, 'lookup_key', 'sub_starter_monthly',
    'current_period_start', '2026-11-01T00:00:00Z', 'current_period_end', '2026-12-01T00:00:00Z', 'event_created', 1500)) ->> 'status',
  'active', 'an event older than the newest applied is ignored (answered with the current state)');
select is(pg_temp.state('ord_a'), pg_temp.state('ord_b'), 'plan, period, status and cancel flag are unchanged');

-- Cancelled at period end: the credits stay until the period ends.
select tests.act_as('ord_a');
select results_eq(
  $$ select s ->> 'status', (s ->> 'cancel_at_period_end')::boolean, (s ->> 'expiring_at_period_end')::integer,
            (s ->> 'rolling_over_at_period_end')::integer, (s ->> 'can_manage')::boolean
       from public.subscription_status() s $$,
  $$ values ('active', true, 50, 50, true) $$,
  'subscription_status: active, ending at the period end; of its 100 credits 50 expire and 50 (the cap) roll over');
select tests.reset_role();
select is(public.apply_subscription_event('evt_del_ord_a', 'customer.subscription.deleted', jsonb_build_object(
    'subscription_id', 'sub_ord_a', 'status', 'canceled', 'event_created', 3000, 'canceled_at', 3000)) ->> 'status',
  'canceled', 'customer.subscription.deleted cancels it');
select results_eq(
  $$ select u.credits, l.remaining, l.expires_at = now() + interval '20 days'
       from public.users u join public.credit_lots l on l.user_id = u.id where u.id = tests.get_user_id('ord_a') $$,
  $$ values (100, 100, true) $$,
  'the cancelled subscription''s credits stay, in a lot that still expires at its period end');
select is(public.apply_subscription_event('evt_late_ord_a', 'customer.subscription.updated', jsonb_build_object(
    'subscription_id', 'sub_ord_a', 'status', 'active', 'event_created', 4000)) ->> 'status',
  'canceled', 'canceled is final: even a newer update does not revive it');

-- On the same second, a cancellation wins whatever the delivery order.
select public.apply_subscription_event('evt_tie1_ord_b', 'customer.subscription.deleted',
  '{"subscription_id": "sub_ord_b", "status": "canceled", "event_created": 5000}');
select public.apply_subscription_event('evt_tie2_ord_b', 'customer.subscription.updated',
  '{"subscription_id": "sub_ord_b", "status": "active", "cancel_at_period_end": false, "event_created": 5000}');
select is((select status || ' ' || cancel_at_period_end from public.subscriptions where provider_subscription_id = 'sub_ord_b'),
  'canceled true', 'deleted then updated at the same second: canceled, the deletion''s snapshot kept');

-- A failed renewal: past due, one mail per invoice (Stripe's retries are new events), then paid.
select is(public.apply_invoice_failed('evt_f1', jsonb_build_object('invoice_id', 'in_fail_c', 'subscription_id', 'sub_ord_c',
    'amount_due', 7900, 'currency', 'usd', 'amount_paid', 0, 'event_created', 3000)) ->> 'status',
  'past_due', 'invoice.payment_failed makes it past due');
select public.apply_invoice_failed('evt_f2', jsonb_build_object('invoice_id', 'in_fail_c', 'subscription_id', 'sub_ord_c',
  'amount_due', 7900, 'currency', 'usd', 'amount_paid', 0, 'event_created', 3100));
select results_eq(
  $$ select to_address, template, params ->> 'plan_name', params ->> 'workspace_name' from billing.email_outbox
      where dedupe_key like 'subscription_payment_failed:%' $$,
  $$ values ('ord_c@tests.local'::text, 'subscription_payment_failed'::text, 'Pro monthly', 'your personal workspace') $$,
  'the buyer gets one mail for the invoice, however many times it fails');
select is(public.apply_invoice_failed('evt_f0', jsonb_build_object('invoice_id', 'in_fail_c0', 'subscription_id', 'sub_ord_c',
    'amount_paid', 0, 'event_created', 2500)) ->> 'status',
  'past_due', 'an older failure changes nothing either way');
select is(public.apply_subscription_event('evt_ok_ord_c', 'customer.subscription.updated', jsonb_build_object(
    'subscription_id', 'sub_ord_c', 'status', 'active', 'event_created', 3200)) ->> 'status',
  'active', 'a newer update (the retry succeeded) makes it active again');

select is_empty($$ select * from billing.credit_invariant_violations() $$, 'the credit invariant holds');

select * from finish();
rollback;
