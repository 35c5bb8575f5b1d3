-- create_interview(job_position, job_description, duration_minutes, interview_type, idempotency_key):
-- inserts the interview and reserves its cost (a hold) in one transaction, or does neither.
begin;
select plan(34);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.give_credits('alice', 3);

select tests.act_as('alice');
select public.create_interview('  Backend engineer  ', 'Go and Postgres', 60, 'technical') as created \gset
select is((:'created'::jsonb) - 'interview_id' - 'ledger_id', '{"cost": 2, "balance": 1, "reserved": 2, "replayed": false}'::jsonb,
  'a 60-minute interview costs 2: 1 available, 2 reserved');
select results_eq(
  format($$ select user_id, job_position, job_description, duration_minutes, interview_type, status, cost, questions
              from public.interviews where id = %L $$, :'created'::jsonb ->> 'interview_id'),
  $$ values (tests.get_user_id('alice'), 'Backend engineer'::text, 'Go and Postgres'::text, 60, 'technical'::text,
             'scheduled'::text, 2, '[]'::jsonb) $$,
  'the interview is stored for alice, trimmed, scheduled, with its cost');
select results_eq(
  format($$ select delta, balance_after, reserved_delta, reserved_after, kind, interview_id, reference
              from public.credit_ledger where id = %s $$, :'created'::jsonb ->> 'ledger_id'),
  format($$ values (-2, 1, 2, 2, 'hold'::text, %L::uuid, %L::text) $$, :'created'::jsonb ->> 'interview_id',
         'interview:' || (:'created'::jsonb ->> 'interview_id')),
  'the hold row points at the interview');
select is((select hold_expires_at - created_at from public.interviews where id = (:'created'::jsonb ->> 'interview_id')::uuid),
  interval '30 days', 'the hold lapses 30 days after creation unless the interview is completed or cancelled');
select is(public.create_interview('Designer') ->> 'cost', '1', 'defaults: 30 minutes, technical, 1 credit');
select is(tests.balance_of('alice'), 0, 'the balance is 0');

-- not enough credits: neither the interview nor the charge
select is(tests.error_of($$ select public.create_interview('Manager', null, 30) $$) - 'hint',
  jsonb_build_object('code', 'PT402', 'message', 'insufficient_credits', 'detail', '{"balance": 0, "required": 1}'),
  'PT402 with balance and required');
select is((select count(*)::int from public.interviews), 2, 'no interview was created without credits');
select tests.give_credits('alice', 1);
select tests.act_as('alice');
select throws_ok($$ select public.create_interview('Architect', null, 120) $$, 'PT402', 'insufficient_credits',
  'a 4-credit interview with 1 credit is refused');
select is((select count(*)::int from public.interviews), 2, 'still no new interview');
select is(tests.balance_of('alice'), 1, 'and the balance is unchanged');

-- bad input
select throws_ok($$ select public.create_interview(null) $$, '22023', 'invalid_job_position', 'a null job position is refused');
select throws_ok($$ select public.create_interview('   ') $$, '22023', 'invalid_job_position', 'a blank job position is refused');
-- Blank is every Unicode space, format and default-ignorable character (billing.is_blank), not only ' '.
select is_empty($$
  select t.name, tests.error_of(format('select public.create_interview(%L)', t.title)) ->> 'message'
    from (values ('tabs and line breaks', E'\t\n\r\t'), ('no-break and ideographic spaces', U&'\00A0\3000\2003'),
                 ('zero-width space, joiners, word joiner, BOM', U&'\200B\200C\200D\2060\FEFF'),
                 ('Mongolian vowel separator and soft hyphen', U&'\180E\00AD'), ('Hangul fillers', U&'\3164\115F\1160\FFA0'),
                 ('braille blank', U&'\2800'), ('bidi marks and a variation selector', U&'\200E\202E\FE0F'),
                 ('line and paragraph separators, NEL', U&'\2028\2029\0085'), ('tag characters', U&'\+0E0020\+0E007F')) t(name, title)
   where tests.error_of(format('select public.create_interview(%L)', t.title)) ->> 'message' is distinct from 'invalid_job_position' $$,
  'a title made only of tabs, line breaks, Unicode spaces or invisible characters is refused with invalid_job_position');
select is(tests.error_of(format('select public.create_interview(%L)', U&'\200B\2800')) - 'hint',
  '{"code": "22023", "message": "invalid_job_position", "detail": "{\"argument\": \"job_position\"}"}'::jsonb,
  'the refusal is 22023 naming the field');
select is((select count(*)::int from public.interviews), 2, 'no blank-titled interview was created');
select tests.reset_role();
select ok(not billing.is_blank(U&'Engineer\200B') and not billing.is_blank(U&'\200B\D83D\DE00') and not billing.is_blank(U&'\3164x'),
  'a title with one visible character among invisible ones is not blank');
select tests.act_as('alice');
select throws_ok($$ select public.create_interview(pg_catalog.repeat('p', 201)) $$, '22023', 'invalid_job_position',
  'a job position over 200 characters is refused');
select throws_ok($$ select public.create_interview('Dev', pg_catalog.repeat('d', 5001)) $$, '22023', 'invalid_job_description',
  'a description over 5000 characters is refused');
select throws_ok($$ select public.create_interview('Dev', null, 10) $$, '22023', 'invalid_duration_minutes', '10 minutes is refused');
select throws_ok($$ select public.create_interview('Dev', null, 121) $$, '22023', 'invalid_duration_minutes', '121 minutes is refused');
select throws_ok($$ select public.create_interview('Dev', null, -30) $$, '22023', 'invalid_duration_minutes', 'negative minutes are refused');
select throws_ok($$ select public.create_interview('Dev', null, null) $$, '22023', 'invalid_duration_minutes', 'null minutes are refused');
select throws_ok($$ select public.create_interview('Dev', null, 30, 'panel') $$, '22023', 'invalid_interview_type', 'an unknown type is refused');
select throws_ok($$ select public.create_interview('Dev', null, 30, 'technical', '') $$, '22023', 'invalid_idempotency_key',
  'an empty key is refused');
select is((select count(*)::int from public.interviews), 2, 'bad input creates nothing');

-- idempotency: a double click creates one interview
select public.create_interview('QA engineer', null, 30, 'screening', 'click-1') as first \gset
select is(public.create_interview('QA engineer', null, 30, 'screening', 'click-1'),
  (:'first'::jsonb) || '{"replayed": true}', 'the repeat returns the first result, marked replayed');
select is((select count(*)::int from public.interviews where job_position = 'QA engineer'), 1, 'one interview for two calls');
select is(tests.balance_of('alice'), 0, 'charged once');
select throws_ok($$ select public.create_interview('QA lead', null, 30, 'screening', 'click-1') $$, 'PT409', 'idempotency_key_reused',
  'the same key with another job position is PT409');

-- callers
select tests.act_as('bob');
select throws_ok($$ select public.create_interview('Dev') $$, 'PT402', 'insufficient_credits', 'bob cannot use alice''s credits');
select tests.act_as_anon();
select throws_ok($$ select public.create_interview('Dev') $$, '42501', null, 'anon cannot create interviews');
select tests.act_as_service_role();
select throws_ok($$ select public.create_interview('Dev') $$, '42501', null, 'service_role has no account to create interviews in');

select tests.reset_role();
select is_empty($$ select * from tests.ledger_violations() $$, 'ledger invariant holds');

select * from finish();
rollback;
