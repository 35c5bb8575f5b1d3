-- The payment functions and their bookkeeping are for the service role (the Edge Functions) only.
begin;
select plan(25);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('bob', 2);
select tests.act_as('bob');
select public.create_interview('Bob''s', null, 30) ->> 'interview_id' as bobs_iv \gset

select tests.act_as('alice');
select throws_ok($$ select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'local', 'cs_local_mine') $$,
  '42501', null, 'a signed-in user cannot record a checkout');
select throws_ok($$ select public.complete_checkout('evt_self', 'cs_local_mine', 500, 'usd') $$,
  '42501', null, 'a signed-in user cannot complete a checkout (no self-crediting)');
select throws_ok($$ select public.refund_payment('evt_self', 'pi_x', 1) $$,
  '42501', null, 'a signed-in user cannot refund');
select throws_ok($$ select * from billing.processed_events $$, '42501', null,
  'a signed-in user cannot see processed events');

select throws_ok($$ select public.fail_checkout('evt_self', 'cs_local_mine', 'expired') $$,
  '42501', null, 'a signed-in user cannot fail a checkout');
select throws_ok($$ select public.reject_event('evt_self', 'charge.refunded', 'no') $$,
  '42501', null, 'a signed-in user cannot reject events');
select throws_ok($$ select public.record_checkout(tests.get_user_id('bob'), 'pack_5', 'local', 'cs_local_bobs') $$,
  '42501', null, 'a user cannot record a checkout for another user');
select throws_ok($$ select public.refund_payment('evt_self2', 'cs_local_bobs', 500) $$,
  '42501', null, 'a user cannot refund another user''s payment');
select throws_ok($$ select public.fail_checkout('evt_self3', 'cs_local_bobs', 'expired') $$,
  '42501', null, 'a user cannot fail another user''s checkout');
select throws_ok(format($$ select public.complete_interview(%L) $$, :'bobs_iv'),
  '42501', null, 'a user cannot complete another user''s interview');

select tests.act_as_anon();
select throws_ok($$ select public.complete_checkout('evt_anon', 'cs_local_mine', 500, 'usd') $$,
  '42501', null, 'anon cannot complete a checkout');
select throws_ok($$ select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'local', 'cs_local_anon') $$,
  '42501', null, 'anon cannot record a checkout');
select throws_ok($$ select public.refund_payment('evt_anon', 'cs_local_mine', 1) $$,
  '42501', null, 'anon cannot refund');
select throws_ok($$ select public.fail_checkout('evt_anon', 'cs_local_mine', 'expired') $$,
  '42501', null, 'anon cannot fail a checkout');
select throws_ok(format($$ select public.complete_interview(%L) $$, :'bobs_iv'),
  '42501', null, 'anon cannot complete an interview');
select throws_ok($$ select public.reject_event('evt_anon', 'charge.refunded', 'no') $$,
  '42501', null, 'anon cannot reject events');

select tests.act_as_service_role();
select lives_ok($$ select public.record_checkout(tests.get_user_id('alice'), 'pack_5', 'local', 'cs_local_access') $$,
  'service_role records a checkout');
select throws_ok($$ select * from billing.early_refunds $$, '42501', null,
  'even service_role reaches the bookkeeping only through the functions');
select tests.reset_role();
select is((select count(*)::int from public.payments where user_id <> 'de000000-0000-4000-8000-000000000001'), 1, 'none of the refused calls left a payment behind (the seeded demo account has its own)');
select is((select status from public.interviews where id = :'bobs_iv'::uuid), 'scheduled', 'nor completed an interview');

select is(has_function_privilege('authenticated', 'public.complete_checkout(text, text, integer, text, text, uuid, text, text, uuid)', 'execute'),
  false, 'authenticated has no execute on complete_checkout');
select is(has_function_privilege('service_role', 'public.refund_payment(text, text, integer, text)', 'execute'),
  true, 'service_role may execute refund_payment');

select is((select p.prosecdef and p.proconfig @> array['search_path=""']
             from pg_catalog.pg_proc p where p.oid = 'public.complete_checkout(text, text, integer, text, text, uuid, text, text, uuid)'::regprocedure),
  true, 'complete_checkout is security definer with an empty search_path');
select isnt(obj_description('billing.processed_events'::regclass, 'pg_class'), null, 'processed_events explains itself');
select is((select count(*)::int from pg_catalog.pg_attribute a
            where a.attrelid in ('billing.processed_events'::regclass, 'billing.early_refunds'::regclass)
              and a.attnum > 0 and not a.attisdropped
              and col_description(a.attrelid, a.attnum) is null), 0, 'every bookkeeping column has a comment');

select * from finish();
rollback;
