-- Interviews: the AI interviews recruiters create, their price (interview_cost, the only place
-- pricing is computed), create_interview (insert + charge in one transaction, or neither),
-- cancel_interview (full refund of a scheduled interview, once; credits that a refunded payment
-- still owes are repaid from it first, see billing.repay_refund_debt) and complete_interview
-- (the AI interview runner reports that it took place; from then on it cannot be cancelled).

/**
  * Section - Interviews table
 */

create table public.interviews (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  user_id uuid not null references public.users (id),
  job_position text not null check (pg_catalog.char_length(job_position) between 1 and 200),
  job_description text check (job_description is null or pg_catalog.char_length(job_description) <= 5000),
  duration_minutes integer not null check (duration_minutes between 15 and 120),
  interview_type text not null check (interview_type in ('technical', 'behavioral', 'screening', 'culture_fit')),
  questions jsonb not null default '[]'::jsonb check (pg_catalog.jsonb_typeof(questions) = 'array'),
  status text not null default 'scheduled' check (status in ('scheduled', 'completed', 'cancelled')),
  cost integer not null check (cost > 0),
  refunded_credits integer not null default 0 check (refunded_credits >= 0 and refunded_credits <= cost),
  created_at timestamptz not null default pg_catalog.now(),
  cancelled_at timestamptz,
  completed_at timestamptz,
  constraint interviews_cancelled_at_matches_status check ((status = 'cancelled') = (cancelled_at is not null)),
  constraint interviews_completed_at_matches_status check ((status = 'completed') = (completed_at is not null))
);

comment on table public.interviews is
  'AI interviews created by recruiters. Each one was charged cost credits when created (create_interview); cancelling a scheduled one refunds the cost once (cancel_interview).';
comment on column public.interviews.id is 'Interview id.';
comment on column public.interviews.user_id is 'The recruiter who created it (public.users.id).';
comment on column public.interviews.job_position is 'Job title the interview is for (1..200 characters).';
comment on column public.interviews.job_description is 'Job description given to the AI interviewer (at most 5000 characters).';
comment on column public.interviews.duration_minutes is 'Planned length in minutes (15..120); determines the cost, see interview_cost().';
comment on column public.interviews.interview_type is 'technical, behavioral, screening or culture_fit.';
comment on column public.interviews.questions is 'Generated interview questions (JSON array).';
comment on column public.interviews.status is 'scheduled, completed or cancelled.';
comment on column public.interviews.cost is 'Credits charged when the interview was created.';
comment on column public.interviews.refunded_credits is 'Credits given back (the full cost once cancelled, else 0).';
comment on column public.interviews.created_at is 'When the interview was created (and charged).';
comment on column public.interviews.cancelled_at is 'When it was cancelled; null unless status = cancelled.';
comment on column public.interviews.completed_at is 'When the interview took place (set by complete_interview); null unless status = completed.';

create index interviews_user_id_created_at_idx on public.interviews (user_id, created_at desc);

alter table public.interviews enable row level security;

create policy "Users can read their own interviews"
  on public.interviews for select
  to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.interviews from public, anon, authenticated, service_role;
grant select on table public.interviews to authenticated, service_role;

alter table public.credit_ledger
  add constraint credit_ledger_interview_id_fkey foreign key (interview_id) references public.interviews (id);
-- Partial: most ledger rows name no interview, and `interview_id = $1` (the foreign key's
-- check, cancel_interview's lookup) implies not null, so the planner still uses it.
create index credit_ledger_interview_id_idx on public.credit_ledger (interview_id) where interview_id is not null;
-- An interview is refunded at most once, whatever the code path.
create unique index credit_ledger_one_refund_per_interview_idx
  on public.credit_ledger (interview_id) where kind = 'refund';

/**
  * Section - Public functions
  * Each of these functions exists in the public name space because they are accessible via the API.
 */

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
  if job_position is null or pg_catalog.char_length(job_position) > billing.max_job_position_length() or v_position = '' then
    perform billing.check_text('job_position', job_position, true, billing.max_job_position_length());
  end if;
  if pg_catalog.char_length(job_description) > billing.max_job_description_length() then
    perform billing.check_text('job_description', job_description, false, billing.max_job_description_length());
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
    pg_catalog.left('Interview: ' || v_position, billing.max_ledger_text_length()), 'interview:' || v_interview_id,
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
    pg_catalog.left('Interview cancelled: ' || v_interview.job_position, billing.max_ledger_text_length()), 'interview:' || v_interview_id,
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

-- Interview completion: the AI interview runner reports that an interview has taken place.
-- From then on the cancellation policy applies ("a completed interview cannot be cancelled"):
-- cancel_interview raises PT409 interview_not_cancellable, so credits of an interview that
-- happened can never be refunded.
create or replace function public.complete_interview(interview_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_interview_id uuid := complete_interview.interview_id;
  v_interview public.interviews;
begin
  perform billing.require_service_role();
  if v_interview_id is null then
    perform billing.raise_invalid_argument('interview_id', 'interview_id is required');
  end if;

  -- The row lock orders this against a concurrent cancel_interview of the same interview: one
  -- of them wins, the other sees the final status.
  select * into v_interview from public.interviews i where i.id = v_interview_id for update;
  if not found then
    perform billing.raise_unknown('interview', 'No interview with this id.');
  end if;

  if v_interview.status = 'completed' then
    return pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', 'completed',
      'completed_at', v_interview.completed_at, 'replayed', true);
  end if;
  if v_interview.status = 'cancelled' then
    raise exception using
      errcode = 'PT409',
      message = 'interview_not_completable',
      detail = pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', v_interview.status)::text,
      hint = 'The interview was cancelled (and refunded); it cannot take place.';
  end if;

  update public.interviews i
     set status = 'completed', completed_at = pg_catalog.now()
   where i.id = v_interview_id
  returning * into strict v_interview;
  return pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', 'completed',
    'completed_at', v_interview.completed_at, 'replayed', false);
end;
$$;
comment on function public.complete_interview(uuid) is
  'Service role only (the AI interview runner): marks a scheduled interview completed, after which it can no longer be cancelled or refunded. Returns {interview_id, status, completed_at, replayed}; completing it again returns replayed = true. Errors: 42501 not_allowed, 22023 invalid_interview_id/unknown_interview, PT409 interview_not_completable (cancelled).';
revoke execute on function public.complete_interview(uuid) from public, anon, authenticated, service_role;
grant execute on function public.complete_interview(uuid) to service_role;
