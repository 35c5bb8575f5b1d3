-- The e-mail outbox (20261125000920_email_outbox.sql): enqueue inside the caller's transaction
-- (dedupe by key), claim with a lease, record the result (sent: secrets scrubbed; failed:
-- exponential backoff; dead after billing.email_max_attempts()), the support view and retry, and
-- who may call what. Two senders racing for one mail (FOR UPDATE SKIP LOCKED) are checked by
-- supabase/tests/api/email_outbox.test.ts, which needs two sessions.
begin;
select plan(40);

-- Nothing else due in this transaction: mails of earlier tests are out of the way (rolled back at the end).
delete from billing.email_outbox;

create temporary table invite_params as
select pg_catalog.jsonb_build_object('team_name', 'Acme', 'invited_by', 'Alice', 'role', 'member',
  'token', 'secret-token-123', 'expires_at', '2026-12-14T12:00:00Z') as params;
grant select on invite_params to service_role, authenticated, anon;

/* Enqueue */

select billing.enqueue_email('  Bob@Example.TEST ', 'team_invitation', (select params from invite_params), 'invite:1') as first_id \gset
select is((select pg_catalog.format('%s %s %s %s %s', o.to_address, o.template, o.status, o.attempts, o.next_attempt_at = pg_catalog.now())
             from billing.email_outbox o where o.id = :'first_id'),
  'bob@example.test team_invitation pending 0 t',
  'enqueue stores a pending mail to the trimmed, lower-cased address, due now');
select is(billing.enqueue_email('bob@example.test', 'team_invitation', (select params from invite_params), 'invite:1'), :'first_id'::uuid,
  'the same dedupe_key again returns the first mail''s id');
select is((select pg_catalog.count(*)::int from billing.email_outbox o where o.dedupe_key = 'invite:1'), 1,
  'and stores one mail only');
select isnt(billing.enqueue_email('carol@example.test', 'test', '{}', null), billing.enqueue_email('carol@example.test', 'test', '{}', null),
  'without a dedupe_key every call is a mail of its own');

select throws_ok($$ select billing.enqueue_email('not-an-address', 'test', '{}', null) $$, '22023', 'invalid_email',
  'an address without @ is refused');
select throws_ok($$ select billing.enqueue_email('a b@example.test', 'test', '{}', null) $$, '22023', 'invalid_email',
  'an address with a space is refused');
select throws_ok($$ select billing.enqueue_email(null, 'test', '{}', null) $$, '22023', 'invalid_email',
  'a null address is refused');
select throws_ok($$ select billing.enqueue_email('a@example.test', 'newsletter', '{}', null) $$, '22023', 'invalid_template',
  'a template the outbox does not know is refused');
select throws_ok($$ select billing.enqueue_email('a@example.test', 'team_invitation', '{"team_name": "Acme"}', null) $$, '22023', 'invalid_params',
  'an invitation without its required params (token, role, ...) is refused');
select throws_ok($$ select billing.enqueue_email('a@example.test', 'test', '[1]', null) $$, '22023', 'invalid_params',
  'params must be a JSON object');
select throws_ok($$ select billing.enqueue_email('a@example.test', 'test', '{}', '') $$, '22023', 'invalid_dedupe_key',
  'a blank dedupe_key is refused (null means no dedupe)');

/* Who may call what */

select tests.create_user('mallory');
select tests.act_as_anon();
select throws_ok($$ select * from public.claim_outbox_emails(10) $$, '42501', null, 'anon may not claim mails');
select throws_ok($$ select public.record_email_result(gen_random_uuid(), true, 'x', null) $$, '42501', null, 'anon may not record results');
select throws_ok($$ select * from billing.email_outbox_problems $$, '42501', null, 'anon may not read the support view');
select tests.act_as('mallory');
select throws_ok($$ select * from public.claim_outbox_emails(10) $$, '42501', null, 'a signed-in user may not claim mails');
select throws_ok($$ select public.record_email_result(gen_random_uuid(), true, 'x', null) $$, '42501', null, 'a signed-in user may not record results');
select throws_ok($$ select * from billing.email_outbox_problems $$, '42501', null, 'a signed-in user may not read the support view');
select throws_ok($$ select billing.enqueue_email('a@example.test', 'test', '{}', null) $$, '42501', null, 'a signed-in user may not enqueue directly');
select tests.reset_role();

