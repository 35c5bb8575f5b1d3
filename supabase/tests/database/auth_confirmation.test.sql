-- Confirming an address (auth.users.email_confirmed_at null -> a time) is when an account becomes
-- someone's: a password chosen before it (by whoever typed the address, maybe not its owner) is
-- discarded, and the sign-up grant is paid then, once. Users created already confirmed (admin
-- API, autoconfirm) keep their password and get the grant on insert. public.users.has_password
-- tells the SPA to ask for a password after the link.
begin;
select plan(24);

-- An attacker signs up victim@ with their own password and never confirms.
insert into auth.users (id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('00000000-0000-4000-8000-00000000a001', 'authenticated', 'authenticated', 'victim@tests.local',
        '$2a$10$attackerattackerattackerattackerattackerattackerattack', '{"provider":"email"}', '{"name":"Mallory"}', now(), now());
select is((select encrypted_password from auth.users where email = 'victim@tests.local'),
  '$2a$10$attackerattackerattackerattackerattackerattackerattack', 'before confirmation the pre-set password is stored (GoTrue wrote it)');
select is((select has_password from public.users where email = 'victim@tests.local'), true,
  'has_password says a password is stored');

-- The victim follows the link (GoTrue's Confirm: update only confirmation_token, email_confirmed_at).
update auth.users set confirmation_token = '', email_confirmed_at = now() where email = 'victim@tests.local';
select is((select encrypted_password from auth.users where email = 'victim@tests.local'), '',
  'confirming the address discards the password set before it ('''' = no password, as GoTrue stores it)');
select is((select has_password from public.users where email = 'victim@tests.local'), false,
  'so has_password is false: the SPA asks the confirmed owner to choose one');

-- The owner chooses a password (PUT /user), then signs in again later.
update auth.users set encrypted_password = '$2a$10$ownerownerownerownerownerownerownerownerownerownerowne' where email = 'victim@tests.local';
select is((select has_password from public.users where email = 'victim@tests.local'), true,
  'a password set after confirmation is kept and has_password turns true');
update auth.users set last_sign_in_at = now(), email_confirmed_at = now() + interval '1 second' where email = 'victim@tests.local';
select is((select encrypted_password from auth.users where email = 'victim@tests.local'),
  '$2a$10$ownerownerownerownerownerownerownerownerownerownerowne', 'later updates, even of an already set email_confirmed_at, keep it');

-- Following a recovery or magic link also confirms an unconfirmed address: same rule.
insert into auth.users (id, aud, role, email, encrypted_password, raw_app_meta_data, created_at, updated_at)
values ('00000000-0000-4000-8000-00000000a002', 'authenticated', 'authenticated', 'recovered@tests.local',
        '$2a$10$attackerattackerattackerattackerattackerattackerattack', '{"provider":"email"}', now(), now());
update auth.users set recovery_token = '', email_confirmed_at = coalesce(email_confirmed_at, now()), last_sign_in_at = now()
 where email = 'recovered@tests.local';
select is((select encrypted_password from auth.users where email = 'recovered@tests.local'), '',
  'a recovery link that confirms the address discards the pre-set password too');

-- Created already confirmed (admin createUser with email_confirm, or autoconfirm): the password stays.
insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, created_at, updated_at)
values ('00000000-0000-4000-8000-00000000a003', 'authenticated', 'authenticated', 'admin-made@tests.local',
        '$2a$10$adminadminadminadminadminadminadminadminadminadminadmin', now(), '{"provider":"email"}', now(), now());
select is((select encrypted_password from auth.users where email = 'admin-made@tests.local'),
  '$2a$10$adminadminadminadminadminadminadminadminadminadminadmin', 'a user created confirmed keeps the password it was created with');
select is((select has_password from public.users where email = 'admin-made@tests.local'), true, 'and has_password is true');
-- A null password (GoTrue >= 2.x allows it) counts as none.
select tests.create_user('nopass');
select is((select has_password from public.users where email = 'nopass@tests.local'), false, 'a null password is no password');

-- The flag is the database's: a recruiter can read it, never write it.
select tests.act_as('nopass');
select is((select has_password from public.users), false, 'the recruiter reads has_password on their own row');
select throws_ok($$ update public.users set has_password = true $$, '42501', null, 'and cannot set it');
select tests.reset_role();

-- The sign-up grant is paid at confirmation, not at insert.
update billing.signup_grant set credits = 5, expires_after = interval '10 days';
insert into auth.users (id, aud, role, email, encrypted_password, raw_app_meta_data, created_at, updated_at)
values ('00000000-0000-4000-8000-00000000a005', 'authenticated', 'authenticated', 'unproven@tests.local',
        '$2a$10$attackerattackerattackerattackerattackerattackerattack', '{"provider":"email"}', now(), now());
select is((select credits from public.users where email = 'unproven@tests.local'), 0,
  'an address nobody has confirmed gets no sign-up credits');
select is((select count(*)::int from public.credit_lots where user_id = '00000000-0000-4000-8000-00000000a005'), 0, 'and no lot');
update auth.users set email_confirmed_at = now() where email = 'unproven@tests.local';
select results_eq($$ select kind, delta, idempotency_key from public.credit_ledger where user_id = '00000000-0000-4000-8000-00000000a005' $$,
  $$ values ('grant'::text, 5, 'signup'::text) $$, 'confirming it pays the grant: one grant row keyed signup');
select is((select credits from public.users where email = 'unproven@tests.local'), 5, 'the recruiter can spend it');
-- Un-confirming and confirming again (support, by hand) while the grant setting has changed must
-- neither pay twice nor fail the confirmation on the idempotency key.
update billing.signup_grant set credits = 7;
update auth.users set email_confirmed_at = null where email = 'unproven@tests.local';
select lives_ok($$ update auth.users set email_confirmed_at = now() where email = 'unproven@tests.local' $$,
  'a second confirmation still works');
select is((select count(*)::int from public.credit_ledger where user_id = '00000000-0000-4000-8000-00000000a005'), 1,
  'and pays nothing more: the grant is once per recruiter');

-- Created confirmed: paid once, on insert.
select tests.create_user('confirmed_at_once');
select is(tests.balance_of('confirmed_at_once'), 7, 'a user created already confirmed gets the grant on insert');
update auth.users set email_confirmed_at = now() + interval '1 minute' where id = tests.get_user_id('confirmed_at_once');
select is((select count(*)::int from public.credit_ledger where user_id = tests.get_user_id('confirmed_at_once')), 1,
  'once: later updates of the confirmation time pay nothing');
update billing.signup_grant set credits = 0;

-- Sessions opened before the address was proven (support un-confirmed a disputed address; a
-- project that allows unverified e-mail sign-ins) belong to whoever typed it: confirming ends
-- them, with their refresh tokens, as it ends the password. The link's own session comes after.
select tests.create_user('disputed');
select tests.create_user('bystander');
insert into auth.sessions (id, user_id, created_at, updated_at)
values ('00000000-0000-4000-8000-0000000050a1', tests.get_user_id('disputed'), now(), now()),
       ('00000000-0000-4000-8000-0000000050b1', tests.get_user_id('bystander'), now(), now());
insert into auth.refresh_tokens (token, user_id, revoked, created_at, updated_at, session_id)
values ('attacker-refresh-token', tests.get_user_id('disputed')::text, false, now(), now(), '00000000-0000-4000-8000-0000000050a1'),
       ('legacy-token-without-session', tests.get_user_id('disputed')::text, false, now(), now(), null),
       ('bystander-refresh-token', tests.get_user_id('bystander')::text, false, now(), now(), '00000000-0000-4000-8000-0000000050b1');
update auth.users set email_confirmed_at = null where id = tests.get_user_id('disputed');
update auth.users set last_sign_in_at = now() where id = tests.get_user_id('disputed');
select is((select count(*)::int from auth.sessions where user_id = tests.get_user_id('disputed')), 1,
  'an update that confirms nothing leaves the sessions alone');
update auth.users set confirmation_token = '', email_confirmed_at = now() where id = tests.get_user_id('disputed');
select is((select count(*)::int from auth.sessions where user_id = tests.get_user_id('disputed')), 0,
  'confirming the address ends every session opened before it');
select is((select count(*)::int from auth.refresh_tokens where user_id = tests.get_user_id('disputed')::text), 0,
  'and every refresh token, also one without a session (older GoTrue)');
select is((select count(*)::int from auth.refresh_tokens where token = 'bystander-refresh-token'), 1,
  'another user''s sessions are untouched');

select * from finish();
rollback;
