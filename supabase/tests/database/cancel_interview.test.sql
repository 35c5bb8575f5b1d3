-- cancel_interview(interview_id): the owner cancels a scheduled interview; its hold is released
-- once (the full cost goes back to the lots it came from); a completed interview cannot be
-- cancelled; others' interviews look missing.
begin;
select plan(29);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('alice', 10);

select tests.act_as('alice');
select public.create_interview('Backend engineer', null, 90) ->> 'interview_id' as iv \gset
select public.create_interview('Data engineer', null, 30) ->> 'interview_id' as done \gset
select is(tests.balance_of('alice'), 6, 'two interviews reserve 3 + 1 of the available credits');
select is((select credits_reserved from public.users where id = tests.get_user_id('alice')), 4, 'and 4 are reserved');

-- another user's interview is reported as unknown and stays untouched
select tests.act_as('bob');
select throws_ok(format($$ select public.cancel_interview(%L) $$, :'iv'), '22023', 'unknown_interview',
  'bob cannot cancel alice''s interview (and cannot tell it exists)');

select tests.act_as('alice');
select public.cancel_interview(:'iv') as cancelled \gset
select is((:'cancelled'::jsonb) - 'ledger_id',
  jsonb_build_object('interview_id', :'iv', 'status', 'cancelled', 'cancellation_reason', 'recruiter', 'refunded', 3,
                     'released', 3, 'recovered', 0, 'expired', 0, 'balance', 9, 'reserved', 1, 'replayed', false),
  'cancelling releases the full cost of 3: available 9, reserved 1');
select results_eq(format($$ select status, refunded_credits, cancelled_at is not null from public.interviews where id = %L $$, :'iv'),
  $$ values ('cancelled'::text, 3, true) $$, 'the interview is cancelled with its refund recorded');
select results_eq(format($$ select delta, balance_after, kind, interview_id::text from public.credit_ledger where id = %s $$,
                         :'cancelled'::jsonb ->> 'ledger_id'),
  format($$ values (3, 9, 'release'::text, %L::text) $$, :'iv'), 'one release row for the interview');
select tests.reset_role();
select results_eq(format($$ select m.lot_id, m.remaining_delta, m.held_delta from billing.credit_lot_moves m
                           where m.interview_id = %L order by m.ledger_id $$, :'iv'),
  format($$ select id, -3, 3 from public.credit_lots where user_id = %L union all
            select id, 3, -3 from public.credit_lots where user_id = %L $$, tests.get_user_id('alice'), tests.get_user_id('alice')),
  'the hold took 3 from alice''s lot and the release put the same 3 back into it');
select tests.act_as('alice');

-- cancelling again is a replay of the first result
select is(public.cancel_interview(:'iv'), (:'cancelled'::jsonb) || '{"replayed": true}',
  'a second cancel returns the first result with replayed true');
select is(tests.balance_of('alice'), 9, 'and refunds nothing more');
select is((select count(*)::int from public.credit_ledger where interview_id = :'iv'::uuid and kind = 'release'), 1,
  'exactly one release row');

-- a completed interview cannot be cancelled (the interview runner completes it)
select tests.act_as_service_role();
select is(public.complete_interview(:'done') - 'completed_at' - 'ledger_id',
  jsonb_build_object('interview_id', :'done', 'status', 'completed', 'spent', 1, 'balance', 9, 'reserved', 0, 'replayed', false),
  'the runner completes the interview: its reserved credit is spent');
select tests.act_as('alice');
select throws_ok(format($$ select public.cancel_interview(%L) $$, :'done'), 'PT409', 'interview_not_cancellable',
  'a completed interview cannot be cancelled');
select is(tests.balance_of('alice'), 9, 'nothing comes back for a completed interview');

-- an optional idempotency key: the same key replays, another interview with it is refused
select public.create_interview('Keyed', null, 30) ->> 'interview_id' as keyed \gset
select public.cancel_interview(:'keyed', 'cancel-keyed-1') as keyed_cancel \gset
select is((:'keyed_cancel'::jsonb) ->> 'replayed', 'false', 'a keyed cancel releases');
select is(public.cancel_interview(:'keyed', 'cancel-keyed-1'), :'keyed_cancel'::jsonb || '{"replayed": true}',
  'the same key replays the first result');
select throws_ok(format($$ select public.cancel_interview(%L, 'cancel-keyed-1') $$, :'iv'), 'PT409', 'idempotency_key_reused',
  'the key cannot be reused for another interview');
select throws_ok($$ select public.deduct_credits(1, null, 'cancel-keyed-1') $$, 'PT409', 'idempotency_key_reused',
  'nor for another function');
select throws_ok(format($$ select public.cancel_interview(%L, '') $$, :'keyed'), '22023', 'invalid_idempotency_key',
  'an empty key is refused');
select is(tests.balance_of('alice'), 9, 'the keyed interview was reserved and released once');

-- the database refuses a second release row even if a code path forgot to check (while another
-- interview keeps 3 credits reserved, so the wallet itself would allow it)
select public.create_interview('Holder', null, 90) ->> 'interview_id' as holder \gset
select tests.reset_role();
select throws_ok(format($$ select billing.apply_credit_change(tests.get_user_id('alice'), 3, 'release', 'test', null, null, %L::uuid) $$, :'iv'),
  '23505', null, 'a second release of one interview is impossible');
select tests.act_as('alice');
select public.cancel_interview(:'holder');

-- bad input and callers
select tests.act_as('alice');
select throws_ok($$ select public.cancel_interview(null) $$, '22023', 'invalid_interview_id', 'a null id is refused');
select throws_ok($$ select public.cancel_interview(pg_catalog.gen_random_uuid()) $$, '22023', 'unknown_interview',
  'an unknown id is refused');
select tests.act_as_anon();
select throws_ok(format($$ select public.cancel_interview(%L) $$, :'iv'), '42501', null, 'anon cannot cancel');
select tests.act_as_service_role();
select throws_ok(format($$ select public.cancel_interview(%L) $$, :'iv'), '42501', null, 'service_role cannot cancel for a user');

-- a release needs no available credits: cancelling works at balance 0
select tests.act_as('alice');
select public.create_interview('Frontend engineer', null, 30) ->> 'interview_id' as third \gset
select is(public.deduct_credits(8) ->> 'balance', '0', 'alice spends everything else');
select is(public.cancel_interview(:'third') ->> 'balance', '1', 'cancelling still releases at balance 0');

select is(public.billing_summary() - 'recent' - 'expiring' - 'interviews_created' - 'low_balance_threshold',
  '{"balance": 1, "available": 1, "reserved": 0, "total_purchased": 0, "total_granted": 10, "total_spent": 9, "total_refunded": 0,
    "total_adjusted_added": 0, "total_adjusted_removed": 0, "total_reversed": 0, "total_expired": 0}'::jsonb,
  'only the completed interview (1) and the direct spend (8) were spent; three releases are not refunds');
select tests.reset_role();
select is((select status from public.interviews where id = :'done'::uuid), 'completed', 'the completed interview is untouched');
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