/* Claim: a lease, nobody else gets a leased mail */

delete from billing.email_outbox where id <> :'first_id';
select tests.act_as_service_role();
select throws_ok($$ select * from public.claim_outbox_emails(0) $$, '22023', 'invalid_max_emails', 'max_emails must be at least 1');
select is((select pg_catalog.array_agg(c.id::text || ' ' || c.to_address || ' ' || c.attempts || ' ' || (c.params->>'token'))
             from public.claim_outbox_emails(10) c),
  array[:'first_id' || ' bob@example.test 1 secret-token-123'],
  'the service role claims the due mail with its params (token included: the sender renders the link)');
select tests.reset_role();
select is((select pg_catalog.format('%s %s', o.status, o.locked_until = pg_catalog.now() + billing.email_lease())
             from billing.email_outbox o where o.id = :'first_id'),
  'sending t', 'a claimed mail is sending, leased until now + billing.email_lease()');
select tests.act_as_service_role();
select is_empty($$ select * from public.claim_outbox_emails(10) $$, 'a leased mail is not claimed again');
select tests.reset_role();
update billing.email_outbox set locked_until = pg_catalog.now() - interval '1 second' where id = :'first_id';
select tests.act_as_service_role();
select is((select pg_catalog.array_agg(c.attempts) from public.claim_outbox_emails(10) c), array[2],
  'once the lease has run out (the sender died) the mail is claimed again, as attempt 2');
select tests.reset_role();

/* Results */

select throws_ok(pg_catalog.format('select public.record_email_result(%L, false, null, null)', :'first_id'), '22023', 'invalid_error',
  'a failure needs its error text');
select throws_ok($$ select public.record_email_result(gen_random_uuid(), true, 'x', null) $$, '22023', 'unknown_email',
  'an id that names no mail is unknown_email');

-- Backoff: attempt n waits 2^(n-1) minutes, at most an hour; attempt billing.email_max_attempts() gives up.
create function pg_temp.fail_at(p_attempt integer) returns text language plpgsql as $$
declare
  v_id uuid := billing.enqueue_email('backoff@example.test', 'test', '{}', null);
  v_result jsonb;
begin
  update billing.email_outbox set status = 'sending', attempts = p_attempt, locked_until = pg_catalog.now() + interval '1 minute' where id = v_id;
  v_result := public.record_email_result(v_id, false, null, 'provider answered 500');
  return (select o.status || ' ' || coalesce(pg_catalog.date_part('epoch', o.next_attempt_at - pg_catalog.now())::int / 60 || ' min', 'never')
            || ' ' || coalesce(o.last_error, '-') || ' ' || (o.locked_until is null)
            from billing.email_outbox o where o.id = v_id)
         || ' ' || (v_result->>'status');
end $$;
select is(pg_temp.fail_at(1), 'failed 1 min provider answered 500 true failed', 'a first failure waits 1 minute, keeps the error, drops the lease');
select is(array[pg_temp.fail_at(2), pg_temp.fail_at(3), pg_temp.fail_at(4), pg_temp.fail_at(6), pg_temp.fail_at(7), pg_temp.fail_at(9)],
  array['failed 2 min provider answered 500 true failed', 'failed 4 min provider answered 500 true failed',
        'failed 8 min provider answered 500 true failed', 'failed 32 min provider answered 500 true failed',
        'failed 60 min provider answered 500 true failed', 'failed 60 min provider answered 500 true failed'],
  'then 2, 4, 8, ... minutes, capped at an hour');
