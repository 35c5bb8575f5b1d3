-- start_interview(interview_id): the AI interview runner (service role) reports that the candidate
-- opened the interview; it becomes in_progress and the recruiter can no longer cancel it (else a
-- cancel during the interview would make it free). Its hold is captured when it completes, or by
-- the lapse job if the runner never reports the end; a never-started one still lapses to released.
begin;
select plan(24);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('alice', 20);

select tests.act_as('alice');
select public.create_interview('Backend engineer', null, 60) ->> 'interview_id' as iv \gset
select public.create_interview('Designer', null, 30) ->> 'interview_id' as gone \gset
select public.create_interview('Analyst', null, 30) ->> 'interview_id' as done_iv \gset
select public.create_interview('Forgotten runner', null, 90) ->> 'interview_id' as lapsing \gset
select public.create_interview('Never opened', null, 30) ->> 'interview_id' as never \gset
select public.cancel_interview(:'gone');
select tests.act_as_service_role();
select public.complete_interview(:'done_iv');

-- only the service role may start
select tests.act_as('alice');
select throws_ok(format($$ select public.start_interview(%L) $$, :'iv'), '42501', null, 'the owner cannot start it');
select tests.act_as('bob');
select throws_ok(format($$ select public.start_interview(%L) $$, :'iv'), '42501', null, 'another user cannot start it');
select tests.act_as_anon();
select throws_ok(format($$ select public.start_interview(%L) $$, :'iv'), '42501', null, 'anon cannot start it');

select tests.act_as_service_role();
select public.start_interview(:'iv') as started \gset
select is((:'started'::jsonb) - 'started_at',
  jsonb_build_object('interview_id', :'iv', 'status', 'in_progress', 'reserved', 2, 'replayed', false),
  'the runner starts it: in_progress, its 2 credits still reserved');
select is(public.start_interview(:'iv'), (:'started'::jsonb) || '{"replayed": true}', 'starting again replays the first start');
select throws_ok($$ select public.start_interview(null) $$, '22023', 'invalid_interview_id', 'a null id is refused');
select throws_ok($$ select public.start_interview(pg_catalog.gen_random_uuid()) $$, '22023', 'unknown_interview',
  'an unknown interview is refused');
select throws_ok(format($$ select public.start_interview(%L) $$, :'gone'), 'PT409', 'interview_not_startable',
  'a cancelled interview cannot start');
select throws_ok(format($$ select public.start_interview(%L) $$, :'done_iv'), 'PT409', 'interview_not_startable',
  'a completed interview cannot start');

select tests.reset_role();
select results_eq(format($$ select status, started_at = (%L::jsonb ->> 'started_at')::timestamptz from public.interviews where id = %L $$,
                         :'started', :'iv'),
  $$ values ('in_progress'::text, true) $$, 'the interview is in_progress, started_at set once');
select is((select row(credits, credits_reserved)::text from public.users where id = tests.get_user_id('alice')), '(13,6)',
  'starting moves no credits: 13 available, 6 reserved (2 + 3 + 1)');

-- the recruiter can no longer cancel it, with or without a key
select tests.act_as('alice');
select throws_ok(format($$ select public.cancel_interview(%L) $$, :'iv'), 'PT409', 'interview_in_progress',
  'a started interview cannot be cancelled');
select throws_ok(format($$ select public.cancel_interview(%L, 'cancel-running') $$, :'iv'), 'PT409', 'interview_in_progress',
  'not with an idempotency key either');
select is((select status from public.interviews where id = :'iv'::uuid), 'in_progress', 'it is still in_progress');

-- completing it captures the hold
select tests.act_as_service_role();
select is((public.complete_interview(:'iv')) - 'completed_at' - 'ledger_id',
  jsonb_build_object('interview_id', :'iv', 'status', 'completed', 'spent', 2, 'balance', 13, 'reserved', 4, 'replayed', false),
  'completing the running interview spends its 2 reserved credits');
select tests.reset_role();
select results_eq(format($$ select status, started_at is not null, completed_at >= started_at from public.interviews where id = %L $$, :'iv'),
  $$ values ('completed'::text, true, true) $$, 'completed, keeping when it started');

-- the runner never reports the end: the lapse job captures; a never-started one is released
select tests.act_as_service_role();
select public.start_interview(:'lapsing');
select tests.reset_role();
update public.interviews set hold_expires_at = now() - interval '1 second' where id in (:'lapsing', :'never');
select is(billing.release_lapsed_holds() + billing.release_lapsed_holds() + billing.release_lapsed_holds(), 2,
  'the lapse job settles both due holds, one per call');
select results_eq(format($$ select status, cancellation_reason, completed_at is not null, refunded_credits from public.interviews where id = %L $$, :'lapsing'),
  $$ values ('completed'::text, null::text, true, 0) $$, 'the started interview is completed: its credits are spent');
select results_eq(format($$ select kind, delta, reserved_delta, actor from public.credit_ledger where interview_id = %L order by id $$, :'lapsing'),
  $$ values ('hold'::text, -3, 3, 'user:' || tests.get_user_id('alice')), ('spend', 0, -3, 'system:hold-lapse') $$,
  'one hold and one capture, by the lapse job');
select results_eq(format($$ select status, cancellation_reason from public.interviews where id = %L $$, :'never'),
  $$ values ('cancelled'::text, 'hold_lapsed'::text) $$, 'the never-started interview is cancelled: its credit returned');
select is((select row(credits, credits_reserved, credits_spent)::text from public.users where id = tests.get_user_id('alice')), '(14,0,6)',
  'alice paid for the three interviews that took place (1 + 2 + 3) and got the others back');

select tests.act_as_service_role();
select is((public.complete_interview(:'lapsing')) ->> 'replayed', 'true', 'a late completion report replays the lapse''s capture');
select throws_ok(format($$ select public.start_interview(%L) $$, :'never'), 'PT409', 'interview_not_startable',
  'an interview whose hold lapsed cannot start');

select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
