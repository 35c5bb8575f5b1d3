-- No total on the billing page is ever negative, whatever support, payments and recruiters do: a
-- deterministic generator (a linear congruential sequence, so a failure replays exactly) runs
-- grants, purchases, payment refunds, spends, interviews created, cancelled and completed, their
-- charges refunded (some over the charge, refused), "goodwill refunds" (refused), support
-- adjustments both ways and lot expiries, and after every step reads billing_summary as the
-- recruiter: every total_* >= 0, refunded <= spent (so "spent, net of refunds" >= 0), and the
-- totals explain available + reserved.
begin;
select plan(6);

create temporary table totals_log (step int, user_name text, op text, outcome text, summary jsonb) on commit drop;

create function pg_temp.run(p_users int, p_steps int, p_seed bigint) returns void
language plpgsql as $fn$
declare
  v_seed bigint := p_seed;
  v_user text;
  v_uid uuid;
  v_op text;
  v_outcome text;
  v_rand int;
  v_id uuid;
  v_lot bigint;
  v_pay public.payments;
  v_state text;
  v_summary jsonb;
  v_ops text[] := array['grant', 'purchase', 'payment_refund', 'deduct', 'create', 'create', 'cancel', 'complete',
                        'complete', 'interview_refund', 'interview_refund', 'goodwill_refund', 'adjust_up', 'adjust_down',
                        'expire_lot'];
begin
  for u in 1..p_users loop
    perform tests.create_user('tot' || u);
  end loop;
  for step in 1..p_steps loop
    v_seed := tests.next_seed(v_seed);
    v_user := 'tot' || (1 + v_seed % p_users);
    v_uid := tests.get_user_id(v_user);
    v_seed := tests.next_seed(v_seed);
    v_op := v_ops[1 + (v_seed / 7) % pg_catalog.array_length(v_ops, 1)];
    v_seed := tests.next_seed(v_seed);
    v_rand := (v_seed / 11) % 1000;
    v_outcome := 'ok';
    begin
      case v_op
        when 'grant' then
          perform tests.act_as_service_role();
          perform public.add_credits(v_uid, 1 + v_rand % 5, 'grant', 'grant', null, null,
            case when v_rand % 2 = 0 then now() + interval '3 days' end);
        when 'purchase' then
          perform tests.act_as_service_role();
          perform public.record_checkout(v_uid, 'pack_5', 'stripe', 'cs_tot_' || step);
          perform public.complete_checkout('evt_tot_paid_' || step, 'cs_tot_' || step, 500, 'usd', 'pi_tot_' || step);
        when 'payment_refund' then
          select * into v_pay from public.payments p where p.user_id = v_uid and p.status in ('paid', 'partially_refunded')
           order by p.provider_session_id offset v_rand % 2 limit 1;
          if v_pay.id is null then
            v_outcome := 'nothing';
          else
            perform tests.act_as_service_role();
            perform public.refund_payment('evt_tot_refund_' || step, v_pay.provider_payment_intent,
              least(v_pay.amount_cents, v_pay.amount_refunded_cents + 100 + v_rand % 400));
          end if;
        when 'deduct' then
          perform tests.act_as(v_user);
          perform public.deduct_credits(1 + v_rand % 3);
        when 'create' then
          perform tests.act_as(v_user);
          perform public.create_interview('Job ' || step, null, 30 * (1 + v_rand % 3));
        when 'cancel', 'complete', 'interview_refund' then
          select i.id into v_id from public.interviews i
           where i.user_id = v_uid and i.status = case v_op when 'interview_refund' then 'completed' else 'scheduled' end
           order by i.created_at, i.id offset v_rand % 3 limit 1;
          if v_id is null then
            v_outcome := 'nothing';
          elsif v_op = 'cancel' then
            perform tests.act_as(v_user);
            perform public.cancel_interview(v_id);
          elsif v_op = 'complete' then
            perform tests.act_as_service_role();
            perform public.complete_interview(v_id);
          else
            -- 1..4 credits of a charge of 1..3: sometimes more than is left, refused
            perform tests.act_as_service_role();
            perform public.add_credits(v_uid, 1 + v_rand % 4, 'refund', 'Interview went wrong', 'interview:' || v_id);
          end if;
        when 'goodwill_refund' then
          perform tests.act_as_service_role();
          perform public.add_credits(v_uid, 1 + v_rand % 3, 'refund', 'Goodwill refund');
        when 'adjust_up' then
          perform billing.support_adjust_credits(v_uid, 1 + v_rand % 4, 'Goodwill', 'T-' || step);
        when 'adjust_down' then
          perform billing.support_adjust_credits(v_uid, -(1 + v_rand % 4), 'Correction', 'T-' || step);
        when 'expire_lot' then
          select l.id into v_lot from public.credit_lots l
           where l.user_id = v_uid and l.expires_at > now() and l.remaining > 0 order by l.id limit 1;
          if v_lot is null then
            v_outcome := 'nothing';
          else
            perform tests.pass_lot_expiry(array[v_lot]);
            perform billing.expire_lot(v_lot, 'system:expiry');
          end if;
      end case;
      perform tests.reset_role();
    exception when others then
      get stacked diagnostics v_state = returned_sqlstate;
      v_outcome := case when v_state in ('PT402', 'PT409', '22023') then 'refused ' || v_state
                        else 'ERROR ' || v_state || ' ' || sqlerrm end;
    end;
    -- What the recruiter's billing page reads, as the recruiter.
    perform tests.act_as(v_user);
    v_summary := public.billing_summary() - 'recent' - 'expiring';
    perform tests.reset_role();
    insert into totals_log values (step, v_user, v_op, v_outcome, v_summary);
  end loop;