select is(billing.email_max_attempts(), 10, 'ten attempts in all');
select is(pg_temp.fail_at(10), 'dead never provider answered 500 true dead', 'the last attempt failing makes the mail dead: never retried by itself');

select billing.enqueue_email('bounce@example.test', 'test', '{}', null) as permanent_id \gset
update billing.email_outbox set status = 'sending', attempts = 1, locked_until = pg_catalog.now() + interval '1 minute' where id = :'permanent_id';
select tests.act_as_service_role();
select is(public.record_email_result(:'permanent_id', false, null, 'provider answered 422: invalid address', false)->>'status', 'dead',
  'a failure the sender says is permanent (retry false) is dead at once');
select tests.reset_role();

select billing.enqueue_email('later@example.test', 'test', '{}', null) as later_id \gset
update billing.email_outbox set status = 'failed', attempts = 1, next_attempt_at = pg_catalog.now() + interval '1 minute' where id = :'later_id';
select tests.act_as_service_role();
select is_empty($$ select * from public.claim_outbox_emails(10) where to_address = 'later@example.test' $$,
  'a failed mail waits for its next_attempt_at');
select tests.reset_role();
update billing.email_outbox set next_attempt_at = pg_catalog.now() where id = :'later_id';
select tests.act_as_service_role();
select is((select pg_catalog.array_agg(c.attempts) from public.claim_outbox_emails(10) c where c.id = :'later_id'), array[2],
  'and is claimed again once it is due');

-- Sent: the secret params are scrubbed, the rest kept for support.
select is(public.record_email_result(:'first_id', true, 're_msg_1', null)->>'status', 'sent', 'recording a send answers status sent');
select tests.reset_role();
select is((select pg_catalog.format('%s %s %s %s', o.status, o.provider_message_id, o.sent_at = pg_catalog.now(), o.locked_until is null)
             from billing.email_outbox o where o.id = :'first_id'),
  'sent re_msg_1 t t', 'a sent mail keeps the provider''s message id and when it was sent');
select is((select o.params from billing.email_outbox o where o.id = :'first_id'),
  (select params || '{"token": "[removed after sending]"}' from invite_params),
  'the invitation token is removed from a sent mail''s params (no live link in the dashboard); the rest stays');
select tests.act_as_service_role();
select is(public.record_email_result(:'first_id', false, null, 'late failure of a racing sender')->>'status', 'sent',
  'a result after the mail was sent changes nothing: sent stays sent');
select tests.reset_role();
select billing.enqueue_email('unclaimed@example.test', 'test', '{}', null) as unclaimed_id \gset
select tests.act_as_service_role();
select throws_ok(pg_catalog.format('select public.record_email_result(%L, true, %L, null)', :'unclaimed_id', 'x'), 'PT409', 'email_not_claimed',
  'a result for a mail nobody claimed is refused');
select tests.reset_role();

/* Support: the problems view and a retry */

update billing.email_outbox set status = 'sending', attempts = 1, locked_until = pg_catalog.now() - interval '1 minute' where id = :'unclaimed_id';
select is((select pg_catalog.array_agg(distinct p.problem || ' ' || p.to_address)
             from billing.email_outbox_problems p),
  array['dead backoff@example.test', 'dead bounce@example.test', 'failed backoff@example.test', 'lease_expired unclaimed@example.test'],
  'the problems view lists dead, failed and stuck mails (not sent ones, not ones waiting their turn)');

select billing.retry_email(:'permanent_id');
select is((select pg_catalog.format('%s %s %s', o.status, o.attempts, o.next_attempt_at = pg_catalog.now())
             from billing.email_outbox o where o.id = :'permanent_id'),
  'pending 0 t', 'support''s retry of a dead mail makes it pending and due now, with its attempts reset');
select throws_ok(pg_catalog.format('select billing.retry_email(%L)', :'first_id'), 'PT409', 'email_already_sent',
  'a sent mail cannot be retried (it would reach the recipient twice)');

select * from finish();
rollback;
