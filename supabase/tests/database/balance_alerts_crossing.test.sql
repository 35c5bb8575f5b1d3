-- Low-balance alerts of a personal workspace: one mail (outbox, template low_balance) and one
-- broadcast (event low_balance on balance:<user id>) per crossing of the threshold downwards;
-- spends below it say nothing more; credits coming back above it re-arm it. The threshold is
-- the recruiter's to set (set_low_balance_alert), nobody writes it directly, and billing_summary
-- returns it with the balance.
begin;
select plan(14);

select tests.create_user('ba_alice');
select tests.give_credits('ba_alice', 10);

-- This file's own user's mails and messages only (security definer: read while acting as her).
create function pg_temp.mails() returns int language sql security definer as $$
  select count(*)::int from billing.email_outbox o
   where o.template = 'low_balance' and o.to_address = 'ba_alice@tests.local' $$;
create function pg_temp.broadcasts() returns int language sql security definer as $$
  select count(*)::int from realtime.messages m
   where m.event = 'low_balance' and m.topic = 'balance:' || tests.get_user_id('ba_alice') $$;

select tests.act_as('ba_alice');
select is(public.set_low_balance_alert(5) - 'team_id',
  '{"low_balance_threshold": 5, "available": 10, "low": false}'::jsonb, 'the recruiter sets a threshold of 5 credits');
select is((public.billing_summary() ->> 'low_balance_threshold')::int, 5, 'billing_summary returns it with the balance');

select public.deduct_credits(5);
select is(pg_temp.mails() + pg_temp.broadcasts(), 0, 'a spend down to the threshold (10 -> 5) does not cross: nothing sent');

select public.deduct_credits(1);
select is(pg_temp.mails(), 1, 'the spend that crosses (5 -> 4) queues one mail');
select is(pg_temp.broadcasts(), 1, 'and sends one low_balance message');
select tests.reset_role();
select is(
  (select o.params - 'team_id' from billing.email_outbox o where o.template = 'low_balance' and o.to_address = 'ba_alice@tests.local'),
  '{"workspace": "your personal workspace", "threshold": 5, "available": 4}'::jsonb,
  'the mail says the workspace, the threshold and what is left');
select is(
  (select jsonb_build_object('threshold', m.payload -> 'threshold', 'credits', m.payload -> 'credits', 'private', m.private)
     from realtime.messages m where m.event = 'low_balance' and m.topic = 'balance:' || tests.get_user_id('ba_alice')),
  '{"threshold": 5, "credits": 4, "private": true}'::jsonb, 'the message carries the threshold and the new balance, on a private topic');

select tests.act_as('ba_alice');
select public.deduct_credits(1);
select public.deduct_credits(2);
select is(pg_temp.mails() + pg_temp.broadcasts(), 2, 'further spends below the threshold send nothing more');

select tests.give_credits('ba_alice', 9);
select public.deduct_credits(6);
select is(pg_temp.mails(), 2, 'credits coming back above it (1 -> 10) and a spend below again (-> 4): a second mail');
select is(pg_temp.broadcasts(), 2, 'and a second message');
select tests.reset_role();
select is((select count(*)::int from billing.low_balance_alerts where wallet_id = tests.get_user_id('ba_alice')), 2,
  'each crossing is recorded for support');

select tests.act_as('ba_alice');
select public.set_low_balance_alert(20);
select is(pg_temp.mails(), 2, 'raising the threshold above the balance shows the banner but mails nothing (no spend crossed)');
select throws_ok($$ select public.set_low_balance_alert(0) $$, '22023', 'invalid_threshold', 'a threshold of 0 could never be crossed: refused');
select throws_ok($$ update public.users set low_balance_threshold = 1 where id = auth.uid() $$, '42501', null,
  'nobody writes the threshold directly');

select * from finish();
rollback;
