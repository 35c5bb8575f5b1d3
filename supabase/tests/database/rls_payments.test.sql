-- public.payments: owners read their own payments; only the service-role functions write them.
begin;
select plan(9);

select tests.create_user('alice');
select tests.create_user('bob');
insert into public.payments (user_id, plan_id, provider, provider_session_id, credits, amount_cents, currency)
values (tests.get_user_id('alice'), 'pack_5', 'local', 'cs_local_rls_alice', 5, 500, 'usd'),
       (tests.get_user_id('bob'), 'pack_10', 'local', 'cs_local_rls_bob', 10, 900, 'usd');

select tests.act_as_anon();
select throws_ok($$ select * from public.payments $$, '42501', null, 'anon cannot read payments');

select tests.act_as('alice');
select results_eq($$ select provider_session_id, status from public.payments $$,
  $$ values ('cs_local_rls_alice'::text, 'pending'::text) $$, 'alice sees only her own payment');
select throws_ok($$ insert into public.payments (user_id, plan_id, provider, provider_session_id, credits, amount_cents, currency)
                    values (tests.get_user_id('alice'), 'pack_5', 'local', 'cs_x', 5, 1, 'usd') $$, '42501', null,
  'alice cannot insert a payment');
select throws_ok($$ update public.payments set status = 'paid' $$, '42501', null, 'alice cannot mark a payment paid');
select throws_ok($$ delete from public.payments $$, '42501', null, 'alice cannot delete payments');

select tests.act_as('bob');
select results_eq($$ select provider_session_id from public.payments $$,
  $$ values ('cs_local_rls_bob'::text) $$, 'bob sees only his own payment');

select tests.act_as_service_role();
select is((select count(*)::int from public.payments where provider_session_id like 'cs_local_rls_%'), 2,
  'service_role reads all payments');
select throws_ok($$ update public.payments set status = 'paid' $$, '42501', null,
  'service_role writes payments only through the payment functions');

select tests.reset_role();
select throws_ok($$ update public.payments set amount_refunded_cents = 501 where provider_session_id = 'cs_local_rls_alice' $$,
  '23514', null, 'a refund can never exceed the amount paid');

select * from finish();
rollback;
