-- The local seed: the plans of the contract and the demo recruiter with a believable four weeks of
-- history (grant, purchases with their payments, spends, a cancellation and its refund, a support
-- credit), every balance explained by the ledger.
begin;
select plan(16);

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
  $$ values ('Demo Recruiter'::text, 15) $$, 'the demo recruiter has 15 credits');
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
  $$ values ('adjustment'::text, 1), ('grant', 1), ('purchase', 2), ('refund', 1), ('spend', 13) $$,
  'a grant, two purchases, thirteen spends, one refund, one support adjustment');
select ok((select min(created_at) < now() - interval '3 weeks' and max(created_at) < now() and max(created_at) > now() - interval '3 days'
             from public.credit_ledger where user_id = 'de000000-0000-4000-8000-000000000001'),
  'spread over the last four weeks, up to yesterday');
select results_eq($$ select status, count(*)::int from public.interviews
                      where user_id = 'de000000-0000-4000-8000-000000000001' group by status order by status $$,
  $$ values ('cancelled'::text, 1), ('completed', 8), ('scheduled', 4) $$, 'interviews in every status');
select is_empty($$ select i.id from public.interviews i
                    where i.user_id = 'de000000-0000-4000-8000-000000000001'
                      and (select -sum(l.delta) from public.credit_ledger l where l.interview_id = i.id and l.kind = 'spend') <> i.cost
                       or (i.status = 'cancelled' and (select sum(l.delta) from public.credit_ledger l where l.interview_id = i.id and l.kind = 'refund') <> i.refunded_credits) $$,
  'each interview has its spend row, and the cancelled one its refund');
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
