-- Running totals (billing.account_totals): billing_summary reads one row of totals instead of
-- summing the ledger, the totals equal the ledger's sums after every kind of change, and nobody
-- writes them except together with a ledger row.
begin;
select plan(9);

select has_table('billing', 'account_totals', 'billing.account_totals exists');

select tests.create_user('carol');
select tests.create_user('dave');
-- 1,000 rows of history for carol: 500 grants and 500 spends.
select count(*) from (select tests.give_credits('carol', 3) from generate_series(1, 500)) s;
select tests.act_as('carol');
select count(*) from (select public.deduct_credits(1) from generate_series(1, 500)) s;

-- The billing page's cost must not grow with the history: billing_summary takes its totals from
-- the one running-totals row, never by summing the ledger. Shown by tampering with that row (as
-- the owner, with the ledger flag on) inside a savepoint: the summary reports the tampered figure.
select tests.reset_role();
savepoint tamper;
select set_config('billing.applying_ledger', 'on', true);
update billing.account_totals set spent = spent + 1000000 where user_id = tests.get_user_id('carol');
select set_config('billing.applying_ledger', 'off', true);
select tests.act_as('carol');
select (public.billing_summary() ->> 'total_spent')::bigint as tampered_spent \gset
select tests.reset_role();
rollback to savepoint tamper;
select is(:tampered_spent::bigint, 1000500::bigint,
  'billing_summary reads the running totals (one row), not a sum over the 1,000-row ledger');
select tests.act_as('carol');
select public.billing_summary() - 'recent' as summary \gset
select tests.reset_role();
select is(:'summary'::jsonb,
  '{"balance": 1000, "total_purchased": 0, "total_spent": 500, "total_refunded": 0, "total_granted": 1500, "total_adjusted": 0,
    "total_reversed": 0, "total_expired": 0, "interviews_created": 0}'::jsonb,
  'billing_summary''s totals come out the same from the running totals');

-- Every writer of the ledger moves the totals: purchases, refunds (cancel), adjustments both ways, reversals.
select tests.act_as_service_role();
select public.add_credits(tests.get_user_id('dave'), 50, 'purchase', 'pack');
select public.add_credits(tests.get_user_id('dave'), 4, 'refund', 'goodwill');
select tests.act_as('dave');
select public.create_interview('Dev', null, 60) ->> 'interview_id' as iv \gset
select public.cancel_interview(:'iv');
select tests.reset_role();
select billing.support_adjust_credits(tests.get_user_id('dave'), 5, 'correction', 'T-1');
select billing.support_adjust_credits(tests.get_user_id('dave'), -2, 'correction', 'T-2');
select is_empty($$ select * from tests.totals_violations() $$,
  'for every user, the running totals equal the ledger''s sums by kind');
select is(
  (select t.purchased + t.granted + t.refunded + t.adjusted - t.spent - t.reversed - t.expired
     from billing.account_totals t where t.user_id = tests.get_user_id('dave')),
  (select credits::bigint from public.users where id = tests.get_user_id('dave')),
  'the totals explain the balance');

-- A refused spend (not enough credits) leaves the totals alone.
select tests.act_as('dave');
select tests.error_of('select public.deduct_credits(10000)') ->> 'code' as refused \gset
select tests.reset_role();
select is_empty($$ select * from tests.totals_violations() $$, 'a refused spend moves no total');

-- Nobody edits the totals by hand: not the owner, and the API roles cannot even see them.
select throws_ok($$ update billing.account_totals set spent = 0 $$, '42501', 'totals_changed_outside_ledger',
  'updating the totals outside the ledger is refused');
select throws_ok($$ delete from billing.account_totals $$, '42501', 'totals_changed_outside_ledger',
  'deleting totals is refused');
select is(
  (select count(*)::integer from information_schema.role_table_grants
    where table_schema = 'billing' and table_name = 'account_totals'
      and grantee in ('anon', 'authenticated', 'service_role', 'PUBLIC')),
  0, 'anon, authenticated and service_role have no grant on the totals');

select * from finish();
rollback;
