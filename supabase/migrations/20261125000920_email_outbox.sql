-- The e-mail outbox: one sender for everything the product mails (team invitations now; alerts
-- and receipts later). A feature enqueues a mail with billing.enqueue_email inside its own
-- transaction, so the mail exists exactly when the change that caused it committed. The Edge
-- Function send-email claims due mails (public.claim_outbox_emails: a lease, FOR UPDATE SKIP
-- LOCKED), renders and sends them through the HTTP e-mail API, and records each result
-- (public.record_email_result: sent, or failed with backoff, dead after billing.email_max_attempts()).
-- Support reads billing.email_outbox_problems and retries a dead mail with billing.retry_email.
-- supabase/README.md, "E-mail outbox", says how it runs hosted (pg_cron + pg_net) and locally.

/**
  * Section - Settings
  * Each rule of the sender named once, so the functions and the README agree.
 */

create or replace function billing.email_lease()
returns interval
language sql
immutable
parallel safe
set search_path = ''
as $$
  select interval '5 minutes';
$$;
comment on function billing.email_lease() is
  'How long a claimed mail belongs to the sender that claimed it. send-email finishes a batch in seconds (10 s provider timeout, sends in parallel); a mail still sending after this is taken to be abandoned by a crashed sender and claimed again (the provider''s Idempotency-Key = outbox id keeps that from sending twice).';
revoke execute on function billing.email_lease() from public, anon, authenticated, service_role;

create or replace function billing.email_max_attempts()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 10;
$$;
comment on function billing.email_max_attempts() is
  'Sends tried before a mail is given up (status dead). With billing.email_retry_delay that is about four hours of a provider outage.';
revoke execute on function billing.email_max_attempts() from public, anon, authenticated, service_role;

create or replace function billing.email_retry_delay(p_attempts integer)
returns interval
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- 1, 2, 4, 8, 16, 32 minutes, then an hour. The exponent is capped before it is used, so a
  -- large attempt count cannot overflow.
  select least(interval '1 minute' * pg_catalog.power(2, least(greatest(p_attempts, 1), 8) - 1),
                          interval '1 hour');
$$;
comment on function billing.email_retry_delay(integer) is
  'How long a mail waits after its p_attempts-th send failed: 2^(attempts-1) minutes, at most 1 hour.';
revoke execute on function billing.email_retry_delay(integer) from public, anon, authenticated, service_role;

create or replace function billing.max_email_address_length()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 254;
$$;
comment on function billing.max_email_address_length() is
  'Longest e-mail address the outbox accepts (RFC 5321''s limit for a forward path).';
revoke execute on function billing.max_email_address_length() from public, anon, authenticated, service_role;

