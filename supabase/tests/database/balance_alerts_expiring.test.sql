-- "Expiring soon": billing.remind_expiring_lots (daily, pg_cron) mails the owner(s) of every wallet
-- once per lot that still has credits and expires within a week; set-based, over many wallets in
-- one call; never for a used-up lot or one that expires later; a second run mails nothing again.
begin;
select plan(8);

-- 30 recruiters, each with a lot expiring in 3 days, one expiring in 30 days, and one used up.
select tests.create_user('be_' || n) from generate_series(1, 30) n;
select tests.give_credits('be_' || n, 1) from generate_series(1, 30) n;  -- no expiry: never reminded
select tests.give_wallet_credits(tests.get_user_id('be_' || n), 4, now() + interval '3 days') from generate_series(1, 30) n;
select tests.give_wallet_credits(tests.get_user_id('be_' || n), 7, now() + interval '30 days') from generate_series(1, 30) n;
select tests.give_wallet_credits(tests.get_user_id('be_' || n), 2, now() + interval '2 days') from generate_series(1, 30) n;
-- Spend the 2-credit lots entirely (they expire first, so they are spent first).
select tests.act_as('be_' || n), public.deduct_credits(2), tests.reset_role() from generate_series(1, 30) n;
select is((select count(*)::int from public.credit_lots l join public.users u on u.id = l.user_id
            where u.email like 'be\_%@tests.local' and l.amount = 2 and l.remaining = 0), 30, 'set-up: the 2-credit lots are used up');

-- A team's expiring lot goes to its owners.
select tests.create_user('be_owner'), tests.create_user('be_member');
select tests.create_team('be_owner', 'Expiring team') as team \gset
select tests.add_member(:'team', 'be_member', 'member');
select tests.give_wallet_credits(:'team', 9, now() + interval '6 days');

create function pg_temp.reminders() returns table (to_address text, credits int) language sql as $$
  select o.to_address, (o.params ->> 'credits')::int from billing.email_outbox o
   where o.template = 'credits_expiring' and (o.to_address like 'be\_%@tests.local') $$;

select cmp_ok(billing.remind_expiring_lots(), '>=', 31, 'one call handles the due lots of every wallet');
select is((select count(*)::int from pg_temp.reminders() where to_address ~ '^be_\d+@'), 30, 'one mail per recruiter''s due lot');
select is((select array_agg(distinct credits) from pg_temp.reminders() where to_address ~ '^be_\d+@'), array[4],
  'for the lot expiring in 3 days: not the used-up one, not the one expiring in 30 days, not the one that never expires');
select is((select array_agg(to_address || ':' || credits) from pg_temp.reminders() where to_address !~ '^be_\d+@'),
  array['be_owner@tests.local:9'], 'the team''s lot is mailed to its owner, not its member');
select is((select o.params - 'expires_at' - 'team_id' from billing.email_outbox o where o.to_address = 'be_1@tests.local' and o.template = 'credits_expiring'),
  '{"workspace": "your personal workspace", "credits": 4}'::jsonb, 'the mail says how many credits of which workspace expire (and when)');

select billing.remind_expiring_lots();
select is((select count(*)::int from pg_temp.reminders()), 31, 'the next day''s run mails nobody again');
select is((select count(*)::int from public.credit_lots l where l.id in (select lot_id from billing.expiry_reminders) and l.amount <> 4 and l.amount <> 9), 0,
  'reminders are remembered per lot (only the due ones)');

select * from finish();
rollback;
