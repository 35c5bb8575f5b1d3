-- A lot is never spent twice, whatever the order of operations: a deterministic generator (a
-- linear congruential sequence, so a failure replays exactly) runs grants with and without
-- expiry, promotional grants, purchases, partial and full refunds, spends, holds, cancels,
-- captures, support adjustments both ways and lot expiries for several wallets, and checks: the
-- ledger invariant, each lot equal to its entries, no lot overdrawn at any point of its history
-- (every 20 steps: these look at the whole history, so a past break stays visible), and, after
-- every step, a refunded lot never holding more spendable credits than its unrefunded share.
begin;
select plan(9);

create temporary table step_log (
  step int, user_name text, op text, outcome text,
  violations int, audit int, overdrafts int, refund_leaks int
) on commit drop;

create function pg_temp.run_sequences(p_users int, p_steps int, p_seed bigint, p_check_every int) returns void
language plpgsql as $fn$
declare
  v_seed bigint := p_seed;
  v_user text;
  v_uid uuid;
  v_op text;
  v_outcome text;
  v_n int;
  v_id uuid;
  v_lot bigint;
  v_pay public.payments;
  v_state text;
  v_ops text[] := array['grant', 'grant_expiring', 'promo', 'purchase', 'refund', 'deduct', 'deduct',
                        'create', 'create', 'create', 'cancel', 'complete', 'adjust_down', 'adjust_up', 'expire_lot'];
  -- Next pseudo-random integer in [0, p_mod).
  v_rand int;
begin
  for u in 1..p_users loop
    perform tests.create_user('seq' || u);
  end loop;
  for step in 1..p_steps loop
    v_seed := tests.next_seed(v_seed);
    v_user := 'seq' || (1 + v_seed % p_users);
    v_uid := tests.get_user_id(v_user);
    v_seed := tests.next_seed(v_seed);
    v_op := v_ops[1 + (v_seed / 7) % pg_catalog.array_length(v_ops, 1)];
    v_seed := tests.next_seed(v_seed);
    v_rand := (v_seed / 11) % 1000;
    v_outcome := 'ok';
    begin
      case v_op
        when 'grant' then
          perform billing.apply_credit_change(v_uid, 1 + v_rand % 5, 'grant', 'tests', 'grant');
        when 'grant_expiring' then
          perform billing.apply_credit_change(v_uid, 1 + v_rand % 5, 'grant', 'tests', 'expiring grant', null, null, null,
            null, null, now() + (1 + v_rand % 30) * interval '1 day');
        when 'promo' then
          perform billing.apply_credit_change(v_uid, 1 + v_rand % 3, 'grant', 'tests', 'promo', null, null, null,
            null, null, now() + (1 + v_rand % 30) * interval '1 day', 'promotional');
        when 'purchase' then
          perform tests.act_as_service_role();
          perform public.record_checkout(v_uid, case when v_rand % 2 = 0 then 'pack_5' else 'tier_starter' end, 'stripe', 'cs_seq_' || step);
          select * into v_pay from public.payments where provider_session_id = 'cs_seq_' || step;
          perform public.complete_checkout('evt_seq_paid_' || step, 'cs_seq_' || step, v_pay.amount_cents, 'usd', 'pi_seq_' || step);
        when 'refund' then
          select * into v_pay from public.payments p where p.user_id = v_uid and p.status in ('paid', 'partially_refunded')
           order by p.provider_session_id offset v_rand % 3 limit 1;
          if v_pay.id is null then
            v_outcome := 'nothing';
          else
            perform tests.act_as_service_role();
            -- cumulative: somewhere between one cent more and the full amount, full one time in three
            perform public.refund_payment('evt_seq_refund_' || step, v_pay.provider_payment_intent,
              case when v_rand % 3 = 0 then v_pay.amount_cents
                   else least(v_pay.amount_cents, v_pay.amount_refunded_cents + 1 + v_rand % v_pay.amount_cents) end);
          end if;
        when 'deduct' then
          perform tests.act_as(v_user);
          perform public.deduct_credits(1 + v_rand % 4);
        when 'create' then
          perform tests.act_as(v_user);
          perform public.create_interview('Interview ' || step, null, 30 * (1 + v_rand % 4));
        when 'cancel', 'complete' then
          select i.id into v_id from public.interviews i where i.user_id = v_uid and i.status = 'scheduled'
           order by i.job_position offset v_rand % 3 limit 1;
          if v_id is null then
            v_outcome := 'nothing';
          elsif v_op = 'cancel' then
            perform tests.act_as(v_user);
            perform public.cancel_interview(v_id);
          else
            perform tests.act_as_service_role();
            perform public.complete_interview(v_id);
          end if;
        when 'adjust_down' then
          perform billing.support_adjust_credits(v_uid, -(1 + v_rand % 3), 'correction', 'T-' || step);
        when 'adjust_up' then
          perform billing.support_adjust_credits(v_uid, 1 + v_rand % 3, 'goodwill', 'T-' || step);
        when 'expire_lot' then
          -- Time passes for one lot that has an expiry: its date is reached and the expiry run
          -- (billing.expire_lot is the per-lot step of billing.expire_credit_lots) takes it.
          select l.id into v_lot from public.credit_lots l
           where l.user_id = v_uid and l.expires_at is not null and l.expires_at > now() - interval '1 second'
           order by l.id offset v_rand % 2 limit 1;
          if v_lot is null then
            v_outcome := 'nothing';
          else
            perform tests.pass_lot_expiry(array[v_lot]);
            v_n := billing.expire_lot(v_lot, 'system:expiry');
            v_outcome := 'expired ' || v_n;
            -- twice: the second run finds nothing
            if billing.expire_lot(v_lot, 'system:expiry') <> 0 then
              v_outcome := 'expired twice';
            end if;
          end if;
      end case;
      perform tests.reset_role();
    exception when others then
      get stacked diagnostics v_state = returned_sqlstate;
      v_outcome := case when v_state in ('PT402', 'PT409') then 'refused ' || v_state
                        else 'ERROR ' || v_state || ' ' || sqlerrm end;
    end;
    -- The history-based checks (running sums, lots recomputed from all their entries, overdrafts
    -- at any point of the history) see a past break too, so they run every few steps; the state
    -- check of refunded lots runs after every step.
    insert into step_log values (step, v_user, v_op, v_outcome,
      case when step % p_check_every = 0 then (select count(*) from billing.credit_invariant_violations()) end,
      case when step % p_check_every = 0 then (select count(*) from tests.lot_audit()) end,
      case when step % p_check_every = 0 then (select count(*) from tests.lot_overdrafts()) end,
      -- a refunded lot: remaining <= credits - refunded share, and nothing remaining while owed
      (select count(*) from public.payments p join public.credit_lots l on l.payment_id = p.id
        where p.user_id = v_uid and p.amount_refunded_cents > 0
          and (l.remaining > p.credits - (p.credits_reversed + p.credits_unrecovered)
               or (p.credits_unrecovered > 0 and l.remaining > 0))));
  end loop;
