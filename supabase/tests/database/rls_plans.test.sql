-- public.plans: everyone reads the active plans; nobody writes through the API.
begin;
select plan(11);

update public.plans set active = false where id = 'tier_business';

select tests.act_as_anon();
select results_eq($$ select id from public.plans order by sort_order $$,
  $$ values ('pack_5'::text), ('pack_10'), ('tier_starter'), ('tier_pro'), ('sub_starter_monthly'), ('sub_pro_monthly'), ('sub_pro_yearly') $$,
  'anon reads only the active plans');
select throws_ok($$ insert into public.plans (id, name, kind, credits, price_cents) values ('free', 'Free', 'pack', 1000, 1) $$,
  '42501', null, 'anon cannot insert plans');
select throws_ok($$ update public.plans set price_cents = 1 $$, '42501', null, 'anon cannot update plans');
select throws_ok($$ delete from public.plans $$, '42501', null, 'anon cannot delete plans');

select tests.create_user('alice');
select tests.act_as('alice');
select is((select count(*)::int from public.plans), 7, 'a signed-in user reads the 7 active plans');
select is((select credits from public.plans where id = 'pack_10'), 10, 'pack_10 grants 10 credits');
select throws_ok($$ update public.plans set price_cents = 1 $$, '42501', null, 'a signed-in user cannot update plans');
select throws_ok($$ insert into public.plans (id, name, kind, credits, price_cents) values ('free', 'Free', 'pack', 1000, 1) $$,
  '42501', null, 'a signed-in user cannot insert plans');

select tests.act_as_service_role();
select is((select count(*)::int from public.plans), 8, 'service_role reads inactive plans too');
select throws_ok($$ update public.plans set price_cents = 1 $$, '42501', null, 'service_role cannot update plans');

select tests.reset_role();
select throws_ok($$ insert into public.plans (id, name, kind, credits, price_cents) values ('Bad Id!', 'x', 'pack', 1, 1) $$,
  '23514', null, 'plan ids are lower-case identifiers');

select * from finish();
rollback;
