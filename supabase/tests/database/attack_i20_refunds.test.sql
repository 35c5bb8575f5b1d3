-- Issue 20 as an unlucky ordering: refunds of the new kinds of payment. A subscription invoice
-- refunded after its lot rolled over takes the rolled-over credits back too (they are the same
-- paid credits in a new lot); an auto top-up refunded takes back its pack; a top-up whose charge
-- succeeds after auto top-up was turned off is still credited (the money was taken) and does not
-- turn it back on; a top-up reported with a payment intent another payment has is a stable conflict.
begin;
select plan(11);

select tests.create_user('atkr_alice');
select tests.create_user('atkr_bo');
create function pg_temp.invoice(p_id text, p_extra jsonb default '{}')
returns jsonb language sql as $$
  select jsonb_build_object('invoice_id', p_id, 'subscription_id', 'sub_atkr', 'customer_id', 'cus_atkr',
    'payment_intent', 'pi_' || p_id, 'amount_paid', 7900, 'currency', 'usd', 'billing_reason', 'subscription_cycle',
    'period_start', now() - interval '1 day', 'period_end', now() + interval '29 days',
    'lookup_key', 'sub_pro_monthly', 'user_id', tests.get_user_id('atkr_alice'), 'team_id', null,
    'event_created', extract(epoch from now())::bigint) || p_extra
$$;
create function pg_temp.code(p_sql text) returns text language sql as $$
  select e ->> 'code' || ' ' || (e ->> 'message') from tests.error_of(p_sql) e $$;

-- Pro monthly (100 credits, 50 roll over): 10 spent, the period ends: 50 roll, 40 expire.
select tests.act_as_service_role();
select public.apply_invoice_paid('evt_atkr_1', pg_temp.invoice('in_atkr_1'));
select tests.act_as('atkr_alice');
select public.deduct_credits(10, 'used some');
select tests.reset_role();
select tests.pass_lot_expiry(array(select id from public.credit_lots where user_id = tests.get_user_id('atkr_alice')));
select billing.expire_credit_lots();
select is(tests.balance_of('atkr_alice'), 50, 'setup: 50 credits rolled over into a rollover lot');

-- The invoice is refunded in full: the 50 rolled-over credits were paid by it and go back.
select tests.act_as_service_role();
select is((select r ->> 'credits_reversed' || '/' || (r ->> 'credits_unrecovered')
             from public.refund_payment('evt_atkr_r1', 'pi_in_atkr_1', 7900, 'usd') r),
  '50/50', 'a full refund takes back the 50 rolled-over credits (the 10 spent and 40 expired are unrecovered)');
select tests.reset_role();
select is(tests.balance_of('atkr_alice'), 0, 'so no credit is left of a refunded invoice');
select is((select remaining || ':' || voided from public.credit_lots
            where user_id = tests.get_user_id('atkr_alice') and source = 'rollover'), '0:50', 'the rollover lot is voided');
select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds');
select tests.act_as_service_role();
select is(public.refund_payment('evt_atkr_r2', 'pi_in_atkr_1', 7900, 'usd') ->> 'replayed', 'false',
  'the same refund under another event id ...');
select tests.reset_role();
select is(tests.balance_of('atkr_alice') || ':' || (select credits_reversed from public.payments where provider_session_id = 'in_atkr_1'),
  '0:50', '... takes nothing twice');

-- Auto top-up: turned off while the charge is at the provider; the success lands afterwards.
select tests.give_credits('atkr_bo', 12);
insert into public.billing_customers (wallet_id, provider, provider_customer_id, default_payment_method)
values (tests.get_user_id('atkr_bo'), 'local', 'cus_local_atkr', 'pm_card_visa');
select tests.act_as('atkr_bo');
select public.set_auto_topup(10, 'pack_5', 1000);
select public.deduct_credits(3, 'crosses');
select tests.act_as_service_role();
create temp table atkr_claim as select * from public.claim_topup_requests(10);
select tests.act_as('atkr_bo');
select public.disable_auto_topup();
select tests.act_as_service_role();
select is(pg_temp.code($$ select public.settle_auto_topup((select request_id from atkr_claim), 'succeeded', 'pi_in_atkr_1', 500, 'usd') $$),
  'PT409 payment_intent_in_use', 'a success reported with another payment''s payment intent is PT409 payment_intent_in_use');
select is((public.settle_auto_topup((select request_id from atkr_claim), 'succeeded', 'pi_atkr_bo', 500, 'usd') ->> 'credited')::integer,
  5, 'the charge that succeeds after auto top-up was turned off is credited: the money was taken');
select tests.reset_role();
select is((select status from public.auto_topup_settings where wallet_id = tests.get_user_id('atkr_bo'))
  || ':' || coalesce((select auto_topup_threshold::text from public.users where id = tests.get_user_id('atkr_bo')), 'null'),
  'off:null', 'and auto top-up stays off');
-- Its refund takes the pack back like a pack's.
select tests.act_as_service_role();
select public.refund_payment('evt_atkr_r3', 'pi_atkr_bo', 500, 'usd');
select is((select status || ':' || credits_reversed from public.payments where provider_payment_intent = 'pi_atkr_bo')
  || ':' || tests.balance_of('atkr_bo'), 'refunded:5:9', 'a refunded auto top-up takes its 5 credits back');

select * from finish();
rollback;
