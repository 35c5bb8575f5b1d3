-- SQL that says each thing once: the webhook event claim lives in one pair of helpers, each
-- argument limit in one function, and complete_checkout reads as its named steps.
begin;
select plan(5);

select is(
  (select pg_catalog.array_agg(p.oid::regprocedure::text order by p.oid::regprocedure::text)
     from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'billing')
      and p.prosrc ~* '(insert\s+into|update)\s+billing\.processed_events'),
  array['billing.event_begin(text,text)', 'billing.event_finish(text,jsonb,uuid)'],
  'only billing.event_begin and billing.event_finish claim and store webhook events'
);

-- Trigger functions are left out: they check no arguments (on_auth_user_created trims
-- sign-up metadata to the users columns).
select is(
  (select pg_catalog.array_agg(p.proname::text order by p.proname)
     from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'billing')
      and p.prorettype <> 'trigger'::regtype
      and p.prosrc ~ '\m(10000|5000|500|255|200)\M'),
  array['max_credits_per_call', 'max_event_id_length', 'max_history_page_size', 'max_idempotency_key_length',
        'max_job_description_length', 'max_job_position_length', 'max_ledger_text_length',
        'max_provider_ref_length'],
  'each argument limit is written once, in its billing.max_*() function'
);

select is(
  (select pg_catalog.count(*)::integer
     from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'billing' and p.proname like 'max\_%' and p.provolatile <> 'i'),
  0,
  'the limits are immutable, so a plan folds them to constants (the hot paths pay nothing)'
);

select cmp_ok(
  (select pg_catalog.array_length(pg_catalog.string_to_array(p.prosrc, E'\n'), 1)
     from pg_catalog.pg_proc p
    where p.oid = 'public.complete_checkout(text, text, integer, text, text, uuid, text, text, uuid)'::regprocedure),
  '<=', 60,
  'complete_checkout reads as its named steps (at most 60 lines)'
);

select is(
  (select pg_catalog.array_agg(p.oid::regprocedure::text order by p.oid::regprocedure::text)
     from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'billing') and pg_catalog.strpos(p.prosrc, '@[^@') > 0),
  array['billing.check_email_address(text)'],
  'the rule for an e-mail address is written once (the outbox and invitations call billing.check_email_address)'
);

select * from finish();
rollback;