end;
$fn$;

select pg_temp.run(4, 300, 20261207);

select is_empty($$ select step, op, outcome from totals_log where outcome like 'ERROR%' $$,
  'no step failed with anything but a refusal (PT402, PT409, 22023)');
select is_empty($$ select step, op, key, value from totals_log, jsonb_each(summary)
                   where key like 'total\_%' and value::text::numeric < 0 $$,
  'after every step, every total of billing_summary is >= 0');
select is_empty($$ select step, op, summary from totals_log
                   where (summary ->> 'total_refunded')::bigint > (summary ->> 'total_spent')::bigint $$,
  'after every step, refunded <= spent: "spent on interviews, net of refunds" is never negative');
select is_empty($$ select step, op, summary from totals_log s
                   where (s.summary ->> 'total_purchased')::bigint + (s.summary ->> 'total_granted')::bigint
                         + (s.summary ->> 'total_refunded')::bigint + (s.summary ->> 'total_adjusted_added')::bigint
                         - (s.summary ->> 'total_adjusted_removed')::bigint - (s.summary ->> 'total_spent')::bigint
                         - (s.summary ->> 'total_reversed')::bigint - (s.summary ->> 'total_expired')::bigint
                         <> (s.summary ->> 'available')::bigint + (s.summary ->> 'reserved')::bigint $$,
  'after every step, the totals explain available + reserved');
-- The generator really went everywhere: every kind of step succeeded, and the refusals that
-- protect the totals really happened (a goodwill refund, a refund over the charge).
select is_empty($$ select op from unnest(array['grant', 'purchase', 'payment_refund', 'deduct', 'create', 'cancel', 'complete',
                                                'interview_refund', 'adjust_up', 'adjust_down', 'expire_lot']) op
                   except select op from totals_log where outcome = 'ok'
                   union all
                   select 'refused ' || op from unnest(array['goodwill_refund', 'interview_refund']) op
                   except select 'refused ' || op from totals_log where outcome = 'refused 22023' $$,
  'every kind of step succeeded at least once, and refunds without an interview or over its charge were refused');
select is_empty($$ select * from tests.ledger_violations() $$, 'the ledger invariant holds at the end');

select * from finish();
rollback;
