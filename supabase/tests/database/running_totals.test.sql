-- Running totals (public.users.credits_*): kept on the wallet row every balance change already
-- updates, so a spend writes one users row and one ledger row; billing_summary reads them instead
-- of summing the ledger; they equal the ledger's sums after every kind of change, and nobody
-- writes them except together with a ledger row.
begin;
select plan(14);

select is(
  (select count(*)::integer from information_schema.columns
    where table_schema = 'public' and table_name = 'users'
      and column_name in ('credits_purchased', 'credits_spent', 'credits_refunded', 'credits_granted',
                          'credits_adjusted', 'credits_reversed', 'credits_expired')
      and is_nullable = 'NO' and column_default = '0'
      and col_description('public.users'::regclass, ordinal_position::integer) is not null),
  7, 'public.users has the seven running totals, not null default 0, each with a comment');
select hasnt_table('billing', 'account_totals', 'no separate totals table: the totals live on the wallet row');

select tests.create_user('carol');
select tests.create_user('dave');
-- 1,000 rows of history for carol: 500 grants and 500 spends.
select count(*) from (select tests.give_credits('carol', 3) from generate_series(1, 500)) s;
select tests.act_as('carol');
select count(*) from (select public.deduct_credits(1) from generate_series(1, 500)) s;

-- A spend writes exactly one row of the wallet, the lot it took from and one ledger row naming
-- that lot (when one lot covers it: no lot entry), nothing else.
select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) as writes_before
  from pg_stat_xact_all_tables where schemaname in ('public', 'billing') \gset
select public.deduct_credits(1);
select is(
  (select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_xact_all_tables
    where schemaname in ('public', 'billing')) - :writes_before,
  3::numeric, 'a spend writes three rows: the users row (balance and totals), its lot, and one ledger row naming the lot (no lot entry)');
select is((select credits_spent from public.users where id = tests.get_user_id('carol')), 501::bigint,
  'a client reads its own running totals');

-- The billing page's cost must not grow with the history: billing_summary takes its totals from
-- the wallet row, never by summing the ledger. Shown by tampering with that row (as the owner, with
-- the ledger flag on, keeping the totals explaining the balance) inside a savepoint.
select tests.reset_role();
savepoint tamper;
select set_config('billing.applying_ledger', 'on', true);
update public.users set credits_spent = credits_spent + 1000000, credits_granted = credits_granted + 1000000
 where id = tests.get_user_id('carol');
select set_config('billing.applying_ledger', 'off', true);
select tests.act_as('carol');
select (public.billing_summary() ->> 'total_spent')::bigint as tampered_spent \gset
select tests.reset_role();
rollback to savepoint tamper;
select is(:tampered_spent::bigint, 1000501::bigint,
  'billing_summary reads the running totals (one row), not a sum over the 1,001-row ledger');
select tests.act_as('carol');
select public.billing_summary() - 'recent' - 'available' - 'reserved' - 'expiring' - 'low_balance_threshold' as summary \gset
select tests.reset_role();
select is(:'summary'::jsonb,
  '{"balance": 999, "total_purchased": 0, "total_spent": 501, "total_refunded": 0, "total_granted": 1500, "total_adjusted_added": 0, "total_adjusted_removed": 0,
    "total_reversed": 0, "total_expired": 0, "interviews_created": 0}'::jsonb,
  'billing_summary''s totals come out the same from the running totals');

-- Every writer of the ledger moves the totals: purchases, holds and releases (cancel), captures,
-- an interview's charge refunded, adjustments both ways, reversals.
select tests.act_as_service_role();
select public.add_credits(tests.get_user_id('dave'), 50, 'purchase', 'pack');
select tests.act_as('dave');
select public.create_interview('Dev', null, 60) ->> 'interview_id' as iv \gset
select public.cancel_interview(:'iv');
select public.create_interview('Ran', null, 60) ->> 'interview_id' as ran \gset
select tests.act_as_service_role();
select public.complete_interview(:'ran');
select public.add_credits(tests.get_user_id('dave'), 2, 'refund', 'Interview broke', 'interview:' || :'ran');
select tests.reset_role();
select billing.support_adjust_credits(tests.get_user_id('dave'), 5, 'correction', 'T-1');
select billing.support_adjust_credits(tests.get_user_id('dave'), -2, 'correction', 'T-2');
select is_empty($$ select * from tests.totals_violations() $$,
  'for every user, the running totals equal the ledger''s sums by kind');

-- The totals explain the balance, held by a check constraint even for the owner with the flag on.
select set_config('billing.applying_ledger', 'on', true);
select throws_ok($$ update public.users set credits_purchased = credits_purchased + 1 where id = tests.get_user_id('dave') $$,
  '23514', null, 'totals that do not explain the balance are refused (users_totals_explain_credits)');
select set_config('billing.applying_ledger', 'off', true);

-- A refused spend (not enough credits) leaves the totals alone.
select tests.act_as('dave');
select tests.error_of('select public.deduct_credits(10000)') ->> 'code' as refused \gset
select tests.reset_role();
select is_empty($$ select * from tests.totals_violations() $$, 'a refused spend moves no total');

-- Nobody edits the totals by hand: not the owner (the ledger guard), not the API roles (column privileges).
select throws_ok($$ update public.users set credits_spent = 0 $$, '42501', 'credits_changed_outside_ledger',
  'updating a total outside the ledger is refused, even for the owner');
select throws_ok($$ update public.users set credits_granted = credits_granted + 1, credits_adjusted = credits_adjusted - 1
                     where id = tests.get_user_id('dave') $$, '42501', 'credits_changed_outside_ledger',
  'moving totals without a ledger row is refused even when they still explain the balance');
select throws_ok($$ insert into public.users (id, email, credits_granted, credits_adjusted) values (gen_random_uuid(), 'x@tests.local', 5, -5) $$,
  '42501', 'credits_changed_outside_ledger', 'a new user row starts with all totals at 0');
select tests.act_as('dave');
select throws_ok($$ update public.users set credits_spent = 0 where id = tests.get_user_id('dave') $$, '42501', null,
  'a client cannot write its totals');
select tests.act_as_service_role();
select throws_ok($$ update public.users set credits_refunded = 0 $$, '42501', null,
  'service_role cannot write the totals directly');
select tests.reset_role();

select * from finish();
rollback;
