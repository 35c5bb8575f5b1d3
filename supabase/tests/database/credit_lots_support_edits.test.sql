-- What support may do to a lot by hand (supabase/README.md, "Lots, holds and expiry" rule 3): move
-- its expiry to a real date after now (at most 100 years ahead) or to null (never), and its
-- priority. 'infinity' broke the recruiter's billing page (no browser can show it as a date);
-- a date already passed would write the credits off at the next expiry run without a ledger row
-- that says support did it. Both are refused with 22023 invalid_expires_at, and nothing changes.
begin;
select plan(14);

select tests.create_user('edited');
select tests.act_as_service_role();
select public.add_credits(tests.get_user_id('edited'), 5, 'grant', 'Trial', null, null, now() + interval '10 days') ->> 'lot_id' as lot \gset
select tests.reset_role();

select throws_ok(format($$ update public.credit_lots set expires_at = 'infinity' where id = %s $$, :lot),
  '22023', 'invalid_expires_at', 'an expiry of infinity is refused (never is null)');
select throws_ok(format($$ update public.credit_lots set expires_at = '-infinity' where id = %s $$, :lot),
  '22023', 'invalid_expires_at', 'an expiry of -infinity is refused');
select throws_ok(format($$ update public.credit_lots set expires_at = now() - interval '1 day' where id = %s $$, :lot),
  '22023', 'invalid_expires_at', 'a date already passed is refused (take credits back with an adjustment)');
select throws_ok(format($$ update public.credit_lots set expires_at = now() where id = %s $$, :lot),
  '22023', 'invalid_expires_at', 'now is refused too: an expiry is after now');
select throws_ok(format($$ update public.credit_lots set expires_at = now() + interval '100 years 1 day' where id = %s $$, :lot),
  '22023', 'invalid_expires_at', 'more than 100 years ahead is refused (the bound of every credit lifetime)');
select throws_ok(format($$ update public.credit_lots set expires_at = '294276-12-31 23:59:59+00' where id = %s $$, :lot),
  '22023', 'invalid_expires_at', 'the last timestamp Postgres holds is refused');
select is(tests.error_of(format($$ update public.credit_lots set expires_at = 'infinity' where id = %s $$, :lot)) ->> 'hint',
  'expires_at must be a date after now and at most 100 years ahead, or null (the credits never expire); infinity is refused: null means never',
  'the hint names the column and says what is allowed');
select throws_ok(format($$ update public.credit_lots set expires_at = 'infinity', remaining = 0 where id = %s $$, :lot),
  '22023', 'invalid_expires_at', 'an edit of the expiry and the credits is refused too');
select is((select expires_at from public.credit_lots where id = :lot), now() + interval '10 days', 'and the lot is unchanged');

select lives_ok(format($$ update public.credit_lots set expires_at = now() + interval '100 years' where id = %s $$, :lot),
  'an extension up to 100 years is allowed');
select lives_ok(format($$ update public.credit_lots set expires_at = now() + interval '1 hour' where id = %s $$, :lot),
  'shortening it to a later date is allowed');
select lives_ok(format($$ update public.credit_lots set expires_at = null, priority = 3 where id = %s $$, :lot),
  'null (never) and a new priority are allowed');
select lives_ok(format($$ update public.credit_lots set expires_at = 'infinity' where id = %s and false $$, :lot),
  'a statement that changes no row is no edit');

select is_empty($$ select * from tests.ledger_violations() $$, 'the invariant holds');

select * from finish();
rollback;
