-- complete_interview(interview_id): the AI interview runner (service role) marks an interview
-- as taken place and captures its hold (the reserved credits are spent, from the lots the hold
-- took); from then on it cannot be cancelled.
begin;
select plan(16);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('alice', 10);

select tests.act_as('alice');
select public.create_interview('Backend engineer', null, 60) ->> 'interview_id' as iv \gset
select public.create_interview('Designer', null, 30) ->> 'interview_id' as gone \gset
select public.cancel_interview(:'gone');

-- only the service role may complete
select tests.act_as('alice');
select throws_ok(format($$ select public.complete_interview(%L) $$, :'iv'), '42501', null, 'the owner cannot complete (no refund dodge)');
select tests.act_as('bob');
select throws_ok(format($$ select public.complete_interview(%L) $$, :'iv'), '42501', null, 'another user cannot complete');
select tests.act_as_anon();
select throws_ok(format($$ select public.complete_interview(%L) $$, :'iv'), '42501', null, 'anon cannot complete');

select tests.act_as_service_role();
select public.complete_interview(:'iv') as done \gset
select is((:'done'::jsonb) - 'completed_at' - 'ledger_id',
  jsonb_build_object('interview_id', :'iv', 'status', 'completed', 'spent', 2, 'balance', 8, 'reserved', 0, 'replayed', false),
  'the runner completes it: the 2 reserved credits are spent, available stays 8');
select tests.reset_role();
select results_eq(format($$ select l.kind, l.delta, l.reserved_delta, e.remaining_delta, e.held_delta, c.spent, c.held
                              from public.credit_ledger l join billing.credit_lot_moves e on e.ledger_id = l.id
                              join public.credit_lots c on c.id = e.lot_id where l.id = %s $$, (:'done'::jsonb) ->> 'ledger_id'),
  $$ values ('spend'::text, 0, -2, 0, -2, 2, 0) $$,
  'the capture is a spend of reserved credits: the lot''s held part becomes spent');
select tests.act_as_service_role();
select is(public.complete_interview(:'iv'), (:'done'::jsonb) || '{"replayed": true}', 'completing again replays');
select throws_ok($$ select public.complete_interview(pg_catalog.gen_random_uuid()) $$, '22023', 'unknown_interview',
  'an unknown interview is refused');
select throws_ok($$ select public.complete_interview(null) $$, '22023', 'invalid_interview_id', 'a null id is refused');
select throws_ok(format($$ select public.complete_interview(%L) $$, :'gone'), 'PT409', 'interview_not_completable',
  'a cancelled interview cannot be completed');

select tests.reset_role();
select results_eq(format($$ select status, completed_at is not null, cancelled_at is null from public.interviews where id = %L $$, :'iv'),
  $$ values ('completed'::text, true, true) $$, 'the interview is completed with its time');
select is((select status from public.interviews where id = :'gone'::uuid), 'cancelled', 'the cancelled one stays cancelled');

-- the policy, through the functions: a completed interview is never refunded
select tests.act_as('alice');
select throws_ok(format($$ select public.cancel_interview(%L) $$, :'iv'), 'PT409', 'interview_not_cancellable',
  'a completed interview cannot be cancelled');
select throws_ok(format($$ select public.cancel_interview(%L, 'late-cancel') $$, :'iv'), 'PT409', 'interview_not_cancellable',
  'not with an idempotency key either');
select is(tests.balance_of('alice'), 8, 'alice paid 2 for the completed one and got the cancelled one back');
select is((select row(credits_reserved, credits_spent)::text from public.users where id = tests.get_user_id('alice')), '(0,2)',
  'nothing stays reserved; 2 credits spent in all');
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
