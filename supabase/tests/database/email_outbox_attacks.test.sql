-- The outbox when two senders overlap (issue 19's adversary pass): sender A's lease runs out while
-- it is still sending, sender B claims the mail again. Whatever order their results arrive in,
-- a success is what happened: the recipient has the mail, so it is recorded sent (and its secret
-- params scrubbed), even after the other sender recorded a failure. Left failed or dead, it would
-- be sent again later, relying on the provider to remember the Idempotency-Key (Resend: 24 hours;
-- support retrying a dead mail days later would send it twice).
begin;
select plan(6);

delete from billing.email_outbox;

select billing.enqueue_email('race@example.test', 'team_invitation',
  '{"team_name": "Acme", "invited_by": "Alice", "role": "member", "token": "secret-race-token", "expires_at": "2026-12-14T12:00:00Z"}',
  'race:1') as mail_id \gset

-- A claims; its lease runs out; B claims the same mail (attempt 2).
select tests.act_as_service_role();
select is((select pg_catalog.count(*)::int from public.claim_outbox_emails(10)), 1, 'sender A claims the mail');
select tests.reset_role();
update billing.email_outbox set locked_until = pg_catalog.now() - interval '1 second' where id = :'mail_id';
select tests.act_as_service_role();
select is((select pg_catalog.array_agg(c.attempts) from public.claim_outbox_emails(10) c), array[2], 'sender B claims it again after the lease');

-- B's request times out (retry later); A's, still running, was accepted.
select is(public.record_email_result(:'mail_id', false, null, 'timeout') ->> 'status', 'failed', 'B records a failure to retry');
select is(public.record_email_result(:'mail_id', true, 're_msg_A', null) ->> 'status', 'sent',
  'A''s success after it is recorded: the mail was sent');
select tests.reset_role();
select is((select pg_catalog.format('%s %s %s', o.status, o.provider_message_id, o.params ->> 'token') from billing.email_outbox o where o.id = :'mail_id'),
  'sent re_msg_A [removed after sending]', 'sent, with A''s message id, the token scrubbed, and not due again');

-- The same after a permanent refusal made it dead.
update billing.email_outbox set status = 'dead', sent_at = null, next_attempt_at = null, provider_message_id = null where id = :'mail_id';
select tests.act_as_service_role();
select is(public.record_email_result(:'mail_id', true, 're_msg_B', null) ->> 'status', 'sent',
  'a success for a mail another sender gave up on is recorded too (support will not retry a delivered mail)');
select tests.reset_role();

select * from finish();
rollback;