-- The one rule for an address the product mails (the outbox, and team invitations before they
-- store one): trimmed, lower-cased, one @, something on each side with a dot in the domain, no
-- spaces or characters that would make the address a list or a display name.
create or replace function billing.check_email_address(p_email text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_email text := pg_catalog.lower(pg_catalog.btrim(p_email));
begin
  -- Control characters (C0, DEL, C1 such as NEL), line and paragraph separators, bidi controls
  -- and zero-width characters never belong in an address: they break a provider's headers or
  -- make one address look like another in the admins' list.
  if v_email is null or pg_catalog.char_length(v_email) > billing.max_email_address_length()
     or v_email !~ '^[^@\s<>(),;:"\[\]\\]+@[^@\s<>(),;:"\[\]\\]+\.[^@\s<>(),;:"\[\]\\]+$'
     or v_email ~ '[\u0001-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]' then
    perform billing.raise_invalid_argument('email', 'Enter a valid e-mail address, like name@company.com.');
  end if;
  return v_email;
end;
$$;
comment on function billing.check_email_address(text) is
  'Returns the address trimmed and lower-cased, or raises 22023 invalid_email (more than 254 characters, not one @ with a dotted domain, or spaces, brackets, commas and the like, or control, bidi or zero-width characters). Used by billing.enqueue_email and invite_member.';
revoke execute on function billing.check_email_address(text) from public, anon, authenticated, service_role;

/**
  * Section - Tables
 */

-- The templates the sender knows: enqueue refuses any other name, and a mail missing one of its
-- template's required params, so a mistake fails the caller's transaction instead of a send.
create table billing.email_templates (
  name text primary key,
  description text not null,
  required_params text[] not null default '{}',
  secret_params text[] not null default '{}'
);
comment on table billing.email_templates is
  'E-mail templates the send-email Edge Function renders (supabase/functions/_shared/email/templates.ts). billing.enqueue_email accepts only these names.';
comment on column billing.email_templates.name is 'Template name as enqueued (billing.email_outbox.template).';
comment on column billing.email_templates.description is 'What the mail is for, for support.';
comment on column billing.email_templates.required_params is 'Keys the params object must have; enqueue refuses a mail without them (22023 invalid_params).';
comment on column billing.email_templates.secret_params is 'Keys replaced by "[removed after sending]" once the mail is sent (e.g. an invitation token: the dashboard keeps no live link).';
alter table billing.email_templates enable row level security;

insert into billing.email_templates (name, description, required_params, secret_params) values
  ('team_invitation', 'Invites an address to a team: who invited, the team, the role, the accept link ${SITE_URL}/invite/<token> and until when it works.',
   array['team_name', 'invited_by', 'role', 'token', 'expires_at'], array['token']),
  ('test', 'A test mail support (or a developer) sends to check the e-mail settings; optional param message.',
   array[]::text[], array[]::text[])
on conflict (name) do update
  set description = excluded.description, required_params = excluded.required_params, secret_params = excluded.secret_params;

create table billing.email_outbox (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  to_address text not null check (pg_catalog.char_length(to_address) between 3 and 254),
  template text not null references billing.email_templates (name),
  params jsonb not null default '{}' check (pg_catalog.jsonb_typeof(params) = 'object'),
  dedupe_key text unique check (dedupe_key is null or pg_catalog.char_length(dedupe_key) between 1 and 200),
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'dead')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz default pg_catalog.now(),
  locked_until timestamptz,
  last_error text check (pg_catalog.char_length(last_error) <= 1000),
  provider_message_id text check (pg_catalog.char_length(provider_message_id) <= 255),
  created_at timestamptz not null default pg_catalog.now(),
  sent_at timestamptz,
  -- A mail waiting for a send has a time; a sending one a lease; a sent one the time it went.
  constraint email_outbox_due_when_waiting check (status not in ('pending', 'failed') or next_attempt_at is not null),
  constraint email_outbox_leased_when_sending check (status <> 'sending' or locked_until is not null),
  constraint email_outbox_sent_at_when_sent check ((status = 'sent') = (sent_at is not null))
);
comment on table billing.email_outbox is
  'Every e-mail the product sends, written in the transaction that caused it (billing.enqueue_email) and sent by the send-email Edge Function. Problems: billing.email_outbox_problems; retry a dead mail: select billing.retry_email(''<id>'').';
comment on column billing.email_outbox.id is 'The mail''s id; also the Idempotency-Key of the provider request, so a retried send never reaches the recipient twice.';
comment on column billing.email_outbox.to_address is 'Recipient, trimmed and lower-cased.';
comment on column billing.email_outbox.template is 'Which template renders it (billing.email_templates).';
comment on column billing.email_outbox.params is 'Values the template fills in (team name, inviter, ...). Secret ones (billing.email_templates.secret_params, e.g. the invitation token) are replaced by "[removed after sending]" once sent.';
comment on column billing.email_outbox.dedupe_key is 'Caller''s key for "this mail": enqueuing the same key again returns the existing mail instead of a second one. Null: no dedupe.';
comment on column billing.email_outbox.status is 'pending (new, due at next_attempt_at), sending (claimed by a sender until locked_until), sent, failed (a send failed; retried at next_attempt_at), dead (gave up after billing.email_max_attempts() sends or a permanent refusal; support may retry).';
comment on column billing.email_outbox.attempts is 'Sends started so far (counted when a sender claims the mail).';
comment on column billing.email_outbox.next_attempt_at is 'When a pending or failed mail is due; null once sent or dead.';
comment on column billing.email_outbox.locked_until is 'Lease of the sender that claimed the mail (status sending); after it the mail is claimed again.';
comment on column billing.email_outbox.last_error is 'Why the last send failed (provider answer or network error); kept after a later success for the record.';
comment on column billing.email_outbox.provider_message_id is 'The e-mail API''s id of the sent message (look it up in the provider''s dashboard).';
comment on column billing.email_outbox.created_at is 'When the mail was enqueued.';
comment on column billing.email_outbox.sent_at is 'When the provider accepted the mail; null until sent.';
alter table billing.email_outbox enable row level security;

