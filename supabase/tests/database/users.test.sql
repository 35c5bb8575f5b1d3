-- Sign-up creates the recruiter row from auth.users; email changes follow; bad metadata never
-- blocks a sign-up.
begin;
select plan(9);

select tests.create_user('alice', '{"name": "Alice Smith", "picture": "https://example.test/alice.png"}');
select results_eq($$ select email, name, picture, credits from public.users where id = tests.get_user_id('alice') $$,
  $$ values ('alice@tests.local'::text, 'Alice Smith'::text, 'https://example.test/alice.png'::text, 0) $$,
  'sign-up creates the row with email, name, picture and 0 credits');
select tests.create_user('bob', '{"full_name": "Bob Jones", "avatar_url": "https://example.test/bob.png"}');
select results_eq($$ select name, picture from public.users where id = tests.get_user_id('bob') $$,
  $$ values ('Bob Jones'::text, 'https://example.test/bob.png'::text) $$, 'OAuth-style full_name and avatar_url are used too');
select tests.create_user('carol', jsonb_build_object('name', repeat('c', 300), 'picture', 'javascript:alert(1)'));
select results_eq($$ select char_length(name), picture from public.users where id = tests.get_user_id('carol') $$,
  $$ values (200, null::text) $$, 'an over-long name is cut and a non-http picture dropped, sign-up still works');
select tests.create_user('dave', '{}');
select results_eq($$ select name, picture from public.users where id = tests.get_user_id('dave') $$,
  $$ values (null::text, null::text) $$, 'no metadata: no name, no picture');
select is((select count(*)::int from public.credit_ledger where user_id = tests.get_user_id('alice')), 0,
  'a new user has no ledger rows');

select tests.get_user_id('alice') as alice \gset
update auth.users set email = 'alice.new@tests.local' where id = :'alice';
select is((select email from public.users where id = :'alice'), 'alice.new@tests.local', 'an email change is copied');
select is((select credits from public.users where id = :'alice'), 0, 'the balance stays attached to the id');

select throws_ok($$ insert into public.users (id, email, credits) values (pg_catalog.gen_random_uuid(), 'x@tests.local', 0) $$,
  '23503', null, 'a users row needs an auth user');

select tests.reset_role();
select lives_ok(format($$ delete from auth.users where id = %L $$, tests.get_user_id('dave')),
  'an auth user without credit history can be deleted (the recruiter row goes with it)');

select * from finish();
rollback;
