-- Interviews and their price: interview_cost (the only place pricing is computed),
-- create_interview (insert + charge in one transaction, or neither) and cancel_interview
-- (full refund of a scheduled interview, once; credits that a refunded payment still owes are
-- repaid from it first, see billing.repay_refund_debt).

-- Security invoker on purpose: it reads no data, so it needs no rights, and it raises its own
-- errors rather than calling the private billing helpers the API roles cannot reach.
create or replace function public.interview_cost(
  duration_minutes integer,
  interview_type text default 'technical'
)
returns integer
language plpgsql
stable
set search_path = ''
as $$
begin
  if duration_minutes is null or duration_minutes not between 15 and 120 then
    raise exception using
      errcode = '22023',
      message = 'invalid_duration_minutes',
      detail = '{"argument": "duration_minutes"}',
      hint = 'duration_minutes must be from 15 to 120';
  end if;
  if interview_type is null or interview_type not in ('technical', 'behavioral', 'screening', 'culture_fit') then
    raise exception using
      errcode = '22023',
      message = 'invalid_interview_type',
      detail = '{"argument": "interview_type"}',
      hint = 'interview_type must be one of technical, behavioral, screening, culture_fit';
  end if;
  -- One credit per started half hour: 15-30 min 1, 45-60 min 2, 90 min 3, 120 min 4.
  return (duration_minutes + 29) / 30;
end;
$$;
comment on function public.interview_cost(integer, text) is
  'Credits an interview costs: one per started 30 minutes (15-30 min: 1, 45-60: 2, 90: 3, 120: 4). The single place pricing is computed. Errors: 22023 invalid_duration_minutes (15..120), invalid_interview_type.';
revoke execute on function public.interview_cost(integer, text) from public, anon, authenticated, service_role;
grant execute on function public.interview_cost(integer, text) to anon, authenticated, service_role;

create or replace function public.create_interview(
  job_position text,
  job_description text default null,
  duration_minutes integer default 30,
  interview_type text default 'technical',
  idempotency_key text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := auth.uid();
  v_position text := pg_catalog.btrim(job_position);
  v_cost integer;
  v_interview_id uuid;
  v_replay jsonb;
  v_change jsonb;
begin
  -- The hot path, as in deduct_credits: plain conditions, and the shared helper runs only to
  -- raise its error (a call of a function with its own search_path costs a GUC save/restore).
  if v_user_id is null then
    perform billing.require_signed_in();
  end if;
  if job_position is null or pg_catalog.char_length(job_position) > 200 or v_position = '' then
    perform billing.check_text('job_position', job_position, true, 200);
  end if;
  if pg_catalog.char_length(job_description) > 5000 then
    perform billing.check_text('job_description', job_description, false, 5000);
  end if;
  v_cost := public.interview_cost(duration_minutes, interview_type);

  if idempotency_key is not null then
    perform billing.check_idempotency_key(idempotency_key);
    v_replay := billing.idempotency_begin(v_user_id, idempotency_key, 'create_interview',
      pg_catalog.jsonb_build_object('job_position', job_position, 'job_description', job_description,
        'duration_minutes', duration_minutes, 'interview_type', interview_type), 'user');
    if v_replay is not null then
      return v_replay;
    end if;
  end if;

  -- Insert first (the ledger row references it), then charge: if the charge fails with PT402 the
  -- whole call fails and the interview is gone with it.
  insert into public.interviews (user_id, job_position, job_description, duration_minutes, interview_type, cost)
  values (v_user_id, v_position, job_description, duration_minutes, interview_type, v_cost)
  returning id into v_interview_id;

  v_change := billing.apply_credit_change(v_user_id, -v_cost, 'spend', 'user:' || v_user_id,
    pg_catalog.left('Interview: ' || v_position, 500), 'interview:' || v_interview_id,
    v_interview_id, null, idempotency_key);

  v_change := pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'cost', v_cost, 'replayed', false) || v_change;
  if idempotency_key is not null then
    perform billing.idempotency_finish(v_user_id, idempotency_key, v_change, 'user');
  end if;
  return v_change;
end;
$$;
comment on function public.create_interview(text, text, integer, text, text) is
  'Creates an interview for the signed-in user and charges interview_cost(duration_minutes, interview_type) credits in the same transaction (both happen or neither). Returns {interview_id, cost, balance, ledger_id, replayed}. Errors: 42501 not_signed_in, 22023 invalid_job_position (1..200)/invalid_job_description (<= 5000)/invalid_duration_minutes/invalid_interview_type/invalid_idempotency_key, PT402 insufficient_credits, PT409 idempotency_key_reused.';