end;
$fn$;

select pg_temp.run_sequences(5, 400, 20261125, 20);

select is_empty($$ select step, user_name, op, outcome from step_log where outcome like 'ERROR%' or outcome = 'expired twice' $$,
  'no step failed with anything but insufficient_credits / not cancellable, and no lot expired twice');
select is_empty($$ select step, user_name, op, violations from step_log where violations > 0 $$,
  'the ledger invariant held at every check (every 20 steps)');
select is_empty($$ select step, user_name, op, audit from step_log where audit > 0 $$,
  'at every check every lot was exactly its entries (remaining, held, spent, expired, voided)');
select is_empty($$ select step, user_name, op from step_log where overdrafts > 0 $$,
  'no lot was ever taken below zero: a lot is never spent twice');
select is_empty($$ select step, user_name, op from step_log where refund_leaks > 0 $$,
  'a refunded lot never held more spendable credits than its unrefunded share');
select is_empty($$ select * from tests.ledger_violations() $$, 'tests.ledger_violations() is empty at the end');
-- The sequence really exercised every path (a generator that only ever got refused proves nothing).
select is_empty($$ select op from unnest(array['grant', 'grant_expiring', 'promo', 'purchase', 'refund', 'deduct', 'create',
                                                'cancel', 'complete', 'adjust_down', 'adjust_up']) op
                   except select op from step_log where outcome = 'ok' $$,
  'every kind of step succeeded at least once');
select ok((select count(*) from step_log where outcome like 'refused PT402') > 10
          and (select count(*) from step_log where outcome like 'expired %' and outcome <> 'expired 0') > 2,
  'some spends were refused for lack of credits and some lots expired with credits left');
select ok((select count(*) from public.credit_lots l join public.users u on u.id = l.user_id
            where u.email like 'seq%' and l.held > 0 and l.spent > 0 and l.remaining > 0) > 0
          and (select count(*) from public.credit_ledger g join public.users u on u.id = g.user_id
                where u.email like 'seq%' and g.kind = 'reversal' and g.interview_id is not null) > 0
          and (select count(*) from public.credit_ledger g join public.users u on u.id = g.user_id
                where u.email like 'seq%' and g.kind = 'expiration' and g.interview_id is not null) > 0,
  'lots ended split across held, spent and remaining; returned credits repaid a refund and expired in an expired lot');

select * from finish();
rollback;
