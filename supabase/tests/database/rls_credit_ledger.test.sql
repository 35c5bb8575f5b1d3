-- public.credit_ledger: owners read their own rows; it is append-only for everyone, including
-- service_role and the owner session (update, delete and truncate are refused).
begin;
select plan(16);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('alice', 5);
select tests.give_credits('bob', 3);

select tests.act_as_anon();
select throws_ok($$ select * from public.credit_ledger $$, '42501', null, 'anon cannot read the ledger');

select tests.act_as('alice');
select results_eq($$ select delta, balance_after, kind from public.credit_ledger $$,
  $$ values (5, 5, 'grant'::text) $$, 'alice sees only her own ledger row');
select throws_ok($$ insert into public.credit_ledger (user_id, delta, balance_after, kind, actor)
                    values (tests.get_user_id('alice'), 100, 105, 'grant', 'me') $$, '42501', null,
  'alice cannot insert ledger rows');
select throws_ok($$ update public.credit_ledger set delta = 100 $$, '42501', null, 'alice cannot update ledger rows');
select throws_ok($$ delete from public.credit_ledger $$, '42501', null, 'alice cannot delete ledger rows');

select tests.act_as('bob');
select results_eq($$ select delta from public.credit_ledger $$, $$ values (3) $$, 'bob sees only his own ledger row');

select tests.act_as_service_role();
select ok((select count(*) from public.credit_ledger l join public.users u on u.id = l.user_id
            where u.email like '%@tests.local') = 2, 'service_role reads every ledger row');
select throws_ok($$ insert into public.credit_ledger (user_id, delta, balance_after, kind, actor)
                    values (tests.get_user_id('alice'), 1, 6, 'grant', 'x') $$, '42501', null, 'service_role cannot insert');
select throws_ok($$ update public.credit_ledger set delta = 100 $$, '42501', null, 'service_role cannot update');
select throws_ok($$ delete from public.credit_ledger $$, '42501', null, 'service_role cannot delete');
select throws_ok($$ truncate public.credit_ledger $$, '42501', null, 'service_role cannot truncate');

select tests.reset_role();
select throws_ok($$ update public.credit_ledger set delta = 100 $$, '42501', 'credit_ledger_is_append_only',
  'the owner session cannot update ledger rows');
select throws_ok($$ delete from public.credit_ledger $$, '42501', 'credit_ledger_is_append_only',
  'the owner session cannot delete ledger rows');
select throws_ok($$ truncate public.credit_ledger cascade $$, '42501', 'credit_ledger_is_append_only',
  'the owner session cannot truncate the ledger');
select throws_ok($$ insert into public.credit_ledger (user_id, delta, balance_after, kind, actor)
                    values (tests.get_user_id('alice'), -1, 4, 'grant', 'x') $$, '23514', null,
  'a ledger row''s sign must match its kind');
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