-- The sender's lookups: what is due (pending/failed by time), and leases that ran out.
create index email_outbox_due_idx on billing.email_outbox (next_attempt_at) where status in ('pending', 'failed');
create index email_outbox_leased_idx on billing.email_outbox (locked_until) where status = 'sending';
-- The foreign key's index; also "which mails of this template" for support.
create index email_outbox_template_idx on billing.email_outbox (template, created_at);

/**
  * Section - Support
 */

create or replace view billing.email_outbox_problems
with (security_invoker = true)
as
select o.id,
       case when o.status in ('failed', 'dead') then o.status
            when o.status = 'sending' then 'lease_expired'
            else 'not_picked_up' end as problem,
       o.to_address, o.template, o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at
  from billing.email_outbox o
 where o.status in ('failed', 'dead')
    or (o.status = 'sending' and o.locked_until < pg_catalog.now())
    -- Due for a quarter of an hour and nobody sent it: the sender is not running or not configured.
    or (o.status = 'pending' and o.next_attempt_at < pg_catalog.now() - interval '15 minutes');
comment on view billing.email_outbox_problems is
  'Support: mails that need a look, newest problems first when ordered by created_at desc. failed = will retry by itself at next_attempt_at; dead = gave up (fix the cause, then select billing.retry_email(id)); lease_expired = a sender died mid-send (claimed again automatically); not_picked_up = due for 15 minutes and unsent (is the send-email cron running, are its EMAIL_* secrets set?).';
comment on column billing.email_outbox_problems.id is 'The mail (billing.email_outbox.id).';
comment on column billing.email_outbox_problems.problem is 'failed, dead, lease_expired or not_picked_up (see the view''s comment).';
comment on column billing.email_outbox_problems.to_address is 'Recipient.';
comment on column billing.email_outbox_problems.template is 'Template of the mail.';
comment on column billing.email_outbox_problems.status is 'The mail''s status.';
comment on column billing.email_outbox_problems.attempts is 'Sends started so far.';
comment on column billing.email_outbox_problems.next_attempt_at is 'When it is tried again by itself (null: never, it is dead).';
comment on column billing.email_outbox_problems.last_error is 'Why the last send failed.';
comment on column billing.email_outbox_problems.created_at is 'When the mail was enqueued.';
revoke all on billing.email_outbox_problems from public, anon, authenticated, service_role;

