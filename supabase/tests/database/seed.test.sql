-- The local seed: the plans of the contract and the demo recruiter with 12 credits from the ledger.
begin;
select plan(8);

select results_eq($$ select id, kind, credits, price_cents, currency, active from public.plans order by sort_order $$,
  $$ values ('pack_5'::text, 'pack'::text, 5, 500, 'usd'::text, true),
            ('pack_10', 'pack', 10, 900, 'usd', true),
            ('tier_starter', 'tier', 25, 2000, 'usd', true),
            ('tier_pro', 'tier', 60, 4500, 'usd', true),
            ('tier_business', 'tier', 150, 10000, 'usd', true) $$,
  'the five plans of the contract');
select is((select count(*)::int from auth.users where email = 'demo@recruiter.test'), 1, 'the demo auth user exists');
select ok((select encrypted_password = extensions.crypt('demo-password-123', encrypted_password)
             from auth.users where email = 'demo@recruiter.test'), 'its password is demo-password-123 (bcrypt)');
select results_eq($$ select aud, role, email_confirmed_at is not null, raw_app_meta_data ->> 'provider'
                      from auth.users where email = 'demo@recruiter.test' $$,
  $$ values ('authenticated'::varchar, 'authenticated'::varchar, true, 'email'::text) $$, 'a confirmed email user');
select results_eq($$ select name, credits from public.users where email = 'demo@recruiter.test' $$,
  $$ values ('Demo Recruiter'::text, 12) $$, 'the demo recruiter has 12 credits');
select results_eq($$ select l.delta, l.kind from public.credit_ledger l join public.users u on u.id = l.user_id
                      where u.email = 'demo@recruiter.test' $$,
  $$ values (12, 'grant'::text) $$, 'granted through the ledger');
select is((select actor from public.credit_ledger l join public.users u on u.id = l.user_id
            where u.email = 'demo@recruiter.test'), 'postgres', 'by the postgres session (no JWT), which add_credits allows');
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
