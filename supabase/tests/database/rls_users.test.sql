-- public.users: the owner reads and renames their own row; nobody else sees it; nobody can
-- touch credits, email or id, insert or delete rows; service_role reads all.
begin;
select plan(20);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('alice', 5);

select tests.act_as_anon();
select throws_ok($$ select * from public.users $$, '42501', null, 'anon cannot read users');
select throws_ok($$ update public.users set name = 'x' $$, '42501', null, 'anon cannot update users');

select tests.act_as('alice');
select results_eq($$ select email, credits from public.users $$,
  $$ values ('alice@tests.local'::text, 5) $$, 'alice sees exactly her own row');
select lives_ok($$ update public.users set name = 'Alice A.', picture = 'https://example.test/a.png' where id = tests.get_user_id('alice') $$,
  'alice may update her name and picture');
select results_eq($$ select name, picture from public.users $$,
  $$ values ('Alice A.'::text, 'https://example.test/a.png'::text) $$, 'her name and picture changed');
select throws_ok($$ update public.users set credits = 1000 where id = tests.get_user_id('alice') $$, '42501', null,
  'alice cannot set her own credits');
select throws_ok($$ update public.users set email = 'evil@tests.local' $$, '42501', null, 'alice cannot change her email');
select throws_ok($$ update public.users set id = pg_catalog.gen_random_uuid() $$, '42501', null, 'alice cannot change her id');
select throws_ok($$ insert into public.users (id, email) values (pg_catalog.gen_random_uuid(), 'x@tests.local') $$, '42501', null,
  'alice cannot insert users');
select throws_ok($$ delete from public.users $$, '42501', null, 'alice cannot delete users');
select throws_ok($$ update public.users set picture = 'javascript:alert(1)' where id = tests.get_user_id('alice') $$, '23514', null,
  'a picture must be an http(s) URL');
select throws_ok($$ update public.users set name = pg_catalog.repeat('n', 201) where id = tests.get_user_id('alice') $$, '23514', null,
  'a name longer than 200 characters is refused');
update public.users set name = 'hacked' where id = tests.get_user_id('bob');

select tests.act_as('bob');
select results_eq($$ select email, name from public.users $$,
  $$ values ('bob@tests.local'::text, 'bob'::text) $$, 'bob sees only his own row, and alice could not rename him');

select tests.act_as_service_role();
select ok((select count(*) from public.users where email like '%@tests.local') = 2, 'service_role reads every row');
select throws_ok($$ update public.users set credits = 99 $$, '42501', null, 'service_role cannot write credits directly');
select throws_ok($$ delete from public.users $$, '42501', null, 'service_role cannot delete users');

select tests.reset_role();
select throws_ok($$ update public.users set credits = 99 where id = tests.get_user_id('alice') $$, '42501',
  'credits_changed_outside_ledger', 'even the owner session cannot change credits without a ledger row');
select is(tests.balance_of('alice'), 5, 'alice still has 5 credits');
select lives_ok($$ update public.users set name = 'Support renamed' where id = tests.get_user_id('alice') $$,
  'the owner session may still edit other columns');
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