revoke execute on function public.create_interview(text, text, integer, text, text) from public, anon, authenticated, service_role;
grant execute on function public.create_interview(text, text, integer, text, text) to authenticated;

create or replace function public.cancel_interview(interview_id uuid, idempotency_key text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_interview_id uuid := cancel_interview.interview_id;
  v_interview public.interviews;
  v_refund public.credit_ledger;
  v_replay jsonb;
  v_change jsonb;
  v_recovered integer;
begin
  if v_interview_id is null then
    perform billing.raise_invalid_argument('interview_id', 'interview_id is required');
  end if;
  -- Cancelling is idempotent by itself (a second cancel replays the first); the optional key
  -- gives it the same contract as every other mutating call: the key cannot be reused for
  -- another interview or another function.
  if idempotency_key is not null then
    perform billing.check_idempotency_key(idempotency_key);
    v_replay := billing.idempotency_begin(v_user_id, idempotency_key, 'cancel_interview',
      pg_catalog.jsonb_build_object('interview_id', v_interview_id), 'user');
    if v_replay is not null then
      return v_replay;
    end if;
  end if;

  -- The row lock makes concurrent cancels of one interview run one after the other.
  select * into v_interview
    from public.interviews i
   where i.id = v_interview_id and i.user_id = v_user_id
     for update;
  if not found then
    -- Someone else's interview is reported exactly like a missing one: no existence leak.
    perform billing.raise_unknown('interview', 'No interview with this id in your account.');
  end if;

  if v_interview.status = 'cancelled' then
    -- Rebuild the first answer from the ledger: the refund row, and the reversal rows (if any)
    -- that repaid a refunded payment right after it; the balance is the last row's.
    select * into v_refund
      from public.credit_ledger l
     where l.interview_id = v_interview_id and l.kind = 'refund';
    v_change := (
      select pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', 'cancelled',
               'refunded', v_interview.refunded_credits,
               'recovered', coalesce(-pg_catalog.sum(l.delta) filter (where l.kind = 'reversal'), 0),
               'balance', (pg_catalog.array_agg(l.balance_after order by l.id desc))[1],
               'ledger_id', v_refund.id, 'replayed', true)
        from public.credit_ledger l
       where l.interview_id = v_interview_id and l.kind in ('refund', 'reversal') and l.id >= v_refund.id);
    return billing.idempotency_finish(v_user_id, idempotency_key, v_change, 'user');
  end if;
  if v_interview.status <> 'scheduled' then
    raise exception using
      errcode = 'PT409',
      message = 'interview_not_cancellable',
      detail = pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', v_interview.status)::text,
      hint = 'Only a scheduled interview can be cancelled; this one has already taken place.';
  end if;

  update public.interviews i
     set status = 'cancelled', cancelled_at = pg_catalog.now(), refunded_credits = v_interview.cost
   where i.id = v_interview_id;

  v_change := billing.apply_credit_change(v_user_id, v_interview.cost, 'refund', 'user:' || v_user_id,
    pg_catalog.left('Interview cancelled: ' || v_interview.job_position, 500), 'interview:' || v_interview_id,
    v_interview_id, null, idempotency_key);
  -- Refunded money never stays spendable: credits back first repay what a refunded payment
  -- could not take back. The refund row above holds the wallet lock this needs.
  v_recovered := billing.repay_refund_debt(v_user_id, v_interview.cost, 'user:' || v_user_id, v_interview_id);
  if v_recovered > 0 then
    v_change := v_change || pg_catalog.jsonb_build_object('balance',
      (select u.credits from public.users u where u.id = v_user_id));
  end if;

  return billing.idempotency_finish(v_user_id, idempotency_key,
    pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', 'cancelled',
      'refunded', v_interview.cost, 'recovered', v_recovered, 'replayed', false) || v_change, 'user');
end;
$$;
comment on function public.cancel_interview(uuid, text) is
  'Cancels a scheduled interview of the signed-in user and refunds its full cost once (ledger kind refund). If a refunded payment of the user still has credits_unrecovered, the refunded credits repay it first (reversal rows naming the payment and the interview, billing.repay_refund_debt): refunded money never becomes spendable. Returns {interview_id, status, refunded, recovered (credits that repaid refunded payments), balance (after both), ledger_id (the refund row), replayed}; cancelling again returns the first result with replayed = true. idempotency_key (optional) may not be reused for another call (PT409). Errors: 42501 not_signed_in, 22023 invalid_interview_id/unknown_interview (also for another user''s interview)/invalid_idempotency_key, PT409 interview_not_cancellable (completed), idempotency_key_reused.';
revoke execute on function public.cancel_interview(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.cancel_interview(uuid, text) to authenticated;
