-- A refunded lot's credits never come back: a refund voids what its payment's lot still has; its
-- held credits repay the refund when their interview is cancelled (reversal rows naming the
-- interview), a capture spends them, expiry takes only what is left; other lots are never
-- touched, and the user's spendable credits never include voided ones.
begin;
select plan(21);

create function pg_temp.lot_of(p_session text) returns table (remaining int, held int, spent int, expired int, voided int)
language sql as $$
  select l.remaining, l.held, l.spent, l.expired, l.voided from public.credit_lots l
    join public.payments p on p.id = l.payment_id where p.provider_session_id = p_session $$;
create function pg_temp.wallet(p_name text) returns table (available int, reserved int, spendable int)
language sql as $$
  select u.credits, u.credits_reserved, tests.spendable_lots(u.id) from public.users u where u.id = tests.get_user_id(p_name) $$;
-- Refunded lots holding more than their unrefunded share, or anything while a debt is open.
create function pg_temp.refund_leaks() returns setof uuid language sql as $$
  select p.id from public.payments p join public.credit_lots l on l.payment_id = p.id
   where p.amount_refunded_cents > 0
     and (l.remaining > p.credits - (p.credits_reversed + p.credits_unrecovered)
          or (p.credits_unrecovered > 0 and l.remaining > 0)) $$;

select tests.create_user('fay');
select tests.create_user('gus');
select tests.create_user('hal');

-- fay: a full refund of a pack with credits spent, held and remaining.
select tests.act_as_service_role();
select public.record_checkout(tests.get_user_id('fay'), 'pack_10', 'stripe', 'cs_lr_fay');
select public.complete_checkout('evt_lr_fay', 'cs_lr_fay', 900, 'usd', 'pi_lr_fay');
select tests.act_as('fay');
select public.deduct_credits(2);
select public.create_interview('Cancelled later', null, 60) ->> 'interview_id' as f1 \gset
select public.create_interview('Completed later', null, 30) ->> 'interview_id' as f2 \gset
select public.create_interview('Cancelled last', null, 30) ->> 'interview_id' as f3 \gset
select tests.act_as_service_role();
select public.refund_payment('evt_lr_fay_refund', 'pi_lr_fay', 900);
select results_eq($$ select * from pg_temp.lot_of('cs_lr_fay') $$, $$ values (0, 4, 2, 0, 4) $$,
  'full refund: the 4 remaining credits are voided; 4 held and 2 spent stay where they are');
select results_eq($$ select credits_reversed, credits_unrecovered from public.payments where provider_session_id = 'cs_lr_fay' $$,
  $$ values (4, 6) $$, 'and 6 are owed (held or spent when the refund came)');
select results_eq($$ select * from pg_temp.wallet('fay') $$, $$ values (0, 4, 0) $$, 'nothing available; 4 still reserved');

select tests.act_as('fay');
select public.cancel_interview(:'f1') as c1 \gset
select is(((:'c1'::jsonb) ->> 'recovered')::int, 2, 'cancelling: the 2 held credits come back and repay the refund');
select results_eq($$ select * from pg_temp.wallet('fay') $$, $$ values (0, 2, 0) $$, 'so nothing becomes available');
select results_eq(format($$ select kind, delta from public.credit_ledger where interview_id = %L order by id $$, :'f1'),
  $$ values ('hold'::text, -2), ('release', 2), ('reversal', -2) $$, 'hold, release, reversal naming the interview');
select tests.act_as_service_role();
select public.complete_interview(:'f2');
select results_eq($$ select * from pg_temp.lot_of('cs_lr_fay') $$, $$ values (0, 1, 3, 0, 6) $$,
  'a completed interview spends its held credit of the refunded lot (it stays owed)');
-- New credits are another lot: the refund never takes them.
select public.add_credits(tests.get_user_id('fay'), 5, 'grant', 'after the refund');
select tests.act_as('fay');
select public.cancel_interview(:'f3');
select results_eq($$ select * from pg_temp.lot_of('cs_lr_fay') $$, $$ values (0, 0, 3, 0, 7) $$,
  'the last held credit comes back and is voided too');
select results_eq($$ select * from pg_temp.wallet('fay') $$, $$ values (5, 0, 5) $$,
  'fay can spend exactly the 5 credits granted after the refund');
