-- Period end, set-based (20261125000990_period_end.sql): one call of billing.expire_credit_lots
-- expires the due lots of many wallets, personal and team, at once (one update and one broadcast
-- per wallet, one expiration row per lot); held and spent credits stay; a lot with rollover_limit
-- carries min(remaining, limit) into a rollover lot that expires later and never rolls again;
-- credits returned to such a lot roll while its limit lasts; a subscription period's lot (granted by
-- apply_invoice_paid with the plan's cap) rolls its cap over. The invariant check stays empty.
-- (Races and two runs at once: period_end_races.test.sql.)
begin;
select plan(27);

/**
 * 1. Many wallets in one call: 12 recruiters and 4 teams, 3 due lots each.
 */
select tests.create_user('pe_u' || g) from generate_series(1, 12) g;
create temporary table pe_wallets as
  select tests.get_user_id('pe_u' || g) as id, 'personal' as kind from generate_series(1, 12) g
  union all
  select tests.create_team('pe_u' || g, 'Period end ' || g), 'team' from generate_series(1, 4) g;
select tests.give_wallet_credits(w.id, 2, now() + interval '1 day') from pe_wallets w, generate_series(1, 3);
select tests.give_wallet_credits(w.id, 1) from pe_wallets w where w.kind = 'personal';
select tests.pass_lot_expiry(array(select l.id from public.credit_lots l join pe_wallets w on w.id = l.user_id
                                    where l.expires_at is not null));
create temporary table pe_messages_before as select id from realtime.messages;

select is(billing.expire_credit_lots(), 48, 'one call expires the 48 due lots of 16 wallets (12 personal, 4 teams)');
select is_empty($$ select l.id from public.credit_lots l join pe_wallets w on w.id = l.user_id
                   where l.expires_at <= now() and l.remaining > 0 $$, 'nothing of theirs is left due');
select results_eq($$ select w.kind, x.credits, x.credits_expired::int, count(*)::int from pe_wallets w
                     join billing.wallets x on x.id = w.id group by 1, 2, 3 order by 1 $$,
  $$ values ('personal', 1, 6, 12), ('team', 0, 6, 4) $$,
  'each wallet lost its 6 expiring credits (the never-expiring one stays) and counts them in credits_expired');
select results_eq($$ select count(*)::int, count(distinct g.reference)::int, sum(g.delta)::int from public.credit_ledger g
                     join pe_wallets w on w.id = g.user_id where g.kind = 'expiration' $$,
  $$ values (48, 48, -96) $$, 'one expiration row per lot, each naming its lot');
select results_eq($$ select count(*)::int, count(distinct m.topic)::int from realtime.messages m
                     where m.id not in (select id from pe_messages_before) $$,
  $$ values (16, 16) $$, 'one balance broadcast per wallet');
select is_empty($$ select m.topic from realtime.messages m where m.id not in (select id from pe_messages_before)
                   except select 'balance:' || w.id from pe_wallets w $$, 'on each wallet''s own topic');
select is_empty($$ select v.* from billing.credit_invariant_violations() v join pe_wallets w on w.id = v.user_id $$,
  'the invariant holds for every wallet of the batch (running balances in ledger order)');

/**
 * 2. Held and spent credits stay.
 */
select tests.create_user('pe_held');
select tests.give_wallet_credits(tests.get_user_id('pe_held'), 10, now() + interval '1 day');
select tests.act_as('pe_held');
select public.create_interview('Held at period end', null, 30) ->> 'interview_id' as held_iv \gset
select public.deduct_credits(2);
select tests.reset_role();
select id as held_lot from public.credit_lots where user_id = tests.get_user_id('pe_held') \gset
select tests.pass_lot_expiry(array[:held_lot]::bigint[]);
select ok(billing.expire_credit_lots() >= 1, 'the run finds the lot');
select results_eq(format('select remaining, held, spent, expired from public.credit_lots where id = %s', :held_lot),
  $$ values (0, 1, 2, 7) $$, 'only the 7 remaining expire; the held credit and the 2 spent stay');
select results_eq(format('select credits, credits_reserved from public.users where id = %L', tests.get_user_id('pe_held')),
  $$ values (0, 1) $$, 'the reserved credit is still reserved');

