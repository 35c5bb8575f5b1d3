-- Issue 20 as an attacker, the service-role side: signed but hostile subscription events never
-- move a subscription to another wallet, never credit without the money, and every refusal is a
-- stable 22023 / PT409 (the webhook records it as rejected instead of a 5xx Stripe retries for days).
begin;
select plan(14);

select tests.create_user('atke_alice');
select tests.create_user('atke_mallory');
select tests.create_user('atke_owner');

create function pg_temp.invoice(p_id text, p_extra jsonb default '{}')
returns jsonb language sql as $$
  select jsonb_build_object('invoice_id', p_id, 'subscription_id', 'sub_atke', 'customer_id', 'cus_atke',
    'payment_intent', 'pi_' || p_id, 'amount_paid', 7900, 'currency', 'usd', 'billing_reason', 'subscription_cycle',
    'period_start', now() - interval '1 day', 'period_end', now() + interval '29 days',
    'lookup_key', 'sub_pro_monthly', 'user_id', tests.get_user_id('atke_alice'), 'team_id', null,
    'event_created', extract(epoch from now())::bigint) || p_extra
$$;
create function pg_temp.code(p_sql text) returns text language sql as $$
  select e ->> 'code' || ' ' || (e ->> 'message') from tests.error_of(p_sql) e $$;
create function pg_temp.state() returns text language sql security definer as $$
  select tests.balance_of('atke_alice') || '/' || tests.balance_of('atke_mallory') || '/'
      || (select count(*) from public.payments where purpose = 'subscription') || '/'
      || (select string_agg(s.status || ':' || (s.user_id = tests.get_user_id('atke_alice')), ',') from public.subscriptions s) $$;

select tests.act_as_service_role();
select public.apply_invoice_paid('evt_atke_1', pg_temp.invoice('in_atke_1'));
select is(pg_temp.state(), '100/0/1/active:true', 'setup: Alice''s Pro monthly granted 100');

-- Metadata naming Mallory's wallet on Alice's subscription id: Alice's row, Alice's wallet.
select is(public.apply_invoice_paid('evt_atke_2', pg_temp.invoice('in_atke_2',
    jsonb_build_object('user_id', tests.get_user_id('atke_mallory')))) ->> 'user_id', tests.get_user_id('atke_alice')::text,
  'an invoice of Alice''s subscription whose metadata names Mallory is still Alice''s payment');
select public.apply_subscription_event('evt_atke_3', 'customer.subscription.updated', jsonb_build_object(
  'subscription_id', 'sub_atke', 'status', 'active', 'lookup_key', 'sub_pro_monthly',
  'user_id', tests.get_user_id('atke_mallory'), 'event_created', extract(epoch from now())::bigint + 5));
select is(pg_temp.state(), '200/0/2/active:true', 'and neither it nor a subscription event moves the subscription or credits Mallory');

-- Amounts that are not whole minor units, and periods no lot may have: 22023, nothing changes.
select is(pg_temp.code($$ select public.apply_invoice_paid('evt_atke_4', pg_temp.invoice('in_atke_4', '{"amount_paid": -7900}')) $$)
  || ' / ' || pg_temp.code($$ select public.apply_invoice_paid('evt_atke_5', pg_temp.invoice('in_atke_5', '{"amount_paid": 1e30}')) $$)
  || ' / ' || pg_temp.code($$ select public.apply_invoice_paid('evt_atke_6', pg_temp.invoice('in_atke_6', '{"amount_paid": "7900"}')) $$)
  || ' / ' || pg_temp.code($$ select public.apply_invoice_paid('evt_atke_7', pg_temp.invoice('in_atke_7', '{"amount_paid": 7899.5}')) $$),
  '22023 invalid_amount_paid / 22023 invalid_amount_paid / 22023 invalid_amount_paid / 22023 invalid_amount_paid',
  'a negative, huge, text or fractional amount_paid is 22023 invalid_amount_paid');
select is(pg_temp.code($$ select public.apply_invoice_paid('evt_atke_8', pg_temp.invoice('in_atke_8',
    jsonb_build_object('period_end', now() + interval '200 years'))) $$),
  '22023 invalid_period_end', 'a period ending 200 years ahead is refused (no lot may outlive 100 years)');
select is(pg_temp.code($$ select public.apply_invoice_paid('evt_atke_9', pg_temp.invoice('in_atke_9', '{"period_end": 1e300}')) $$),
  '22023 invalid_period_end', 'an epoch no timestamp can hold is refused');
select is(pg_temp.state(), '200/0/2/active:true', 'none of them changed anything');

-- A pack's price on the invoice: never a subscription grant.
select is(public.apply_invoice_paid('evt_atke_10', pg_temp.invoice('in_atke_10',
    jsonb_build_object('subscription_id', 'sub_atke_pack', 'lookup_key', 'pack_10', 'plan_id', 'pack_10', 'amount_paid', 900,
                       'user_id', tests.get_user_id('atke_mallory')))) ->> 'status',
  'unknown_subscription', 'an invoice of a new subscription naming a pack creates nothing');
select is(public.apply_invoice_paid('evt_atke_11', pg_temp.invoice('in_atke_11',
    '{"lookup_key": "pack_10", "plan_id": "pack_10", "amount_paid": 900}')) ->> 'status',
  'failed', 'on Alice''s subscription a pack''s price is a mismatch of her plan''s: recorded failed');
select is(tests.balance_of('atke_alice') || '/' || tests.balance_of('atke_mallory'), '200/0', 'credited nothing');

-- A payment intent another payment already has: a stable conflict, not a unique violation.
select is(pg_temp.code($$ select public.apply_invoice_paid('evt_atke_12', pg_temp.invoice('in_atke_12', '{"payment_intent": "pi_in_atke_1"}')) $$),
  'PT409 payment_intent_in_use', 'an invoice reusing another payment''s payment intent is PT409 payment_intent_in_use');
select is(pg_temp.state(), '200/0/3/active:true', 'and credits nothing');

-- A team deleted while its subscription checkout is still open at Stripe (Checkout sessions
-- live 24 hours): the deletion waits, else the completed checkout would subscribe a deleted team
-- nobody can see, manage or cancel, and Stripe would charge it every month.
create temp table atke (team_id uuid);
insert into atke select tests.create_team('atke_owner', 'Deleted team');
grant select on atke to authenticated, service_role;
select public.record_subscription_checkout(tests.get_user_id('atke_owner'), (select team_id from atke), 'sub_pro_monthly', 'stripe', 'cs_atke');
select tests.act_as('atke_owner');
select is(pg_temp.code($$ select public.delete_team((select team_id from atke)) $$), 'PT409 team_has_subscription',
  'a team with a subscription checkout opened in the last 24 hours cannot be deleted');
select tests.reset_role();
update public.subscriptions set created_at = now() - interval '25 hours' where checkout_session_id = 'cs_atke';
select tests.act_as('atke_owner');
select is(pg_temp.code($$ select public.delete_team((select team_id from atke)) $$), null,
  'once Stripe has expired the checkout (24 hours), it can');

select * from finish();
rollback;