create or replace function billing.retry_email(p_email_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row billing.email_outbox;
begin
  update billing.email_outbox o
     set status = 'pending', attempts = 0, next_attempt_at = pg_catalog.now(), locked_until = null
   where o.id = p_email_id and o.status in ('failed', 'dead')
  returning o.* into v_row;
  if found then
    return pg_catalog.jsonb_build_object('id', v_row.id, 'status', v_row.status, 'next_attempt_at', v_row.next_attempt_at);
  end if;
  select o.* into v_row from billing.email_outbox o where o.id = p_email_id;
  if not found then
    perform billing.raise_unknown('email', 'No mail in billing.email_outbox has this id.');
  end if;
  raise exception using
    errcode = 'PT409',
    message = case when v_row.status = 'sent' then 'email_already_sent' else 'email_not_failed' end,
    detail = pg_catalog.jsonb_build_object('status', v_row.status)::text,
    hint = case when v_row.status = 'sent' then 'This mail was sent already; enqueue a new one to send it again.'
                else 'This mail is waiting for its send already; it needs no retry.' end;
end;
$$;
comment on function billing.retry_email(uuid) is
  'Support (dashboard SQL editor): sends a failed or dead mail again: status pending, attempts 0, due now (last_error kept until the next send). Errors: 22023 unknown_email; PT409 email_already_sent, email_not_failed (pending or sending already).';
revoke execute on function billing.retry_email(uuid) from public, anon, authenticated, service_role;

/**
  * Section - Enqueue (called inside other functions' transactions)
 */

create or replace function billing.enqueue_email(p_to text, p_template text, p_params jsonb, p_dedupe_key text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_to text := billing.check_email_address(p_to);
  v_params jsonb := coalesce(p_params, '{}'::jsonb);
  v_required text[];
  v_id uuid;
begin
  select t.required_params into v_required from billing.email_templates t where t.name = p_template;
  if not found then
    perform billing.raise_invalid_argument('template', 'template must be one of: '
      || (select pg_catalog.string_agg(t.name, ', ' order by t.name) from billing.email_templates t));
  end if;
  if pg_catalog.jsonb_typeof(v_params) <> 'object' or not (v_params ?& v_required) then
    perform billing.raise_invalid_argument('params', 'params must be a JSON object with '
      || coalesce(pg_catalog.array_to_string(v_required, ', '), '') || ' for template ' || p_template);
  end if;
  if p_dedupe_key is not null and pg_catalog.char_length(pg_catalog.btrim(p_dedupe_key)) = 0 then
    perform billing.raise_invalid_argument('dedupe_key', 'dedupe_key must be null (no dedupe) or 1 to '
      || billing.max_idempotency_key_length() || ' characters');
  end if;
  perform billing.check_text('dedupe_key', p_dedupe_key, false, billing.max_idempotency_key_length());

  insert into billing.email_outbox (to_address, template, params, dedupe_key)
  values (v_to, p_template, v_params, p_dedupe_key)
  on conflict (dedupe_key) do nothing
  returning id into v_id;
  if v_id is null then
    -- The same mail was enqueued before (a concurrent insert waited for and saw it committed).
    select o.id into v_id from billing.email_outbox o where o.dedupe_key = p_dedupe_key;
  end if;
  return v_id;
end;
$$;
comment on function billing.enqueue_email(text, text, jsonb, text) is
  'Queues one mail for the send-email function and returns its id; call it inside the transaction of the change it tells about, so it is sent exactly when that commits. p_to is trimmed and lower-cased; p_template must be in billing.email_templates with its required_params in p_params; a p_dedupe_key seen before returns that mail''s id and queues nothing. Errors: 22023 invalid_email, invalid_template, invalid_params, invalid_dedupe_key. Owner only (other security definer functions).';
revoke execute on function billing.enqueue_email(text, text, jsonb, text) from public, anon, authenticated, service_role;

/**
  * Section - Public functions
  * Service role only: the send-email Edge Function claims and records through the API.
 */

create or replace function public.claim_outbox_emails(max_emails integer)
returns table (id uuid, to_address text, template text, params jsonb, attempts integer)
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform billing.require_service_role();
  if max_emails is null or max_emails < 1 or max_emails > 100 then
    perform billing.raise_invalid_argument('max_emails', 'max_emails must be 1 to 100');
  end if;
  -- SKIP LOCKED: a mail another sender is claiming right now is left to it, never waited for;
  -- the lease then keeps it from everyone else until it runs out.
  return query
  with due as (
    select o.id
      from billing.email_outbox o
     where (o.status in ('pending', 'failed') and o.next_attempt_at <= pg_catalog.now())
        or (o.status = 'sending' and o.locked_until <= pg_catalog.now())
     order by coalesce(o.next_attempt_at, o.locked_until), o.created_at
     limit max_emails
       for update skip locked
  )
  update billing.email_outbox o
     set status = 'sending', attempts = o.attempts + 1, locked_until = pg_catalog.now() + billing.email_lease()
    from due
   where o.id = due.id
  returning o.id, o.to_address, o.template, o.params, o.attempts;
end;
$$;
comment on function public.claim_outbox_emails(integer) is
  'Service role only (send-email). Claims up to max_emails (1..100) due mails: pending or failed ones whose next_attempt_at has come, and sending ones whose lease ran out. Each becomes sending, leased for billing.email_lease(), attempts + 1. Concurrent callers never get the same mail (FOR UPDATE SKIP LOCKED). Returns id, to_address, template, params (secrets included: the sender renders them), attempts. Errors: 22023 invalid_max_emails; 42501 not_allowed.';
revoke execute on function public.claim_outbox_emails(integer) from public, anon, authenticated;
grant execute on function public.claim_outbox_emails(integer) to service_role;

create or replace function public.record_email_result(
  email_id uuid,
  sent boolean,
  provider_message_id text default null,
  error text default null,
  retry boolean default true
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row billing.email_outbox;
begin
  perform billing.require_service_role();
  if sent is null then
    perform billing.raise_invalid_argument('sent', 'sent must be true or false');
  end if;
  perform billing.check_text('provider_message_id', provider_message_id, false, billing.max_provider_ref_length());
  perform billing.check_text('error', error, not sent, 1000);

  select o.* into v_row from billing.email_outbox o where o.id = email_id for update;
  if not found then
    perform billing.raise_unknown('email', 'No mail in billing.email_outbox has this id.');
  end if;
  -- Sent is final: a racing sender whose lease ran out (it sent with the same Idempotency-Key,
  -- so the recipient got one mail) changes nothing. And a success is what happened: one that
  -- arrives after the other sender recorded a failure (failed, or dead) still makes it sent, or
  -- the mail would go out again later, trusting the provider to remember the key.
  if v_row.status not in ('sending', 'sent') and not (sent and v_row.status in ('failed', 'dead') and v_row.attempts > 0) then
    raise exception using
      errcode = 'PT409',
      message = 'email_not_claimed',
      detail = pg_catalog.jsonb_build_object('status', v_row.status)::text,
      hint = 'Claim the mail with claim_outbox_emails before recording its result.';
  end if;

  if v_row.status <> 'sent' and sent then
    update billing.email_outbox o
       set status = 'sent', sent_at = pg_catalog.now(), provider_message_id = record_email_result.provider_message_id,
           next_attempt_at = null, locked_until = null,
           params = (select coalesce(pg_catalog.jsonb_object_agg(p.key,
                                       case when p.key = any (t.secret_params) then '"[removed after sending]"'::jsonb else p.value end), '{}'::jsonb)
                       from pg_catalog.jsonb_each(o.params) p, billing.email_templates t
                      where t.name = o.template)
     where o.id = email_id
    returning o.* into v_row;
  elsif v_row.status = 'sending' then
    update billing.email_outbox o
       set status = case when retry and o.attempts < billing.email_max_attempts() then 'failed' else 'dead' end,
           next_attempt_at = case when retry and o.attempts < billing.email_max_attempts()
                                  then pg_catalog.now() + billing.email_retry_delay(o.attempts) end,
           locked_until = null, last_error = error
     where o.id = email_id
    returning o.* into v_row;
  end if;
  return pg_catalog.jsonb_build_object('id', v_row.id, 'status', v_row.status, 'attempts', v_row.attempts,
    'next_attempt_at', v_row.next_attempt_at);
end;
$$;
comment on function public.record_email_result(uuid, boolean, text, text, boolean) is
  'Service role only (send-email). The result of sending a claimed mail. sent: status sent, sent_at, provider_message_id, secret params scrubbed. Not sent (error required): failed, due again after billing.email_retry_delay(attempts) (1, 2, 4, ... minutes, at most 1 hour), or dead when retry is false (a permanent refusal) or after billing.email_max_attempts() sends. A result for a mail already sent changes nothing; a success for a mail another sender recorded failed or dead (its lease ran out mid-send) makes it sent. Returns {id, status, attempts, next_attempt_at}. Errors: 22023 invalid_sent, invalid_error, invalid_provider_message_id, unknown_email; PT409 email_not_claimed; 42501 not_allowed.';
revoke execute on function public.record_email_result(uuid, boolean, text, text, boolean) from public, anon, authenticated;
grant execute on function public.record_email_result(uuid, boolean, text, text, boolean) to service_role;