/**
 * 3. Rollover: capped, a rollover lot expiring later, which never rolls again.
 */
select tests.create_user('pe_roll');
select tests.give_wallet_credits(tests.get_user_id('pe_roll'), 30, now() + interval '1 day');
select tests.give_wallet_credits(tests.get_user_id('pe_roll'), 5, now() + interval '2 days');
select min(id) as lot_a, max(id) as lot_b from public.credit_lots where user_id = tests.get_user_id('pe_roll') \gset
-- The terms a subscription period's lot carries (set by apply_invoice_paid from the plan).
update public.credit_lots set rollover_limit = 20, rollover_expires_after = interval '1 month' where id in (:lot_a, :lot_b);
select tests.act_as('pe_roll');
select public.deduct_credits(4);
select tests.reset_role();
select tests.pass_lot_expiry(array[:lot_a, :lot_b]::bigint[], now() - interval '1 minute');
select billing.expire_credit_lots();

select results_eq(format('select id, remaining, spent, expired, rolled_over from public.credit_lots where id in (%s, %s) order by id', :lot_a, :lot_b),
  format('values (%s::bigint, 0, 4, 6, 20), (%s, 0, 0, 0, 5)', :lot_a, :lot_b),
  'a lot rolls min(remaining, limit): 20 of 26 roll and 6 expire; 5 of 5 roll and none expire');
select results_eq(format($$ select source, amount, remaining, expires_at, rollover_limit from public.credit_lots
                            where user_id = %L and id > %s order by id $$, tests.get_user_id('pe_roll'), :lot_b),
  $$ values ('rollover'::text, 20, 20, now() - interval '1 minute' + interval '1 month', null::int),
            ('rollover', 5, 5, now() - interval '1 minute' + interval '1 month', null) $$,
  'into rollover lots expiring at the old expiry + rollover_expires_after, with no limit of their own');
select results_eq(format($$ select kind, delta, reference, reason from public.credit_ledger
                            where user_id = %L and kind in ('expiration', 'rollover') order by id $$, tests.get_user_id('pe_roll')),
  format($$ values ('expiration'::text, -6, 'lot:%1$s'::text, 'Expired unused: test setup'::text),
                   ('rollover', 0, 'lot:%1$s', 'Rolled over: 20 credits of test setup'),
                   ('rollover', 0, 'lot:%2$s', 'Rolled over: 5 credits of test setup') $$, :lot_a, :lot_b),
  'the ledger: the expired rest, then a rollover row (delta 0) per lot');
select results_eq(format($$ select credits, credits_expired::int from public.users where id = %L $$, tests.get_user_id('pe_roll')),
  $$ values (25, 6) $$, 'the balance keeps the 25 rolled credits; only 6 count as expired');
select is(tests.spendable_lots(tests.get_user_id('pe_roll')), 25, 'and they can be spent');
select is_empty(format('select * from tests.lot_audit(%L)', tests.get_user_id('pe_roll')), 'every lot is exactly its moves');

-- The rollover lots fall due in their turn: they expire, nothing rolls again.
select tests.pass_lot_expiry(array(select id from public.credit_lots where user_id = tests.get_user_id('pe_roll') and source = 'rollover'));
select billing.expire_credit_lots();
select results_eq(format($$ select count(*)::int, sum(expired)::int, sum(rolled_over)::int from public.credit_lots
                            where user_id = %L and source = 'rollover' $$, tests.get_user_id('pe_roll')),
  $$ values (2, 25, 0) $$, 'a rollover lot expires later and does not roll again');
select results_eq(format($$ select credits, credits_expired::int from public.users where id = %L $$, tests.get_user_id('pe_roll')),
  $$ values (0, 31) $$, 'the wallet is empty: 6 + 25 expired');

/**
 * 4. Credits returned to a rolled lot (a cancelled interview): they roll while the limit lasts,
 *    the rest expires at once, as a returned credit always has.
 */
