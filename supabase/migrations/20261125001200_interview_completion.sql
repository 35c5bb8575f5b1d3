-- Interview completion: the AI interview runner reports that an interview has taken place.
-- From then on the cancellation policy applies ("a completed interview cannot be cancelled"):
-- cancel_interview raises PT409 interview_not_cancellable, so credits of an interview that
-- happened can never be refunded.

alter table public.interviews
  add column completed_at timestamptz,
  add constraint interviews_completed_at_matches_status check ((status = 'completed') = (completed_at is not null));
comment on column public.interviews.completed_at is 'When the interview took place (set by complete_interview); null unless status = completed.';

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
