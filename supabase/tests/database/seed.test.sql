-- The local seed: the plans of the contract and the demo recruiter with a believable four weeks of
-- history (grant, purchases with their payments, interviews held then completed, one cancelled and
-- released, four still holding their credits, a support credit), every balance explained by the
-- ledger and its lots.
begin;
select plan(16);

select results_eq($$ select id, kind, credits, credits_expire_after, price_cents, currency, active from public.plans where kind <> 'subscription' order by sort_order $$,
  $$ values ('pack_5'::text, 'pack'::text, 5, null::interval, 500, 'usd'::text, true),
            ('pack_10', 'pack', 10, null, 900, 'usd', true),
            ('tier_starter', 'tier', 25, interval '365 days', 2000, 'usd', true),
            ('tier_pro', 'tier', 60, interval '365 days', 4500, 'usd', true),
            ('tier_business', 'tier', 150, interval '365 days', 10000, 'usd', true) $$,
  'the five one-off plans of the contract (subscriptions_access.test.sql checks the subscription ones): packs never expire, a tier''s credits last a year');
select is((select count(*)::int from auth.users where email = 'demo@recruiter.test'), 1, 'the demo auth user exists');
select ok((select encrypted_password = extensions.crypt('demo-password-123', encrypted_password)
             from auth.users where email = 'demo@recruiter.test'), 'its password is demo-password-123 (bcrypt)');
select results_eq($$ select aud, role, email_confirmed_at is not null, raw_app_meta_data ->> 'provider'
                      from auth.users where email = 'demo@recruiter.test' $$,
  $$ values ('authenticated'::varchar, 'authenticated'::varchar, true, 'email'::text) $$, 'a confirmed email user');
select results_eq($$ select name, credits, credits_reserved from public.users where email = 'demo@recruiter.test' $$,
  $$ values ('Demo Recruiter'::text, 15, 7) $$, 'the demo recruiter has 15 credits available and 7 reserved');
select is((select sum(delta)::int from public.credit_ledger where user_id = 'de000000-0000-4000-8000-000000000001'), 15,
  'users.credits is the sum of its ledger');
select is_empty($$ select id from (
    select id, balance_after, sum(delta) over (order by id) as running
      from public.credit_ledger where user_id = 'de000000-0000-4000-8000-000000000001') r
   where balance_after <> running $$, 'balance_after is the running sum in id order');
select is_empty($$ select id from (
    select id, created_at, lag(created_at) over (order by id) as before
      from public.credit_ledger where user_id = 'de000000-0000-4000-8000-000000000001') r
   where created_at < before $$, 'id order is time order');
select results_eq($$ select kind, count(*)::int from public.credit_ledger
                      where user_id = 'de000000-0000-4000-8000-000000000001' group by kind order by kind $$,
  $$ values ('adjustment'::text, 1), ('grant', 1), ('hold', 13), ('purchase', 2), ('release', 1), ('spend', 8) $$,
  'a grant, two purchases, thirteen holds, eight captured, one released, one support adjustment');
select ok((select min(created_at) < now() - interval '3 weeks' and max(created_at) < now() and max(created_at) > now() - interval '3 days'
             from public.credit_ledger where user_id = 'de000000-0000-4000-8000-000000000001'),
  'spread over the last four weeks, up to yesterday');
select results_eq($$ select status, count(*)::int from public.interviews
                      where user_id = 'de000000-0000-4000-8000-000000000001' group by status order by status $$,
  $$ values ('cancelled'::text, 1), ('completed', 8), ('scheduled', 4) $$, 'interviews in every status');
select is_empty($$ select i.id from public.interviews i
                    where i.user_id = 'de000000-0000-4000-8000-000000000001'
                      and ((select -sum(l.delta) from public.credit_ledger l where l.interview_id = i.id and l.kind = 'hold') is distinct from i.cost
                       or (i.status = 'completed') <> exists (select 1 from public.credit_ledger l where l.interview_id = i.id and l.kind = 'spend'
                                                                 and l.reserved_delta = -i.cost and l.created_at = i.completed_at)
                       or (i.status = 'cancelled') <> exists (select 1 from public.credit_ledger l where l.interview_id = i.id and l.kind = 'release'
                                                                 and l.delta = i.refunded_credits and l.created_at = i.cancelled_at)) $$,
  'each interview has its hold; completed ones their capture, the cancelled one its release, each at its date');
select is_empty($$ select p.id from public.payments p
                    where p.user_id = 'de000000-0000-4000-8000-000000000001'
                      and (p.status <> 'paid' or (select sum(l.delta) from public.credit_ledger l where l.payment_id = p.id and l.kind = 'purchase') <> p.credits) $$,
  'each purchase row belongs to a paid payment of its plan');
select is((select actor from public.credit_ledger where user_id = 'de000000-0000-4000-8000-000000000001' and kind = 'grant'), 'postgres',
  'the welcome grant is the postgres session''s, as add_credits writes it');
select throws_ok($$ update public.credit_ledger set delta = delta where user_id = 'de000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'the ledger guard is still on after seeding');
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