select tests.create_user('pe_back');
select tests.give_wallet_credits(tests.get_user_id('pe_back'), 10, now() + interval '1 day');
select id as lot_c from public.credit_lots where user_id = tests.get_user_id('pe_back') \gset
update public.credit_lots set rollover_limit = 8, rollover_expires_after = interval '1 month' where id = :lot_c;
select tests.act_as('pe_back');
select public.create_interview('Cancelled after period end', null, 90) ->> 'interview_id' as back_iv \gset
select tests.reset_role();
select tests.pass_lot_expiry(array[:lot_c]::bigint[]);
select billing.expire_credit_lots();
select results_eq(format('select remaining, held, expired, rolled_over from public.credit_lots where id = %s', :lot_c),
  $$ values (0, 3, 0, 7) $$, 'at period end 7 roll (limit 8), the 3 held stay');
select tests.act_as('pe_back');
select public.cancel_interview(:'back_iv') ->> 'expired' as back_expired \gset
select tests.reset_role();
select is(:'back_expired'::int, 2, 'cancelling returns 3: 1 more rolls (the limit is 8 in all), 2 expire at once');
select results_eq(format('select remaining, held, expired, rolled_over from public.credit_lots where id = %s', :lot_c),
  $$ values (0, 0, 2, 8) $$, 'the lot: 2 expired, 8 rolled over');
select results_eq(format($$ select credits, credits_reserved from public.users where id = %L $$, tests.get_user_id('pe_back')),
  $$ values (8, 0) $$, '8 credits available, in rollover lots');
select is_empty(format('select * from tests.lot_audit(%L)', tests.get_user_id('pe_back')), 'every lot is exactly its moves');

/**
 * 5. A real subscription period (apply_invoice_paid, 20261125000960): Pro monthly grants 100 with
 *    the plan's cap 50 for a month; 70 left at period end: 50 roll over, 20 expire.
 */
select tests.create_user('pe_sub');
select public.apply_invoice_paid('evt_pe_sub', jsonb_build_object('invoice_id', 'in_pe_sub', 'subscription_id', 'sub_pe',
  'customer_id', 'cus_pe', 'payment_intent', 'pi_pe_sub', 'amount_paid', 7900, 'currency', 'usd',
  'billing_reason', 'subscription_create', 'period_start', now() - interval '1 day', 'period_end', now() + interval '29 days',
  'lookup_key', 'sub_pro_monthly', 'user_id', tests.get_user_id('pe_sub'), 'team_id', null,
  'event_created', extract(epoch from now())::bigint)) ->> 'credited' as sub_credited \gset
select l.id as sub_lot from public.credit_lots l join public.payments p on p.id = l.payment_id
 where p.provider_session_id = 'in_pe_sub' \gset
select tests.act_as('pe_sub');
select public.deduct_credits(30);
select tests.reset_role();
select tests.pass_lot_expiry(array[:sub_lot]::bigint[], now() - interval '1 second');
select billing.expire_credit_lots();
select results_eq(format('select %s::int, remaining, spent, expired, rolled_over from public.credit_lots where id = %s', :sub_credited, :sub_lot),
  $$ values (100, 0, 30, 20, 50) $$, 'the period''s lot: 30 spent, 50 rolled over (the plan''s cap), 20 expired');
select results_eq(format($$ select source, amount, expires_at from public.credit_lots where user_id = %L and id > %s $$,
                         tests.get_user_id('pe_sub'), :sub_lot),
  $$ values ('rollover'::text, 50, now() - interval '1 second' + interval '1 month') $$,
  'into a rollover lot lasting the plan''s month after the period end');

/**
 * 6. The batch statements are planned for their arrays each call: PL/pgSQL's generic plan after five
 *    calls guesses one row for `= any($1)` and turned a 1,000-wallet batch into minutes of nested loops.
 */
select is((select array_agg(p.proname::text order by p.proname) from pg_proc p
            where p.pronamespace = 'billing'::regnamespace and p.proname in ('expire_due_lots', 'expire_credit_lots')
              and 'plan_cache_mode=force_custom_plan' = any (p.proconfig)),
  array['expire_credit_lots', 'expire_due_lots'], 'the expiry batch functions always use a custom plan');

/**
 * 7. Everything at once.
 */
select is_empty($$ select * from tests.ledger_violations() $$, 'the invariant check is empty');

select * from finish();
rollback;