select results_eq($$ select credits_reversed, credits_unrecovered from public.payments where provider_session_id = 'cs_lr_fay' $$,
  $$ values (7, 3) $$, 'reversed 7, and the 3 spent stay owed: spent credits stay spent');

-- gus: a half refund, then the held credits come back, then the rest is refunded.
select tests.act_as_service_role();
select public.record_checkout(tests.get_user_id('gus'), 'pack_10', 'stripe', 'cs_lr_gus');
select public.complete_checkout('evt_lr_gus', 'cs_lr_gus', 900, 'usd', 'pi_lr_gus');
select tests.act_as('gus');
select public.deduct_credits(3);
select public.create_interview('Four credits', null, 120) ->> 'interview_id' as g1 \gset
select tests.act_as_service_role();
select public.refund_payment('evt_lr_gus_half', 'pi_lr_gus', 450);
select results_eq($$ select * from pg_temp.lot_of('cs_lr_gus') $$, $$ values (0, 4, 3, 0, 3) $$,
  'half refund (5 credits): the 3 remaining are voided, 2 owed');
select tests.act_as('gus');
select public.cancel_interview(:'g1');
select results_eq($$ select * from pg_temp.lot_of('cs_lr_gus') $$, $$ values (2, 0, 3, 0, 5) $$,
  'the 4 held credits come back: 2 repay the refund, 2 (the unrefunded half) are gus''s again');
select results_eq($$ select * from pg_temp.wallet('gus') $$, $$ values (2, 0, 2) $$, 'gus can spend 2');
select tests.act_as_service_role();
select public.refund_payment('evt_lr_gus_full', 'pi_lr_gus', 900);
select results_eq($$ select * from pg_temp.lot_of('cs_lr_gus') $$, $$ values (0, 0, 3, 0, 7) $$,
  'the rest refunded: the 2 are voided too, the 3 spent stay spent');
select results_eq($$ select * from pg_temp.wallet('gus') $$, $$ values (0, 0, 0) $$, 'nothing is spendable');

-- hal: a refunded plan whose credits expire, with a hold open across refund and expiry.
select tests.act_as_service_role();
select public.record_checkout(tests.get_user_id('hal'), 'tier_starter', 'stripe', 'cs_lr_hal');
select public.complete_checkout('evt_lr_hal', 'cs_lr_hal', 2000, 'usd', 'pi_lr_hal');
select tests.act_as('hal');
select public.deduct_credits(1);
select public.create_interview('Across refund and expiry', null, 120) ->> 'interview_id' as h1 \gset
select tests.act_as_service_role();
select public.refund_payment('evt_lr_hal_half', 'pi_lr_hal', 1000);
select tests.reset_role();
select tests.pass_lot_expiry(array(select l.id from public.credit_lots l join public.payments p on p.id = l.payment_id
                                     where p.provider_session_id = 'cs_lr_hal'), now() - interval '1 minute');
select billing.expire_lot(l.id, 'system:expiry') from public.credit_lots l
  join public.payments p on p.id = l.payment_id where p.provider_session_id = 'cs_lr_hal';
select results_eq($$ select * from pg_temp.lot_of('cs_lr_hal') $$, $$ values (0, 4, 1, 8, 12) $$,
  'half of 25 (12) voided, then the expiry took the 8 remaining and not the 4 held');
select tests.act_as_service_role();
select public.refund_payment('evt_lr_hal_full', 'pi_lr_hal', 2000);
select tests.act_as('hal');
select public.cancel_interview(:'h1') as hc \gset
select results_eq($$ select * from pg_temp.lot_of('cs_lr_hal') $$, $$ values (0, 0, 1, 8, 16) $$,
  'fully refunded, then the held credits come back: they repay the refund, nothing is left to expire');
select results_eq($$ select * from pg_temp.wallet('hal') $$, $$ values (0, 0, 0) $$, 'nothing is spendable');

select is_empty($$ select * from pg_temp.refund_leaks() $$, 'no refunded lot holds more than its unrefunded share');
select is_empty($$ select * from tests.lot_audit() $$, 'every lot is exactly its entries');
select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds');

select * from finish();
rollback;
